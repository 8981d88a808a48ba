"""What a theme's compiled templates call while a page renders: `_()` and its tables (a
ContextVar holds the page's catalog), the escape of printed values, the context (the fast
path of `_()` and macro calls), and the environment's dict look-up; and the generation
that says when template files are looked at again."""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Mapping, MutableMapping
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any

import jinja2
from babel.support import NullTranslations
from jinja2.nodes import EvalContext
from jinja2.utils import missing
from markupsafe import Markup, escape

from generator.render.codegen import DICT_ATTRIBUTES, CodeGenerator

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
    if eval_ctx.autoescape:  # as a compiled template's table does it
        return _table(_current.get()).format(string, **variables)
    return _translated(_current.get() or _NULL, string)[0] % variables


# Every % of the text is %% or %(name)s: formatting escaped values into it gives what
# Markup(text) % values gives (its helper escapes a value that %s prints; %d, %r, flags and
# widths would print it another way, so those texts go through Markup).
_ONLY_NAMED_S = re.compile(r"(?:[^%]|%%|%\([^()]*\)s)*")


@lru_cache(maxsize=8192)
def _translated(translations: NullTranslations, string: str) -> tuple[str, bool]:
    rv = translations.gettext(string)
    return rv, _ONLY_NAMED_S.fullmatch(rv) is not None


@lru_cache(maxsize=8192)
def _plain(translations: NullTranslations, string: str, autoescape: bool) -> str:
    # Keyed by the catalog object: a theme edit compiles new catalogs, hence new keys.
    rv = translations.gettext(string)
    return (Markup(rv) if autoescape else rv) % {}


class _Table(dict[str, str]):
    """What `_(text)` returns in an autoescaped template, for one catalog: filled in as
    pages ask (a text whose % formatting fails raises as the call would, and is not kept)."""

    def __init__(self, translations: NullTranslations) -> None:
        super().__init__()
        self.translations = translations
        self.formats: dict[str, tuple[str, bool]] = {}  # text -> _translated's answer

    def __missing__(self, text: str) -> str:
        value = self[text] = _plain(self.translations, text, True)
        return value

    def format(self, text: str, /, **variables: Any) -> str:
        """`_(text, **variables)` in an autoescaped template (what _template_gettext does)."""
        known = self.formats.get(text)
        if known is None:
            known = self.formats[text] = _translated(self.translations, text)
        rv, simple = known
        if simple:  # Markup's own % escapes each value through two helper objects;
            # here each is escaped to a str (%s prints a Markup's text alike)
            return _new_str(Markup, rv % {k: _escape_inner(v) if type(v) is str
                                          else _escape_for_output(v)
                                          for k, v in variables.items()})
        return Markup(rv) % variables


@lru_cache(maxsize=32)
def _table(translations: NullTranslations | None) -> _Table:
    # Keyed by the catalog object, as _plain is: a theme edit compiles new catalogs.
    return _Table(translations or _NULL)


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


class ThemeLoader(jinja2.FileSystemLoader):
    """A compiled template is stale when its file changed, and also when a folder earlier in
    the chain now has a file of that name: a template the owner adds to the site's theme
    overrides the bundled one at once, in watch mode too. Looked at once per build
    (recheck_templates), not at every include."""

    def get_source(self, environment: jinja2.Environment, template: str,
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        candidates = [os.path.normpath(os.path.join(d, *template.split("/")))
                      for d in self.searchpath]
        earlier = candidates[:candidates.index(filename)] if filename in candidates else []
        checked = [_generation[0]]

        def fresh() -> bool:
            if checked[0] == _generation[0]:
                return True
            if uptodate is None or not uptodate() or any(os.path.isfile(p) for p in earlier):
                return False
            checked[0] = _generation[0]
            return True

        return source, filename, fresh


class Context(jinja2.runtime.Context):
    """Jinja's context, with the calls a page makes most (`_()` and macros, ~400 a page)
    dispatched without Jinja's generic look-up of how each callable wants to be called
    (two hasattr probes and a decorator check per call). Each does what Context.call would:
    `_()` and a macro (Macro.__call__ is pass_eval_context) take the evaluation context
    first; anything else goes through Jinja unchanged.

    Made ~35 times a page (one per include): the set of the globals' names, which only an
    `{% import %}` reads, is made when read, not at every include (Jinja's walks a ChainMap)."""

    def __init__(self, environment: jinja2.Environment, parent: dict[str, Any],
                 name: str | None, blocks: dict[str, Any],
                 globals: MutableMapping[str, Any] | None = None) -> None:
        self.parent = parent
        self.vars: dict[str, Any] = {}
        self.environment = environment
        self.eval_ctx = EvalContext(environment, name)
        self.exported_vars: set[str] = set()
        self.name = name
        self._globals = globals
        self.blocks = {k: [v] for k, v in blocks.items()} if blocks else {}

    @property
    def globals_keys(self) -> set[str]:  # type: ignore[override]
        return set() if self._globals is None else set(self._globals)

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj is _template_gettext:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return _template_gettext(__self.eval_ctx, *args, **kwargs)
        if type(__obj) is jinja2.runtime.Macro:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                if kwargs or len(args) != __obj._argument_count or __obj.caller \
                        or __obj.catch_kwargs or __obj.catch_varargs:
                    return __obj(__self.eval_ctx, *args, **kwargs)
                # Every argument given by position, nothing to catch: what Macro.__call__
                # then does, without its sorting of arguments.
                rv = __obj._func(*args)
                if not __self.eval_ctx.autoescape:
                    return rv
                return _new_str(Markup, rv) if type(rv) is str else Markup(rv)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        if type(__obj) is _BUILTIN:  # `x.split(" ")` and the like: nothing to pass them
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


# A method of a built-in type (str.split) or a built-in function: it cannot carry Jinja's
# pass_context and the like (no attributes), so Context.call calls it as it is.
_BUILTIN = type(len)


try:  # markupsafe 3: escape() is Python around this C function, plus Markup's own __new__
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - markupsafe 2: escape() itself is C
    def _escape_inner(s: str) -> str:
        return str(escape(s))
_new_str = str.__new__


def _markup(base: Any = "", encoding: str | None = None, errors: str = "strict") -> Markup:
    """Markup(...) as compiled templates call it (a macro's result, `{% set %}` blocks): a
    plain str made Markup without Markup.__new__'s __html__ probe."""
    if type(base) is str and encoding is None:
        return _new_str(Markup, base)
    return Markup(base, encoding, errors)


def _escape_for_output(value: Any) -> Any:
    """markupsafe.escape, for what `{{ ... }}` prints (~350 a page): the same Markup, without
    Markup.__new__'s __html__ probe for a plain str, and a Markup given back as it is (its
    __html__ is itself). tests/test_jinja_lookup.py compares it with markupsafe.escape."""
    if type(value) is str:
        return _new_str(Markup, _escape_inner(value))
    if type(value) is Markup:
        return value
    return escape(value)


class Template(jinja2.Template):
    """A compiled template that prints through `_escape_for_output`: the name `escape` of
    its module (Jinja's generated code imports markupsafe's) is bound to it once, when the
    template is loaded (compiled or from the bytecode cache)."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment,
                        namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        if namespace.get("escape") is escape:
            namespace["escape"] = _escape_for_output
        if namespace.get("Markup") is Markup:
            namespace["Markup"] = _markup
        namespace["remit_escape_str"] = _escape_inner  # render/codegen.py prints through it
        return super()._from_namespace(environment, namespace, globals)

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> jinja2.runtime.Context:
        """Jinja's, one call shorter for what an include asks (`shared`: the includer's
        variables as they are, plus its locals). The locals become the new context's own
        variables instead of being merged into a copy of the includer's (~40 names, at each
        of a page's ~35 includes): every name resolves to what it does in Jinja's."""
        if not shared or vars is None:
            return super().new_context(vars, shared, locals)
        context = self.environment.context_class(self.environment, vars, self.name,
                                                 self.blocks, self.globals)
        if locals:
            own = {key: value for key, value in locals.items() if value is not missing}
            if own:
                context.vars = own
        return context




# What quote_from_bytes(..., safe=b"/") makes of each byte: it quotes byte by byte, in a
# Python list comprehension (~2 us per hundred bytes); a page urlencodes a few hundred.
_QUOTED = tuple(urllib.parse.quote_from_bytes(bytes([b]), b"/") for b in range(256))


def urlencode(value: Any) -> str:
    """Jinja's `urlencode` filter, a string quoted by table: the same text (a str quoted
    byte by byte, "/" kept); anything else goes through Jinja's own."""
    if isinstance(value, str):
        return "".join(map(_QUOTED.__getitem__, value.encode("utf-8")))
    return _jinja_urlencode(value)


_jinja_urlencode = jinja2.filters.do_urlencode


class Environment(jinja2.Environment):
    """Jinja's environment, with `x.name` on a dict (what every view is) found without an
    exception: Jinja tries the attribute first and the key after, ~300 times a page. The
    result is Jinja's own: a name that dict has as an attribute (items, keys, ...) still
    goes the attribute's way first."""

    context_class = Context
    template_class = Template
    code_generator_class = CodeGenerator

    @staticmethod
    def fold_table(gettext: Any) -> _Table | None:
        """The table that compiled templates read `_("literal")` from (render/codegen.py):
        the current page's language's, when `_` is Remit's gettext; else None, and the
        template calls whatever `_` is."""
        return _table(_current.get()) if gettext is _template_gettext else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["urlencode"] = urlencode
        if callable(self.autoescape):  # asked at every include's context (EvalContext)
            self.autoescape = cache(self.autoescape)
        self._checked: dict[str, tuple[jinja2.Template, int]] | None = \
            {} if isinstance(self.loader, ThemeLoader) else None

    def get_template(self, name: str | jinja2.Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        """Jinja's, but with a ThemeLoader a template already checked in this generation
        (recheck_templates) comes straight from a dict: a page asks ~35 times."""
        checked = self._checked
        if checked is None or globals is not None or type(name) is not str:
            return super().get_template(name, parent, globals)
        known = checked.get(name)
        if known is not None and known[1] == _generation[0]:
            return known[0]
        template = super().get_template(name, parent, globals)
        checked[name] = (template, _generation[0])
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)
