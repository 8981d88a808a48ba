"""render/codegen.py compiles templates to other Python than Jinja's (buffered, `_("...")`
from a per-catalog table, dict look-ups and escaping inline): the same text as Jinja's own
code for every construct a theme may use, the owner's `_` wherever a template or its
includer gives `_` a value, a catalog or template edit seen at the next build of the same
process (watch mode), and errors still naming the template's line."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from generator import i18n
from generator.errors import RemitError
from generator.render import html, runtime
from generator.theme import DEFAULT, bundled_themes
from tests.test_hostile_files import own_theme

THEME = bundled_themes() / DEFAULT

TEMPLATES = {
    "base.html": "<title>{% block title %}Base{% endblock %}</title>\n"
                 "{% block body %}{% endblock %}|{{ self.title() }}|{% block tail scoped %}"
                 "{% endblock %}",
    "page.html": """{% extends "base.html" %}
{% import "macros.html" as m %}{% from "macros.html" import label with context %}
{% block title %}{{ _("Invoice") }} {{ super() }}{% endblock %}
{% block body %}
{% for x in items %}{% include "item.html" %}{% endfor %}
{% set s %}{% for x in items %}{% include "item.html" %}{% endfor %}{% endset %}[{{ s }}]
{% with x = {"name": "<w>", "n": 2} %}{% include "item.html" %}{% endwith %}
{% include "missing.html" ignore missing %}{% include "plain.html" without context %}
{{ m.label(1) }}{{ label(0) }}{% call m.wrap() %}{{ _("Paid") }}{% endcall %}
{% filter upper %}{{ _("Open") }} {{ x_text }}{% endfilter %}
{% autoescape flag %}{{ _("Paid") }}{{ x_text }}{% endautoescape %}
{{ inv.items }}{{ inv["items"] }}{{ inv.get("name") }}{{ inv.name ~ _("Paid") }}
{{ (_("Invoice %(number)s", number=inv.name)) | urlencode }}{{ _("Total") if inv else "" }}
{% endblock %}
{% block tail %}{{ items | length }}{% endblock %}""",
    "item.html": "<li>{{ x.name }} {{ _('Paid') }} {{ gettext('Open') }} "
                 "{{ _('Invoice %(number)s', number=x.name) }} {{ x.keys is callable }} "
                 "{{ x.n }} {{ x.missing | default('-') }} {{ x_markup }} {{ 3.5 }}</li>\n",
    "plain.html": "{{ _('Paid') }}{{ items | default('no context') }}",
    "macros.html": "{% macro label(k) %}{{ _('Paid') if k else _('Open') }}{% endmacro %}"
                   "{% macro wrap() %}<b>{{ caller() }}</b>{% endmacro %}",
    "cond.html": "{% if parent %}{% extends 'base.html' %}{% endif %}"
                 "{% block title %}{{ _('Paid') }}{% endblock %}{{ _('Open') }}",
    "notes.txt": "{{ _('Paid') }} {{ x_text }}",
    "nested.html": "{% macro box(x) %}[{% include 'item.html' %}]{% endmacro %}"
                   "{% for x in items %}{{ box(x) }}{% block row %}{{ x.n }}{% endblock %}"
                   "{% endfor %}{% for t in tree recursive %}<{{ t.name }}{{ loop(t.kids) }}>"
                   "{% else %}{{ _('Open') }}{% endfor %}",
    # An include's locals (a loop's, a set's) over the includer's names, an included
    # template that sets and includes in turn, a built-in method called, urlencode.
    "locals.html": "{% set items = [{'name': 'é/ü &', 'n': 'a b'}] %}{% for x in items %}"
                   "{% set y = x.n.split(' ') %}{% include 'inner.html' %}{% endfor %}"
                   "{% include 'inner.html' %}{{ x.name }}{{ 'a b'.split(' ') | join('+') }}"
                   "{{ x_text | urlencode }}{{ ('ä/ö?' ~ x_markup) | urlencode }}"
                   "{{ {'k': 'v w/'} | urlencode }}{{ 3 | urlencode }}",
    "inner.html": "{{ x.name }}{{ y | default('-') | join }}{% set x = {'name': 'in<', 'n': 5} %}"
                  "{% include 'item.html' %}{{ x.name }}{% set s %}<{{ x.name }}>{% endset %}"
                  "{{ s }}{{ items | length }}",
    # `_` given a value by the template itself or by its includer: the owner's `_` wins.
    "own_macro.html": "{% macro _(s) %}<{{ s }}{{ kwargs }}>{% endmacro %}{{ _('Paid') }}"
                      "{% for x in items %}{% include 'item.html' %}{% endfor %}",
    "own_loop.html": "{% for _ in [shout] %}{% for x in items %}{% include 'item.html' %}"
                     "{% endfor %}{% endfor %}",
    "own_set.html": "{% set gettext = shout %}{{ gettext('Open') }}{% include 'plain.html' %}",
    "own_import.html": "{% from 'macros.html' import label as _ %}{{ _(1) }}",
}
CONTEXT = {
    "items": [{"name": "A&B", "n": 1}, {"name": "<i>", "n": Markup("<b>2</b>")}],
    "x": {"name": "x&y", "n": 0}, "inv": {"name": "T-1", "items": [1, 2], "get": "shadowed"},
    "x_text": "<script>&", "x_markup": Markup("<em>kept</em>"), "flag": False,
    "parent": True, "tree": [{"name": "a", "kids": [{"name": "b&", "kids": []}]}],
    "shout": lambda s, **kw: s.upper() + "!",
}


def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """Remit's environment and Jinja's own, alike but for the compiled code."""
    made = []
    for cls in (runtime.Environment, jinja2.Environment):
        env = cls(loader=jinja2.DictLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                  autoescape=jinja2.select_autoescape(["html"]),
                  extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
        env.globals.update(_=runtime._template_gettext, gettext=runtime._template_gettext,
                           ngettext=runtime._template_ngettext)
        made.append(env)
    return made[0], made[1]


def rendered(env: jinja2.Environment, name: str, language: str, **extra: object) -> str:
    token = runtime._current.set(i18n.translations(THEME, language))
    try:
        return env.get_template(name).render({**CONTEXT, **extra})
    finally:
        runtime._current.reset(token)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", [n for n in TEMPLATES if n not in ("base.html",)])
def test_the_same_text_as_jinjas_own_code(name, language):
    ours, theirs = environments()
    assert rendered(ours, name, language) == rendered(theirs, name, language)


def test_output_around_a_conditional_extends_keeps_its_place():
    ours, theirs = environments()
    for parent in (True, False):
        page = rendered(ours, "cond.html", "en", parent=parent)
        assert page == rendered(theirs, "cond.html", "en", parent=parent)
        assert page.startswith("<title>Paid</title>" if parent else "PaidOpen")


def test_a_gettext_given_to_the_page_is_called_not_the_table():
    ours, theirs = environments()
    for env in (ours, theirs):
        assert "SHOUT" not in rendered(env, "item.html", "ru")
    page = rendered(ours, "item.html", "ru", _=lambda s, **kw: "SHOUT")
    assert page == rendered(theirs, "item.html", "ru", _=lambda s, **kw: "SHOUT")
    assert page.count("SHOUT") == 2  # both _() calls; gettext('Open') is still Remit's


def test_literal_texts_are_not_calls_where_gettext_is_remits():
    """The point of the tables: a page's `_("...")` makes no call through the context."""
    calls = []

    class Counting(runtime.Context):
        def call(__self, __obj, *args, **kwargs):
            calls.append(args[:1])
            return super().call(__obj, *args, **kwargs)

    ours, _theirs = environments()
    ours.context_class = Counting
    page = rendered(ours, "item.html", "ru")
    assert "Оплачено" in page and "Счёт T-1" not in page and "Счёт A&amp;B" not in page
    assert calls == []
    rendered(ours, "own_macro.html", "ru")  # a template binding `_` calls it as written
    assert ("Paid",) in calls
    source = TEMPLATES["own_macro.html"]
    assert "fold_table" not in ours.compile(source, "own_macro.html", raw=True)
    assert "fold_table" in ours.compile(TEMPLATES["item.html"], "item.html", raw=True)


def test_errors_name_the_included_templates_line(tmp_path):
    theme = tmp_path / "mine"
    templates = theme / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        "<ul>\n{% for x in items %}\n{% include 'row.html' %}\n{% endfor %}\n</ul>\n")
    (templates / "row.html").write_text(
        "<li>{{ _('Paid') }}\n{{ x.name }}\n</li><li>{{ _('Open') }} {{ x.name }}\n"
        "{{ x.nope }} {{ x.name }}</li>\n")
    with pytest.raises(RemitError) as excinfo:
        html.render((templates,), theme, "page.html", "ru", {"items": [{"name": "a"}]})
    problem = excinfo.value.problems[0]
    assert (problem.file, problem.line) == ("themes/mine/templates/row.html", 4)
    assert "no attribute 'nope'" in problem.message


def ru_site(site):
    theme = own_theme(site)
    site.invoice(text=site_invoice())
    return theme


def site_invoice() -> str:
    from tests.conftest import INVOICE

    return INVOICE.replace('number = "T-1"', 'number = "T-1"\nlanguage = "ru"')


def heading(site) -> str:
    return site.pages()["T-1"].select_one(".doc-id").get_text(" ", strip=True)


def test_a_catalog_edit_shows_at_the_next_build_of_the_same_process(site):
    theme = ru_site(site)
    site.build()
    assert heading(site) == "Счёт T-1"
    bundled = (THEME / "locales/ru/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    po = theme / "locales/ru/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    for shown in ("Счёт-фактура", "СЧЁТ"):
        po.write_text(bundled.replace('msgstr "Счёт"', f'msgstr "{shown}"'), encoding="utf-8")
        site.build()  # as watch mode rebuilds: the same process, its tables and templates
        assert heading(site) == f"{shown} T-1"


def test_a_template_override_wins_at_the_next_build_of_the_same_process(site):
    theme = ru_site(site)
    site.build()
    pill = ".status-pill"
    assert site.pages()["T-1"].select_one(pill).get_text(strip=True) == "Ожидает оплаты"
    for text in ("{{ _('Paid') }}?", "{{ _('Open') }}!"):
        (theme / "templates" / "status_label.html").write_text(text, encoding="utf-8")
        site.build()
        shown = site.pages()["T-1"].select_one(pill).get_text(strip=True)
        assert shown == {"?": "Оплачено?", "!": "Ожидает оплаты!"}[text[-1]]


def test_a_catalog_edit_reaches_the_site_wide_pages_when_workers_render_the_invoices(
        site, monkeypatch):
    """Watch mode with a warm pool: the invoices render in the workers, the builder renders
    only index.html and 404.html, and must not keep translating them with the old catalog."""
    from bs4 import BeautifulSoup

    from generator.render import pool

    theme = own_theme(site)
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ru"'),
                    encoding="utf-8")
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES", 0)
    monkeypatch.setattr(pool, "IN_PROCESS_PAGES_WARM", 0)

    def not_found() -> str:
        page = BeautifulSoup((site.output / "404.html").read_text("utf-8"), "html.parser")
        return page.select_one("h1").get_text(strip=True)

    try:
        site.build(jobs=2)
        assert not_found() == "Страница не найдена"
        bundled = (THEME / "locales/ru/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
        po = theme / "locales/ru/LC_MESSAGES/messages.po"
        po.parent.mkdir(parents=True)
        for shown in ("Нет такой страницы", "Страница не найдена!"):
            po.write_text(bundled.replace('msgstr "Страница не найдена"', f'msgstr "{shown}"'),
                          encoding="utf-8")
            site.build(jobs=2)  # the same process, its pool and its catalogs
            assert not_found() == shown
    finally:
        pool.shutdown_pool()
