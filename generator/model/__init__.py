"""Frozen types of what a site is made of. No I/O, no arithmetic: data only."""
