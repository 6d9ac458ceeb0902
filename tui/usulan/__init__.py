"""tui.usulan."""
