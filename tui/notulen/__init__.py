"""tui.notulen."""
