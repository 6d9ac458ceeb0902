"""tui.ekspor."""
