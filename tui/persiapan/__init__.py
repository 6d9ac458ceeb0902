"""Preparing the forum: what the BA needs beyond the header (number, pagu, materi,
narasumber, utusan) and the running order (susunan acara)."""
