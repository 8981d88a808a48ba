"""`remit remind`: the reminders due today, listed; with --send, e-mailed, each only once."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from generator.errors import Problem, RemitError
from generator.figures.reminders import Reminder, reminders_due
from generator.i18n import translations
from generator.model.site import Site
from generator.notify.email import NotSendable, compose
from generator.notify.send import FAILED, SENDING, SENT, ReminderLog, password_for, send_all
from generator.notify.share import ShareMessage, message
from generator.read.site import load_site, today_in
from generator.urls import pdf_name
from generator.view.format import Formatter


def share_message(site: Site, r: Reminder) -> ShareMessage:
    inv = r.invoice
    return message(inv, r.figures, site.url(inv),
                   translations(site.settings.theme_dir, inv.language), site.settings.tz)


def describe(r: Reminder, language: str) -> str:
    inv = r.invoice
    due_now = Formatter(language, inv.currency).money(r.figures.due_now)
    who = inv.client.display_name + (f" <{inv.client.email}>" if inv.client.email
                                      else " (no e-mail address)")
    return f"{inv.number}  {r.stage} ({r.part_due.isoformat()}), {due_now} due now  {who}"


def log_status(log: ReminderLog, key: str) -> str:
    entry = log.entry(key)
    if entry is None:
        return "to send"
    if entry["state"] == SENT:
        return f"already sent ({entry['at']})"
    if entry["state"] == SENDING:
        return (f"interrupted while sending ({entry['at']}): not resent, as the client may "
                "have it; remove its lines from the log to send it again")
    return f"failed last time ({entry.get('error', '')}): will be tried again"


def run(args: argparse.Namespace) -> int:
    site = load_site(args.site, args.base_url)
    settings = site.settings
    today = args.today or today_in(settings)
    due = reminders_due(site.published, today, settings.reminders.days, settings.tz)
    log = ReminderLog(args.log or settings.root / settings.reminders.log)
    if args.send and settings.smtp is None:
        raise RemitError([Problem("site.toml", None, "smtp",
                                  "--send needs an [smtp] table with host (and port, user, "
                                  "from, tls); the password comes from REMIT_SMTP_PASSWORD")])
    password = password_for(settings.smtp) if args.send and settings.smtp \
        and not args.dry_run else None
    if not due:
        print(f"No reminders for {today.isoformat()}.")
        return 0
    print(f"Reminders for {today.isoformat()} (days {', '.join(map(str, settings.reminders.days))}"
          " around each due date):")
    pending = [r for r in due if log.state(r.key) in (None, FAILED)]
    for r in due:
        print(f"  {describe(r, settings.language)}: {log_status(log, r.key)}")
        if not args.send or args.dry_run:
            msg = share_message(site, r)
            print(f"      Subject: {msg.subject}")
            print("\n".join("      " + line if line else "" for line in msg.text.splitlines()))
    if not args.send or args.dry_run or not pending:
        if args.send and args.dry_run:
            print(f"Dry run: {len(pending)} would be sent; nothing was sent or logged.")
        return 0
    return send(site, pending, today, log, password)


def send(site: Site, pending: list[Reminder], today: dt.date, log: ReminderLog,
         password: str | None) -> int:
    settings = site.settings
    assert settings.smtp is not None
    pdfs = {}
    # On an encrypted site the PDF would travel in plain text beside a link that keeps it
    # sealed: the link (with its key) suffices.
    if settings.reminders.attach_pdf and not settings.encrypted:
        pdfs = invoice_pdfs(site, [r.invoice for r in pending], today)
    when = dt.datetime.now(dt.UTC)
    items, failures = [], 0
    for r in pending:
        inv = r.invoice
        pdf = (pdf_name(inv.number), pdfs[inv.number]) if inv.number in pdfs else None
        try:
            mail = compose(inv, share_message(site, r), site.url(inv), settings.smtp.sender,
                           settings.reminders.reply_to, r.key, when, pdf)
        except NotSendable as exc:
            print(f"  {inv.number}: not sent: {exc} ({inv.source})", file=sys.stderr)
            failures += 1
            continue
        items.append((r.key, inv.number, mail))
    sent = 0
    for result in send_all(items, settings.smtp, password, log):
        if result.state == SENT:
            sent += 1
            print(f"  {result.number}: sent")
        else:
            failures += 1
            what = "failed" if result.state == FAILED else \
                "interrupted, may have been sent (not resent)"
            print(f"  {result.number}: {what}: {result.detail}", file=sys.stderr)
    print(f"Sent {sent} reminder{'s' if sent != 1 else ''}; log: {log.path}")
    return 1 if failures else 0


def invoice_pdfs(site: Site, invoices: list, today: dt.date) -> dict[str, bytes]:
    from generator.notify.attach import invoice_pdfs as render  # WeasyPrint only when sending
    return render(site, invoices, today)
