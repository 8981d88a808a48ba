"""`remit remind` over 60 simulated days against a real SMTP server on 127.0.0.1: exactly the
expected messages, each once, in the client's language, headers safe; the log surviving
crashes; refusals reported per invoice; bad settings refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
import yaml
from pypdf import PdfReader

from generator.cli.main import main
from tests.conftest import REPO, SECRET, SITE_TOML
from tests.smtp_server import smtp_server

START = dt.date(2026, 11, 20)
DAYS = 60


def invoice(number: str, client: str, due: str, extra: str = "", top: str = "",
            issued: str = "2026-11-01") -> str:
    return textwrap.dedent(f"""\
        +++
        number = "{number}"
        issued = {issued}
        due = {due}
        {top}
        [client]
        {client}

        [[items]]
        description = "Work"
        unit_price = 100.00
        {extra}
        +++
        """)


INVOICES = {
    "r-1.md": invoice("R-1", 'name = "Jonas Weber"\nemail = "jonas@example.com"', "2026-12-10"),
    # Two installments; the first is paid three days late, so it gets no "7 days late".
    "r-2.md": invoice("R-2", 'name = "Жанна Петрова"\nemail = "zhanna@example.ru"\n'
                      'language = "ru"', "2027-01-05", extra=textwrap.dedent("""\
        quantity = 2
        [[installments]]
        due = 2026-12-05
        amount = 100.00
        [[installments]]
        due = 2027-01-05
        amount = 100.00
        [[payments]]
        date = 2026-12-08
        amount = 100.00""")),
    "r-3.md": invoice("R-3", 'name = "Quiet Client"\nemail = "q@example.com"', "2026-12-10",
                      top="reminders = false"),
    # A name that tries to add a Bcc header; in Afrikaans.
    "r-4.md": invoice("R-4", 'name = "Évelyne Noël\\r\\nBcc: victim@evil.example"\n'
                      'email = "evelyne@example.fr"\nlanguage = "af"', "2026-11-25"),
    # An address that tries the same: never sendable, reported on its days.
    "r-5.md": invoice("R-5", 'name = "Mallory"\n'
                      'email = "m@example.com\\r\\nBcc: victim@evil.example"', "2026-11-30"),
    "r-6.md": invoice("R-6", 'name = "Draft"\nemail = "d@example.com"', "2026-12-10",
                      top="draft = true"),
    "r-7.md": invoice("R-7", 'name = "Paid"\nemail = "p@example.com"', "2026-12-10",
                      extra="[[payments]]\ndate = 2026-11-05\namount = 100.00"),
}

# Worked out by hand from the dates above and the default days -3, 0, 7, 14, 30.
EXPECTED = {
    "R-1": ["2026-12-07", "2026-12-10", "2026-12-17", "2026-12-24", "2027-01-09"],
    "R-2": ["2026-12-02", "2026-12-05", "2027-01-02", "2027-01-05", "2027-01-12"],
    "R-4": ["2026-11-22", "2026-11-25", "2026-12-02", "2026-12-09", "2026-12-25"],
}
UNSENDABLE = ["2026-11-27", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-30"]


def smtp_toml(port: int, extra: str = "") -> str:
    return SITE_TOML + textwrap.dedent(f"""
        [reminders]
        reply_to = "anna@studio.example"
        attach_pdf = false
        {extra}
        [smtp]
        host = "127.0.0.1"
        port = {port}
        tls = "none"
        from = "billing@studio.example"
        """)


def write_site(site, port: int, names=tuple(INVOICES), extra: str = "") -> None:
    (site.root / "site.toml").write_text(smtp_toml(port, extra), encoding="utf-8")
    for name in names:
        site.write(f"content/{name}", INVOICES[name])


def remind(site, day: dt.date | str, *more: str) -> int:
    return main(["remind", str(site.root), "--send", "--today", str(day), *more])


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]


def test_sixty_days_of_reminders(site, capsys):
    with smtp_server() as (server, port):
        write_site(site, port)
        got: dict[str, list[str]] = {}
        unsendable = []
        for n in range(DAYS):
            day = START + dt.timedelta(days=n)
            for run in range(2):  # twice a day: the second run sends nothing
                before = len(server.received)
                code = remind(site, day)
                err = capsys.readouterr().err
                if "R-5: not sent" in err and run == 0:
                    unsendable.append(day.isoformat())
                assert code == (1 if "R-5: not sent" in err else 0), err
                if run == 1:
                    assert len(server.received) == before, f"second run on {day} sent again"
                for r in server.received[before:]:
                    got.setdefault(r.message["X-Remit-Reminder"].split("|")[0], []).append(
                        day.isoformat())
    assert got == EXPECTED
    assert unsendable == UNSENDABLE
    by_number = {r.message["X-Remit-Reminder"].split("|")[0]: r for r in server.received}
    subjects = {n: r.message["Subject"] for n, r in by_number.items()}
    assert subjects == {"R-1": "Invoice R-1 from Studio Lindqvist",
                        "R-2": "Счёт R-2 от Studio Lindqvist",
                        "R-4": "Faktuur R-4 van Studio Lindqvist"}
    for r in server.received:
        msg = r.message
        # Non-ASCII names and subjects travel encoded: the header block is pure ASCII.
        header_block(r.raw).decode("ascii")
        assert msg["From"].addresses[0].addr_spec == "billing@studio.example"
        assert msg["Reply-To"].addresses[0].addr_spec == "anna@studio.example"
        assert len(r.recipients) == 1 and msg.get_all("Bcc") is None
        assert "victim@evil.example" not in r.recipients
        plain = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        link = next(line for line in plain.splitlines() if line.startswith("https://"))
        assert f'href="{link}"' in html
    evelyne = by_number["R-4"].message
    assert evelyne["To"].addresses[0].display_name == "Évelyne Noël Bcc: victim@evil.example"
    assert evelyne["To"].addresses[0].addr_spec == "evelyne@example.fr"
    assert by_number["R-2"].message["To"].addresses[0].display_name == "Жанна Петрова"
    # The last R-4 reminder (30 days late) is the friendly reminder, in Afrikaans.
    late = [r for r in server.received if r.message["X-Remit-Reminder"] == "R-4|2026-11-25|+30"]
    assert len(late) == 1
    assert "vriendelike herinnering" in late[0].message.get_body(("plain",)).get_content().lower()
    lines = [json.loads(x) for x in (site.root / "reminders.log").read_text("utf-8").splitlines()]
    assert Counter(e["state"] for e in lines) == {"sending": 15, "sent": 15}


def test_listing_without_send_sends_nothing(site, capsys):
    with smtp_server() as (server, port):
        write_site(site, port)
        assert main(["remind", str(site.root), "--today", "2026-12-02"]) == 0
        out = capsys.readouterr().out
        assert "R-2  due in 3 days" in out and "R-4  7 days late" in out
        assert "Счёт R-2 от Studio Lindqvist" in out and "to send" in out
        assert remind(site, "2026-12-02", "--dry-run") == 0
        assert "Dry run: 2 would be sent" in capsys.readouterr().out
        assert server.received == [] and not (site.root / "reminders.log").exists()


def run_in_subprocess(site, day: str) -> subprocess.Popen:
    env = {**os.environ, "REMIT_SECRET": SECRET}
    return subprocess.Popen([sys.executable, "-m", "generator", "remind", str(site.root),
                             "--send", "--today", day], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("where", ["between two sends", "during DATA"])
def test_a_crash_never_sends_a_reminder_twice(site, capsys, where):
    """Killed on 2026-12-02 (R-2 and R-4 due): the log on disk decides what the rerun sends."""
    with smtp_server() as (server, port):
        write_site(site, port)
        proc = run_in_subprocess(site, "2026-12-02")

        def kill(count: int) -> None:
            if (where == "during DATA" and count == 1) or \
                    (where == "between two sends" and count == 1 and server.on_data is None):
                os.kill(proc.pid, signal.SIGKILL)
        if where == "during DATA":
            server.on_data = kill  # the server has message 1; the client never hears "250"
        else:
            server.on_mail = kill  # message 1 fully acknowledged; killed at message 2's MAIL
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        server.on_mail = server.on_data = None
        assert len(server.received) == 1
        first = server.received[0].message["X-Remit-Reminder"]
        code = remind(site, "2026-12-02")
        out = capsys.readouterr()
        keys = [r.message["X-Remit-Reminder"] for r in server.received]
        assert sorted(keys) == ["R-2|2026-12-05|-3", "R-4|2026-11-25|+7"]  # each exactly once
        if where == "during DATA":
            # The log says "sending": the rerun does not resend it, and says why.
            assert code == 0 and "interrupted while sending" in out.out
        assert keys[0] == first
        assert remind(site, "2026-12-02") == 0
        assert len(server.received) == 2


def test_smtp_refusals_are_reported_per_invoice_and_retried(site, capsys):
    with smtp_server() as (server, port):
        write_site(site, port)
        server.refuse = {"zhanna@example.ru"}
        assert remind(site, "2026-12-02") == 1
        err = capsys.readouterr().err
        assert "R-2: failed: zhanna@example.ru refused: 550" in err
        assert [r.message["X-Remit-Reminder"] for r in server.received] == ["R-4|2026-11-25|+7"]
        server.refuse = set()
        assert remind(site, "2026-12-02") == 0  # the refused one is tried again, alone
        assert [r.message["X-Remit-Reminder"] for r in server.received] == [
            "R-4|2026-11-25|+7", "R-2|2026-12-05|-3"]
    # The server is gone: every reminder of the day fails, is reported, and the log keeps all.
    assert remind(site, "2026-12-05") == 1
    err = capsys.readouterr().err
    assert "R-2: failed: cannot connect to 127.0.0.1" in err
    states = [json.loads(x)["state"] for x in (site.root / "reminders.log").read_text(
        "utf-8").splitlines()]
    assert states.count("sent") == 2 and states[-1] == "failed"


def test_pdf_is_attached(site, capsys):
    with smtp_server() as (server, port):
        write_site(site, port, ("r-1.md",), extra="")
        toml = (site.root / "site.toml").read_text("utf-8")
        (site.root / "site.toml").write_text(toml.replace("attach_pdf = false", ""), "utf-8")
        assert remind(site, "2026-12-10") == 0
        [received] = server.received
        [pdf] = [p for p in received.message.iter_attachments()
                 if p.get_content_type() == "application/pdf"]
        assert pdf.get_filename() == "R-1.pdf"
        text = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
        assert "R-1" in text and "Jonas Weber" in text


def test_an_encrypted_site_sends_its_link_with_the_key_and_no_pdf(site, capsys):
    with smtp_server() as (server, port):
        write_site(site, port, ("r-1.md",), extra="")
        toml = (site.root / "site.toml").read_text("utf-8")
        (site.root / "site.toml").write_text(
            toml.replace("attach_pdf = false", "").replace(
                "[seller]", 'privacy = "encrypted"\n\n[seller]'), "utf-8")
        assert remind(site, "2026-12-10") == 0
        [received] = server.received
        assert not [p for p in received.message.iter_attachments()
                    if p.get_content_type() == "application/pdf"]
        body = received.message.get_body(("plain",)).get_content()
        assert "#k=" in body


@pytest.mark.parametrize(("toml", "env", "message"), [
    ("[reminders]\ndayz = [1]\n", {}, "reminders.dayz: unknown field; did you mean 'days'?"),
    ("[reminders]\ndays = [\"soon\"]\n", {}, "reminders.days: expected a list of whole numbers"),
    ("[smtp]\nhost = \"smtp.example.com\"\npassword = \"hunter2\"\n", {},
     "smtp.password: never write the SMTP password in site.toml"),
    ("[smtp]\nhost = \"smtp.example.com\"\ntls = \"tls\"\n", {},
     "smtp.tls: unknown value 'tls'"),
    ("[smtp]\nhost = \"smtp.example.com\"\nuser = \"anna\"\n", {"REMIT_SMTP_PASSWORD": ""},
     "REMIT_SMTP_PASSWORD: [smtp] user is 'anna' but no password is set"),
])
def test_bad_reminder_settings(site, capsys, monkeypatch, toml, env, message):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    site.write("content/r-1.md", INVOICES["r-1.md"])
    (site.root / "site.toml").write_text(SITE_TOML + toml, encoding="utf-8")
    assert remind(site, "2026-12-10") == 1
    assert message in capsys.readouterr().err


def test_send_without_smtp_table(site, capsys):
    site.write("content/r-1.md", INVOICES["r-1.md"])
    assert remind(site, "2026-12-10") == 1
    assert "--send needs an [smtp] table" in capsys.readouterr().err


def test_pages_workflow_has_an_optional_daily_reminder_job():
    flow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text("utf-8"))
    job = flow["jobs"]["remind"]
    assert "vars.REMIT_REMINDERS == '1'" in job["if"] and job["needs"] == ["build", "deploy"]
    assert job["permissions"] == {"contents": "write"}  # this job alone commits the log
    send = next(s for s in job["steps"] if "remind" in s.get("run", ""))
    assert "--send" in send["run"]
    assert send["env"]["REMIT_SMTP_PASSWORD"] == "${{ secrets.REMIT_SMTP_PASSWORD }}"
    assert send["env"]["REMIT_BASE_URL"] == "${{ needs.build.outputs.base_url }}"
    keep = job["steps"][-1]
    assert "git add reminders.log" in keep["run"] and "[skip ci]" in keep["run"]
    assert flow["jobs"]["build"]["outputs"]["base_url"] == "${{ steps.pages.outputs.base_url }}"
