"""render/html.py's Environment finds `x.name` on a dict without Jinja's exception, and finds
exactly what Jinja itself finds: a key, a dict method of that name first, or nothing."""

from __future__ import annotations

import jinja2
import pytest

from generator.render.html import Environment

CASES = [
    ("{{ d.name }}", {"name": "Anna"}),
    ("{{ d.items is callable }}", {"items": [1, 2]}),  # the method, as in Jinja
    ("{{ d.get('a') }}", {"a": 1, "get": "shadowed"}),
    ("{{ d.a.b }}", {"a": {"b": "deep"}}),
    ("{{ d.missing is defined }}", {"x": 1}),
    ("{{ o.real }}", None),  # not a dict: attributes as ever
]


@pytest.mark.parametrize(("source", "value"), CASES)
def test_same_lookup_as_jinja(source, value):
    ours = Environment(undefined=jinja2.StrictUndefined)
    theirs = jinja2.Environment(undefined=jinja2.StrictUndefined)
    context = {"d": value, "o": 3}
    assert ours.from_string(source).render(context) == \
        theirs.from_string(source).render(context)


def test_a_missing_key_is_still_an_error():
    env = Environment(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        env.from_string("{{ d.missing }}").render(d={"x": 1})
