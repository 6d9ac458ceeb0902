"""tui.cli."""
