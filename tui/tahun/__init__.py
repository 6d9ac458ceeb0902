"""tui.tahun."""
