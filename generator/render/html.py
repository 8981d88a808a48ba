"""HTML pages through one Jinja2 environment per process, translated per page."""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations
from jinja2.nodes import EvalContext
from markupsafe import Markup

from generator import i18n

_current: ContextVar[NullTranslations | None] = ContextVar("translations", default=None)
_NULL = NullTranslations()


def _gettext(message: str) -> str:
    return (_current.get() or _NULL).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return (_current.get() or _NULL).ngettext(singular, plural, n)


# Jinja's newstyle `_()` goes through three context calls (the alias, the wrapper, the
# function): ~20 us each, and a page translates over a hundred strings. These do what
# jinja2.ext's newstyle wrappers do (escape-aware, always %-formatted) in one call.
@jinja2.pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    if not variables:  # most strings: the same text on every page of a language
        return _plain(_current.get() or _NULL, string, eval_ctx.autoescape)
    rv = _gettext(string)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@lru_cache(maxsize=8192)
def _plain(translations: NullTranslations, string: str, autoescape: bool) -> str:
    # Keyed by the catalog object: a theme edit compiles new catalogs, hence new keys.
    rv = translations.gettext(string)
    return (Markup(rv) if autoescape else rv) % {}


@jinja2.pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /,
                       **variables: Any) -> str:
    variables.setdefault("num", num)
    rv = _ngettext(singular, plural, num)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


_generation = [0]


def recheck_templates() -> None:
    """Have each template's file checked (mtime) once more at its next use: called once a
    build and whenever the theme's digest changes. In between, an include inside a loop
    costs no stat() per item and page."""
    _generation[0] += 1


class _Loader(jinja2.FileSystemLoader):
    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        checked = [_generation[0]]

        def fresh() -> bool:
            if checked[0] == _generation[0]:
                return True
            if uptodate is None or not uptodate():
                return False
            checked[0] = _generation[0]
            return True

        return source, filename, fresh


@cache
def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A site's theme first, the bundled default after it, so a theme may override one file."""
    env = jinja2.Environment(
        loader=_Loader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_=_template_gettext, gettext=_template_gettext,
                       ngettext=_template_ngettext)
    return env


def render(template_dirs: tuple[Path, ...], theme_dir: Path, name: str, language: str,
           context: dict[str, Any]) -> str:
    token = _current.set(i18n.translations(theme_dir, language))
    try:
        return environment(template_dirs).get_template(name).render(lang=language, **context)
    finally:
        _current.reset(token)
