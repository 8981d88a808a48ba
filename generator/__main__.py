"""`python -m generator`: the same as the `remit` command."""

from generator.cli.main import main

raise SystemExit(main())
