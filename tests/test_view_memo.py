"""Work the view remembers within a page gives what working it out again gives: terms() of
each moment (asked for by the page's block, its stage message and the script's data); the
countdown script's data with its stage wordings encoded once per language."""

from __future__ import annotations

import random

from generator.figures.derive import derive
from generator.figures.timeline import timeline
from generator.i18n import translations
from generator.read.site import load_site
from generator.view import terms as terms_module
from generator.view.countdown import script_json
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


def test_script_data_with_shared_wordings_is_the_json_of_the_whole():
    import json

    def whole(data):
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        for ch in "<>&\u2028\u2029":
            text = text.replace(ch, f"\\u{ord(ch):04x}")
        return text

    wordings = {"paid": "Thank you, {name} </script>", "draft": "Entwurf & \u2028"}
    cases = [
        {"tz": "Europe/Berlin", "lang": "de", "built": 1, "templates": wordings,
         "left": "{time} left", "segments": [{"values": {"b": "<", "a": 1.5}}],
         "showPassed": False},
        {"templates": wordings}, {"templates": {}}, {"a": [], "templates": wordings},
        {"templates": wordings, "zz": None}, {"templates": None, "a": 1},
    ]
    for data in cases * 2:  # the second time from the memo
        assert script_json(data, "templates") == whole(data)
