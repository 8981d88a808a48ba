"""`python -m generator`: the same as the `remit` command."""

from generator.cli.main import command

raise SystemExit(command())
