"""tui.kehadiran."""
