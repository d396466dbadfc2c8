"""The four panes of the TUI, one module each."""
