"""The `remit` command: the parser in main.py, and one module per command, imported only when
that command runs (a no-op build must not pay for WeasyPrint or watchdog)."""
