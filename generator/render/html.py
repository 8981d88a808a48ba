"""HTML pages through one Jinja2 environment per process, translated per page."""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator import i18n
from generator.errors import Problem, RemitError
from generator.render.runtime import (
    Environment,
    ThemeLoader,
    _current,
    _gettext,
    _ngettext,
    _template_gettext,
    _template_ngettext,
    recheck_templates,
)

__all__ = ["fresh_theme", "render", "theme_environment"]

_seen_theme: dict[str, str] = {}


def fresh_theme(digest: str) -> None:
    """Called before rendering with the theme whose files hash to `digest`. Templates are
    rechecked by mtime, but compiled catalogs are cached per process: a long-lived process
    (a pool worker; watch mode's builder, which renders the site-wide pages and statements
    while its workers render the invoices) must not translate with an old catalog after the
    owner edits the theme."""
    if _seen_theme.get("digest") != digest:
        i18n.translations.cache_clear()
        recheck_templates()
        _seen_theme["digest"] = digest


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
