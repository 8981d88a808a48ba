"""The per-page work a build saves gives what the straightforward computation gives."""

from __future__ import annotations

import datetime as dt

from generator.figures.derive import derive
from generator.figures.timeline import timeline
from generator.figures.totals import totals
from generator.model.countdown import local_day
from generator.read.site import load_site


def test_derive_with_the_known_totals_equals_derive_alone(example_site):
    site = load_site(example_site.root, create_secret=False)
    tz = site.settings.tz
    moments = 0
    for inv in site.published:
        for today in (inv.issued, inv.due, inv.due + dt.timedelta(days=40)):
            fig = derive(inv, today, tz)
            for at, later in timeline(inv, tz, fig):
                moments += 1
                assert later == derive(inv, local_day(at, tz), tz, at), (inv.number, at)
                assert later.totals == totals(inv)
    assert moments > 3 * len(site.published)  # the timelines do reach later moments
