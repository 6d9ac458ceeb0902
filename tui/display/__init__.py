"""tui.display."""
