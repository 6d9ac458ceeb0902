"""tui.prioritas."""
