"""Small doors closed: the secret file's mode from its first byte, a closed pipe, numbers too
large for exact money, control characters in payment payloads and calendar files, and links
that a party's website could turn into script."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from generator.errors import RemitError
from generator.read.secret import SECRET_FILE, load_secret
from tests.conftest import INVOICE, REPO, SITE_TOML


def problems(excinfo: pytest.ExceptionInfo[RemitError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_the_secret_file_is_never_readable_by_others(tmp_path, monkeypatch):
    monkeypatch.delenv("REMIT_SECRET")
    modes = []
    # Were it written and then chmod'ed, someone could read it in between: so no chmod at
    # all, and the mode checked the instant after the file appears.
    monkeypatch.setattr(os, "chmod", lambda *a, **k: pytest.fail("chmod after the fact"))
    monkeypatch.setattr(Path, "chmod", lambda *a, **k: pytest.fail("chmod after the fact"))
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    old = os.umask(0o022)
    try:
        secret, notice = load_secret(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / SECRET_FILE
    assert modes == [0o600]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == secret and notice


def test_an_empty_secret_file_is_replaced_and_a_link_never_written_through(tmp_path,
                                                                           monkeypatch):
    monkeypatch.delenv("REMIT_SECRET")
    target = tmp_path / "elsewhere.txt"
    (tmp_path / SECRET_FILE).symlink_to(target)  # dangling: would create the target
    secret, _ = load_secret(tmp_path)
    assert not target.exists()
    assert (tmp_path / SECRET_FILE).read_text().strip() == secret
    assert not (tmp_path / SECRET_FILE).is_symlink()


def test_a_closed_pipe_ends_the_listing_quietly(example_site):
    # `remit list --json | head`: the reader is gone before Remit writes.
    read, write = os.pipe()
    os.close(read)
    try:
        run = subprocess.run([sys.executable, "-m", "generator", "list", "--json",
                              str(example_site.root)], stdout=write, stderr=subprocess.PIPE,
                             cwd=REPO, timeout=120)
    finally:
        os.close(write)
    assert run.stderr == b""
    assert run.returncode == 141  # 128 + SIGPIPE, as a shell reports `cat` in the same place


@pytest.mark.parametrize("line, field, got", [
    ("quantity = 1e400", "items[0].quantity", "1E+400"),
    ('unit_price = "1e9999"', "items[0].unit_price", "'1e9999'"),
    ("unit_price = 1000000000000.00", "items[0].unit_price", "1000000000000.00"),
])
def test_numbers_too_large_for_exact_money_name_their_field(site, line, field, got):
    key = line.split(" = ")[0]
    text = INVOICE.replace(next(x for x in INVOICE.splitlines() if x.startswith(key)), line)
    site.invoice(text=text)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    lineno = text.splitlines().index(line) + 1
    assert problems(excinfo) == [f"content/t-1.md:{lineno}: {field}: too large: at most 12 "
                                 f"digits before the decimal point (got {got})"]


def test_the_largest_allowed_amounts_still_add_up(site):
    text = INVOICE.replace("quantity = 2", "quantity = 999999999999.999").replace(
        "unit_price = 100.00", "unit_price = 999999999999.99")
    site.invoice(text=text)
    site.build()  # no decimal.InvalidOperation from rounding the huge product


@pytest.mark.parametrize("char", ["\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x00",
                                  "\t"])
def test_no_control_character_reaches_the_calendar_file(site, char):
    site.write("site.toml", SITE_TOML.replace('company = "Studio Lindqvist"',
                                              f"company = {json.dumps('Studio' + char + 'X')}"))
    site.invoice()
    site.build()
    data = next(site.output.glob("*/*.ics")).read_bytes()
    unfolded = data.replace(b"\r\n ", b"")
    for line in unfolded.split(b"\r\n"):
        text = line.decode("utf-8")
        assert not [c for c in text if (ord(c) < 32 and c != "\t") or c in
                    "\x7f\x85\u2028\u2029"], line
    summary = str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"])
    assert "Studio" in summary and "X" in summary


@pytest.mark.parametrize("char", ["\x0b", "\x85", "\u2028", "\r", "\x00"])
def test_control_characters_never_reach_a_payment_code(site, char):
    name = json.dumps("Studio" + char + "Lindqvist")
    site.write("site.toml", SITE_TOML + f'\n[payment.sepa]\nbeneficiary = {name}\n'
                                        'iban = "DE89 3704 0044 0532 0130 00"\n')
    site.invoice()
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert any("the beneficiary name must be a single line without control characters" in p
               for p in problems(excinfo)), problems(excinfo)


@pytest.mark.parametrize("where", ["site", "seller", "client"])
def test_a_website_must_be_a_web_address(site, where):
    bad = 'website = "javascript:alert(1)"'
    if where == "site":
        site.write("site.toml", SITE_TOML.replace('phone = "+49', f'{bad}\nphone = "+49'))
        site.invoice()
    else:
        table = "[seller]\n" if where == "seller" else ""
        text = INVOICE.replace("[client]\n", f"{table}{bad}\n\n[client]\n") if table else \
            INVOICE.replace('email = "jonas@example.com"', f'email = "j@x.example"\n{bad}')
        site.invoice(text=text)
    with pytest.raises(RemitError) as excinfo:
        site.build()
    assert any("website: expected a web address such as https://studio.example" in p
               for p in problems(excinfo)), problems(excinfo)


def test_problems_cross_from_a_pool_worker_intact():
    import pickle

    from generator.errors import Problem
    error = RemitError([Problem("themes/x/templates/a.html", 3, None, "boom"),
                        Problem("content/a.md", None, "note", "bad image")])
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, RemitError) and again.problems == error.problems
