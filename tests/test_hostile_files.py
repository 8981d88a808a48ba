"""Nothing outside the site is read into it or published: symbolic links in content/ and in a
theme, a video swapped for a link after a good build (the cache must not publish it), theme
template errors reported as file:line, and the preview server serving only output/'s files."""

from __future__ import annotations

import http.client
import io
import os
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.errors import RemitError
from generator.serve.preview import PreviewServer
from generator.serve.watch import Watcher
from tests.conftest import INVOICE, REPO, TODAY, tree_snapshot

OUTSIDE = "top secret, outside the site\n"


def remit(capsys, site_root: Path, *args: str) -> tuple[int, str]:
    """The command line, in this process (an uncaught exception fails the test): exit status
    and what it printed on stderr."""
    capsys.readouterr()
    day = ["--today", TODAY.isoformat()] if args[0] == "build" else []
    status = main([*args, str(site_root), *day])
    return status, capsys.readouterr().err


def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside.txt"
    path.write_text(OUTSIDE, encoding="utf-8")
    return path


def published_anywhere(output: Path, text: str) -> bool:
    return any(text.encode() in p.read_bytes() for p in output.rglob("*") if p.is_file())


def problems(excinfo: pytest.ExceptionInfo[RemitError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# -- content/ ---------------------------------------------------------------------------------
def video_invoice(site) -> None:
    site.invoice(text=INVOICE.replace('[client]', 'video = "videos/hi.mp4"\n\n[client]'))


def test_a_video_swapped_for_a_link_after_a_good_build_is_refused(site, tmp_path):
    outside = secret_file(tmp_path)
    video = site.root / "content" / "videos" / "hi.mp4"
    video.parent.mkdir(parents=True)
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42 a real video")
    video_invoice(site)
    site.build()
    before = tree_snapshot(site.output)
    assert any(name.endswith("/hi.mp4") for name in before)
    video.unlink()
    video.symlink_to(outside)  # the cache holds this invoice's page and the old video
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert "content/t-1.md: video: content/videos/hi.mp4 is a symbolic link to " \
           f"{outside}, outside content/; copy the file in instead" in problems(excinfo)
    assert tree_snapshot(site.output) == before
    assert not published_anywhere(site.output, OUTSIDE)


@pytest.mark.parametrize("make, message", [
    (lambda c, out: (c / "loop.md").symlink_to("loop.md"),
     "content/loop.md: is a symbolic link that loops back on itself"),
    (lambda c, out: ((c / "a.md").symlink_to("b.md"), (c / "b.md").symlink_to("a.md")),
     "content/a.md: is a symbolic link that loops back on itself"),
    (lambda c, out: (c / "gone.md").symlink_to("nowhere.md"),
     "content/gone.md: is a symbolic link to a file that does not exist"),
    (lambda c, out: (c / "leak.md").symlink_to(out),
     "content/leak.md: is a symbolic link to {out}, outside content/"),
    (lambda c, out: (c / "elsewhere").symlink_to(out.parent, target_is_directory=True),
     "content/elsewhere: is a symbolic link to {dir}, outside content/"),
], ids=["loop", "two-file loop", "dangling", "file outside", "folder outside"])
def test_links_in_content_are_errors_naming_the_file(site, tmp_path, capsys, make, message):
    site.invoice()
    site.build()
    before = tree_snapshot(site.output)
    outside = secret_file(tmp_path)
    make(site.root / "content", outside)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    expected = message.format(out=outside, dir=outside.parent)
    assert any(p.startswith(expected) for p in problems(excinfo)), problems(excinfo)
    assert tree_snapshot(site.output) == before
    status, err = remit(capsys, site.root, "check")  # check reports it too
    assert status == 1 and f"error: {expected}" in err


def test_a_link_inside_content_to_a_file_inside_it_is_followed(site):
    site.write("content/drafts/source.txt", INVOICE.replace("Thanks!", "Read through a link."))
    (site.root / "content" / "t-1.md").symlink_to("drafts/source.txt")
    site.build()
    assert "Read through a link." in next(site.output.glob("*/index.html")).read_text("utf-8")


# -- themes -----------------------------------------------------------------------------------
def own_theme(site, name: str = "mine") -> Path:
    theme = site.root / "themes" / name
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    toml = site.root / "site.toml"
    toml.write_text(f'theme = "{name}"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    return theme


def test_a_theme_static_link_to_a_file_outside_is_never_published(site, tmp_path):
    outside = secret_file(tmp_path)
    theme = own_theme(site)
    site.invoice()
    site.build()
    before = tree_snapshot(site.output)
    (theme / "static" / "hn.txt").symlink_to(outside)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert problems(excinfo) == [f"themes/mine/static/hn.txt: is a symbolic link to {outside}, "
                                 "outside themes/mine/; copy the file in instead"]
    assert tree_snapshot(site.output) == before
    assert not published_anywhere(site.output, OUTSIDE)


def test_a_theme_template_link_to_a_file_outside_is_never_read(site, tmp_path):
    outside = secret_file(tmp_path)
    theme = own_theme(site)
    site.invoice()
    (theme / "templates" / "personal.html").symlink_to(outside)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert problems(excinfo)[0].startswith("themes/mine/templates/personal.html: is a symbolic")


@pytest.mark.parametrize("broken, expected", [
    ("{% if inv.note_html %}{% else %", "themes/mine/templates/personal.html:1: "),
    ("\n\n{{ inv.no_such_field }}", "themes/mine/templates/personal.html:3: 'dict object' has "
                                    "no attribute 'no_such_field'"),
], ids=["syntax error", "undefined variable"])
def test_theme_errors_are_one_line_with_file_and_line(site, capsys, broken, expected):
    theme = own_theme(site)
    site.invoice()
    site.invoice("t-2.md", INVOICE.replace('"T-1"', '"T-2"'))
    site.build()
    before = tree_snapshot(site.output)
    (theme / "templates" / "personal.html").write_text(broken, encoding="utf-8")
    for command in ("build", "check"):
        status, err = remit(capsys, site.root, command)
        assert status == 1
        lines = err.splitlines()
        assert len(lines) == 2, lines  # one line for both invoices' pages, and the count
        assert lines[0].startswith("error: " + expected), lines
        assert tree_snapshot(site.output) == before


def test_check_renders_what_a_build_renders_and_writes_nothing(site, capsys):
    site.invoice(text=INVOICE.replace("Thanks!", "![logo](../static/no-such-logo.png)"))
    status, err = remit(capsys, site.root, "check")
    assert status == 1
    assert "error: content/t-1.md: note: image '../static/no-such-logo.png' is not a file " \
           "of the theme's static/ folder" in err
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "site.toml"]


# -- the preview server -----------------------------------------------------------------------
def get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_serve_never_follows_a_link_out_of_output(site, tmp_path):
    outside = secret_file(tmp_path)
    site.invoice()
    watcher = Watcher(site.root, today=TODAY, quiet=0.2, out=io.StringIO())
    server = PreviewServer(watcher, "127.0.0.1", 0)
    server.start()
    try:
        assert get(server, "/invoices/robots.txt")[0] == 200
        (site.output / "static" / "leak.txt").symlink_to(outside)
        (site.output / "static" / "etc").symlink_to(tmp_path, target_is_directory=True)
        os.link(site.output / "robots.txt", site.output / "static" / "inside.txt")
        for path in ("/invoices/static/leak.txt", "/invoices/static/etc/outside.txt"):
            status, body = get(server, path)
            assert status == 404 and OUTSIDE.encode() not in body, path
        assert get(server, "/invoices/static/inside.txt")[0] == 200  # a regular file inside
        assert get(server, "//[x")[0] == 404  # a path urlsplit cannot split
    finally:
        server.stop()


def test_check_finds_what_only_printing_the_pdf_finds(site, capsys):
    css = (REPO / "themes" / "default" / "static" / "letter.css").read_text("utf-8")
    site.write("themes/default/static/letter.css",
               css.replace("fonts/DejaVuSans-Bold.ttf", "fonts/Missing-Bold.ttf"))
    site.invoice()
    status, err = remit(capsys, site.root, "check")
    assert status == 1 and "static/fonts/Missing-Bold.ttf" in err
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "site.toml", "themes"]
    assert remit(capsys, site.root, "check", "--no-pdf")[0] == 0  # pages alone are fine
