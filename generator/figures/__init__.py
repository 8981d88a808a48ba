"""Pure functions of (invoice, settings, day): totals, schedule, status, countdown stage,
the timeline of what changes when, and the checks that need them. No I/O."""
