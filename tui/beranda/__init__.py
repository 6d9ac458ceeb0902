"""tui.beranda."""
