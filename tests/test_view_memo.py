"""Work the view remembers within a page gives what working it out again gives: terms() of
each moment (asked for by the page's block, its stage message and the script's data)."""

from __future__ import annotations

import random

from generator.figures.derive import derive
from generator.figures.timeline import timeline
from generator.i18n import translations
from generator.read.site import load_site
from generator.view import terms as terms_module
from generator.view.format import Formatter
from tests.conftest import REPO, TODAY


def test_remembered_terms_are_the_terms_worked_out_afresh():
    site = load_site(REPO)
    asks = []
    for inv in site.published:
        tz = site.settings.tz
        t = translations(site.settings.theme_dir, inv.language)
        fig = derive(inv, TODAY, tz)
        for f in (Formatter(inv.language, inv.currency), Formatter("ru", inv.currency)):
            asks += [(inv, at, f, tz, t) for _, at in timeline(inv, tz, fig)]
    assert len(asks) > 20
    rng = random.Random(7)
    for args in rng.choices(asks, k=400):  # repeats, in any order, across invoices
        assert terms_module.terms(*args) == terms_module._terms(*args)
    # The same figures through another formatter: that formatter's own wording.
    inv, at, f, tz, t = next(a for a in asks if terms_module._terms(*a) is not None)
    ru = Formatter("ru", inv.currency)
    assert terms_module.terms(inv, at, f, tz, t) != terms_module.terms(inv, at, ru, tz, t)
