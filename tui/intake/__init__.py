"""tui.intake."""
