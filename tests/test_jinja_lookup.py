"""render/runtime.py's Environment finds `x.name` on a dict without Jinja's exception, and finds
exactly what Jinja itself finds: a key, a dict method of that name first, or nothing."""

from __future__ import annotations

from decimal import Decimal

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from generator.render.runtime import Environment

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


CALLS = [
    # a macro: autoescape comes from the caller's evaluation context, as through Jinja
    ("{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m('<i>') }}|{{ m(x='&') }}", {}),
    ("{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}<{{ v }}>{% endcall %}",
     {"v": "<s>"}),
    ("{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}"
     "{{ m(1) }}{{ m(1, 3, 4, z=5) }}", {}),
    ("{% for i in [1, 2] %}{% macro m() %}{{ i }}{% endmacro %}{{ m() }}{% endfor %}", {}),
    ("{% macro m(x) %}{{ x }}{% endmacro %}{% autoescape true %}{{ m('<i>') }}"
     "{% endautoescape %}", {}),  # the caller's escaping, not the definition's
    ("{% autoescape false %}{% macro m(x) %}{{ x }}{% endmacro %}{{ m('<i>') }}"
     "{% endautoescape %}", {}),
    ("{{ _('Hello') }} {{ _('%(n)s < %(m)s', n='<x>', m=2) }}", {}),
    ("{% for i in [1] %}{{ _('Item %(i)s', i=i) }}{% endfor %}", {}),
    ("{{ f(1) }}{{ g() }}", None),  # other callables: Jinja's own dispatch
]


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize(("source", "extra"), CALLS)
def test_calls_give_what_jinja_gives(source, extra, autoescape):
    """render/runtime.py's Context dispatches `_()` and macros itself: the same text as Jinja's
    Context.call, escaping included."""
    from generator.render.runtime import _template_gettext

    @jinja2.pass_context
    def g(context):
        return context.get("v", "none")

    outputs = []
    for env in (Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"]),
                jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])):
        env.globals.update(_=_template_gettext, f=lambda x: x + 1, g=g)
        outputs.append(env.from_string(source).render(extra or {}))
    assert outputs[0] == outputs[1]


def test_a_macro_through_the_fast_call_escapes_like_jinja():
    env = Environment(autoescape=True)
    out = env.from_string("{% macro m(x) %}{{ x }}{% endmacro %}{{ m('<i>') }}").render()
    assert out == "&lt;i&gt;"


class _Html:
    def __html__(self):
        return "<b>safe</b>"


class _Str(str):
    pass


class _Markup(Markup):
    pass


ESCAPED = ["plain", "", "<a href=\"x\">'&'</a>", "Ирина «Петрова» & Co", Markup("<i>kept</i>"),
           _Markup("<i>sub</i>"), _Str("<sub & str>"), 12, 3.5, None, _Html(),
           Decimal("1.50")]


@pytest.mark.parametrize("value", ESCAPED)
def test_printed_values_are_escaped_as_markupsafe_escapes(value):
    from generator.render.runtime import _escape_for_output

    ours, theirs = _escape_for_output(value), markupsafe.escape(value)
    assert (type(ours), ours) == (type(theirs), theirs)


def test_templates_print_through_the_fast_escape():
    from generator.render.runtime import _escape_for_output

    env = Environment(autoescape=True)
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}")
    assert template.root_render_func.__globals__["escape"] is _escape_for_output
    context = {"a": "<&\">'", "b": Markup("<br>"), "c": 7}
    assert template.render(context) == jinja2.Environment(autoescape=True).from_string(
        "{{ a }}|{{ b }}|{{ c }}").render(context)


GETTEXT = [
    "{{ _('%(a)s & %(b)s', a=x, b=m) }}",
    "{{ _('100%% of %(a)s, %(a)s again', a=x) }}",
    "{{ _('%(n)d items for %(a)s', n=3, a=x) }}",  # %d: through Markup's own formatting
    "{{ _('%(a)r', a=x) }}",
    "{{ _('%(a)-8s|', a=x) }}",
    "{{ _('%(n)s %(d)s %(z)s', n=5, d=d, z=none) }}",
    "{{ _('no placeholder', a=x) }}",
    "{% set s %}<em>{{ x }}</em>{% endset %}{{ _('%(s)s!', s=s) }}",
]


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("source", GETTEXT)
def test_gettext_with_values_formats_as_jinjas_newstyle_gettext(source, autoescape):
    """`_()` with values escapes each value itself for `%(name)s` texts: the same text as
    jinja2.ext's newstyle gettext, which formats through Markup."""
    from generator.render.runtime import _template_gettext

    ours = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    ours.globals.update(_=_template_gettext)
    theirs = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    theirs.install_gettext_callables(lambda s: s, lambda s, p, n: s if n == 1 else p,
                                     newstyle=True)
    values = {"x": "<b class=\"y\">'R&D'</b>", "m": Markup("<i>ok</i>"), "d": Decimal("1.5"),
              "none": None}
    assert ours.from_string(source).render(values) == \
        theirs.from_string(source).render(values)


def test_gettext_with_a_missing_value_fails_as_before():
    from generator.render.runtime import _template_gettext

    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.globals.update(_=_template_gettext)
    with pytest.raises(KeyError):
        env.from_string("{{ _('%(b)s', a=1) }}").render()
