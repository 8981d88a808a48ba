"""HTML pages through one Jinja2 environment per process, translated per page."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, MutableMapping
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from generator import i18n
from generator.errors import Problem, RemitError
from generator.render.codegen import CodeGenerator

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
    rv, simple = _translated(_current.get() or _NULL, string)
    if not eval_ctx.autoescape:
        return rv % variables
    if simple:  # Markup's own % escapes each value through two helper objects
        return _new_str(Markup, rv % {k: _escape_for_output(v) for k, v in variables.items()})
    return Markup(rv) % variables


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

    def __missing__(self, text: str) -> str:
        value = self[text] = _plain(self.translations, text, True)
        return value

    def format(self, text: str, /, **variables: Any) -> str:
        """`_(text, **variables)` in an autoescaped template (what _template_gettext does)."""
        rv, simple = _translated(self.translations, text)
        if simple:
            return _new_str(Markup, rv % {k: _escape_for_output(v) for k, v in variables.items()})
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
    first; anything else goes through Jinja unchanged."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj is _template_gettext:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return _template_gettext(__self.eval_ctx, *args, **kwargs)
        if type(__obj) is jinja2.runtime.Macro:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(__self.eval_ctx, *args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


try:  # markupsafe 3: escape() is Python around this C function, plus Markup's own __new__
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - markupsafe 2: escape() itself is C
    def _escape_inner(s: str) -> str:
        return str(escape(s))
_new_str = str.__new__


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
        return super()._from_namespace(environment, namespace, globals)


_DICT_ATTRIBUTES = frozenset(dir(dict))


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

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A site's theme first, the bundled default after it, so a theme may override one file.
    Compiled templates are kept in a plain dict (cache_size=-1): a theme has a few dozen,
    and Jinja's LRU cache costs a lock and a list search at each of a page's includes."""
    env = Environment(
        loader=ThemeLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        cache_size=-1,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_=_template_gettext, gettext=_template_gettext,
                       ngettext=_template_ngettext)
    return env


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the build cache, so that each pool worker and each fresh
    `remit build` loads a theme's templates instead of compiling them (~0.3 s a process).
    Jinja takes a file only when it was made from the same template source (its SHA-1),
    by the same Jinja and Python (its magic header); the folder is named for the generator's
    code (code_digest), which sets the environment's options. An unreadable or unwritable
    file is a compile, never an error."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file (Jinja lets a bad header's pickle error through)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@cache
def bytecode_cache(cache_dir: Path) -> BytecodeCache | None:
    from generator.digest import CACHE_FORMAT, JINJA_FOLDER, code_digest

    folder = cache_dir / CACHE_FORMAT / JINJA_FOLDER / code_digest()[:32]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return BytecodeCache(str(folder))


def theme_environment(template_dirs: tuple[Path, ...], cache_dir: Path | None
                      ) -> jinja2.Environment:
    """The theme's environment, taking and keeping compiled templates in the build cache
    (`cache_dir`) when there is one."""
    env = environment(template_dirs)
    if cache_dir is not None:
        env.bytecode_cache = bytecode_cache(cache_dir)
    return env


def render(template_dirs: tuple[Path, ...], theme_dir: Path, name: str, language: str,
           context: dict[str, Any], cache_dir: Path | None = None) -> str:
    """The page, or RemitError naming the theme's file and line: a broken theme is the
    owner's to fix, so it is reported like any other input, never as a traceback.
    `cache_dir`: the build cache, where compiled templates are kept between processes."""
    token = _current.set(i18n.translations(theme_dir, language))
    env = theme_environment(template_dirs, cache_dir)
    try:
        return env.get_template(name).render(lang=language, **context)
    except jinja2.TemplateSyntaxError as exc:
        raise theme_error(template_dirs, exc.filename or exc.name or name, exc.lineno,
                          exc.message or str(exc)) from None
    except jinja2.TemplateNotFound as exc:
        raise theme_error(template_dirs, name, None, f"template {exc.name!r} not found in "
                          f"the theme or the bundled default") from None
    except jinja2.TemplateError as exc:  # undefined variables (StrictUndefined) and the like
        where, line = template_frame(exc, template_dirs)
        raise theme_error(template_dirs, where or name, line, exc.message or str(exc)) from None
    finally:
        _current.reset(token)


def template_frame(exc: BaseException, template_dirs: tuple[Path, ...]
                   ) -> tuple[str | None, int | None]:
    """The innermost template file and line of an error raised while rendering (Jinja puts
    template frames into the traceback)."""
    roots = tuple(str(d) + os.sep for d in template_dirs)
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def theme_error(template_dirs: tuple[Path, ...], filename: str, line: int | None,
                message: str) -> RemitError:
    return RemitError([Problem(shown_path(template_dirs, filename), line, None, message)])


def shown_path(template_dirs: tuple[Path, ...], filename: str) -> str:
    """themes/NAME/templates/FILE.html, for the site's theme and the bundled one alike."""
    path = Path(filename)
    for d in template_dirs:
        if path.is_relative_to(d):
            return f"themes/{d.parent.name}/templates/{path.relative_to(d).as_posix()}"
        if not path.is_absolute():
            return f"themes/{template_dirs[0].parent.name}/templates/{filename}"
    return filename
