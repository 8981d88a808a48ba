"""Sharing: the message and links `remit share` prints, the preview chat apps show, and the
calendar file the client adds the due date from."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest

from generator.cli.main import main
from tests.conftest import INVOICE, TODAY

ON_TIME = INVOICE  # T-1: €238.00 due 2026-11-30, client Jonas Weber without a phone


def with_fields(text: str, top: str = "", client: str = "", tail: str = "") -> str:
    """The default invoice with extra top-level keys, client fields, or tables at the end."""
    head, rest = text.split("\n", 2)[0:2], text.split("\n", 2)[2]
    text = "\n".join(head) + "\n" + (top + "\n" if top else "") + rest
    if client:
        text = text.replace('email = "jonas@example.com"', f'email = "jonas@example.com"\n{client}')
    if tail:
        text = text.replace("+++\nThanks!", f"{tail}\n+++\nThanks!")
    return text


def share(site, capsys, number: str = "T-1", today: dt.date = TODAY) -> dict:
    assert main(["share", number, str(site.root), "--today", today.isoformat(), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def plain(text: str) -> str:
    """CLDR formats use no-break spaces (1 290,00 €); compare with ordinary ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def query(link: str, key: str) -> str:
    return parse_qs(urlsplit(link).query, keep_blank_values=True)[key][0]


# -- the message ----------------------------------------------------------------------------

def test_message_in_english_with_amount_due_date_and_link(site, capsys):
    site.invoice()
    site.build()
    msg = share(site, capsys)
    (folder,) = [p.parent.name for p in site.output.glob("*/index.html")]
    url = f"https://example.github.io/invoices/{folder}/"
    assert msg["text"] == (
        "Hello Jonas Weber,\n\n"
        "Here is invoice T-1 from Studio Lindqvist: €238.00 due by November 30, 2026.\n\n"
        f"You can see it and pay here:\n{url}\n\n"
        "Thank you!\nAnna Lindqvist")
    assert msg["subject"] == "Invoice T-1 from Studio Lindqvist"


def test_mailto_whatsapp_and_sms_links_carry_the_whole_message(site, capsys):
    site.invoice(text=with_fields(INVOICE, client='phone = "+49 30 555 0101"'))
    msg = share(site, capsys)
    mail = urlsplit(msg["mailto"])
    assert mail.scheme == "mailto" and unquote(mail.path) == "jonas@example.com"
    assert query(msg["mailto"], "subject") == msg["subject"]
    # RFC 6068 line breaks; and never '+' for a space, which mail clients would show as '+'.
    assert query(msg["mailto"], "body") == msg["text"].replace("\n", "\r\n")
    assert "+" not in msg["mailto"].split("?", 1)[1]
    wa = urlsplit(msg["whatsapp"])
    assert (wa.scheme, wa.netloc, wa.path) == ("https", "wa.me", "/49305550101")
    assert query(msg["whatsapp"], "text") == msg["text"]
    assert msg["sms"].startswith("sms:+49305550101?body=")
    assert query(msg["sms"], "body") == msg["text"]


def test_links_without_a_client_phone_let_the_sender_choose(site, capsys):
    site.invoice()
    msg = share(site, capsys)
    assert msg["whatsapp"].startswith("https://wa.me/?text=")
    assert msg["sms"].startswith("sms:?body=")


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Здравствуйте, Jonas Weber!",
            "Направляем счёт T-1 от Studio Lindqvist: 238,00 € к оплате до 30 ноября 2026 г.\n",
            "Посмотреть и оплатить его можно здесь:", "Спасибо!"]),
    ("af", ["Goeiedag Jonas Weber,",
            "Hier is faktuur T-1 van Studio Lindqvist: €238,00 betaalbaar teen 30 November "
            "2026.", "U kan dit hier sien en betaal:", "Dankie!"]),
])
def test_message_is_in_the_clients_language(site, capsys, lang, expected):
    site.invoice(text=with_fields(INVOICE, client=f'language = "{lang}"'))
    msg = share(site, capsys)
    assert msg["language"] == lang
    for line in expected:
        assert line in plain(msg["text"])
    assert "Invoice" not in msg["subject"]


def test_wording_follows_the_status(site, capsys):
    site.invoice()
    overdue = share(site, capsys, today=dt.date(2026, 12, 3))["text"]
    assert "A friendly reminder about invoice T-1 from Studio Lindqvist: €238.00 was due on " \
           "November 30, 2026. If you have already paid, thank you" in overdue
    site.invoice(text=with_fields(INVOICE, tail="[[payments]]\ndate = 2026-11-20\n"
                                                "amount = 238.00"))
    paid = share(site, capsys)["text"]
    assert "It is paid in full: thank you!" in paid and "You can see it and download it" in paid
    site.invoice(text=with_fields(INVOICE, top="void = true"))
    assert "has been cancelled: nothing is due." in share(site, capsys)["text"]


def test_installments_name_the_next_payment(site, capsys):
    site.invoice(text=with_fields(INVOICE, tail="[[installments]]\ndue = 2026-11-25\n"
                                                "percent = 50\n[[installments]]\n"
                                                "due = 2026-12-25\npercent = 50"))
    text = share(site, capsys)["text"]
    assert "Here is invoice T-1 from Studio Lindqvist for €238.00: €119.00 due by " \
           "November 25, 2026. After that: €119.00 by December 25, 2026." in text


def test_reminder_names_each_late_part_with_its_own_amount_and_date(site, capsys):
    site.invoice(text=with_fields(INVOICE, tail="[deposit]\npercent = 30\ndue = 2026-11-25\n"
                                                "[[installments]]\ndue = 2026-11-30\n"
                                                "amount = 66.60\n"
                                                "[[installments]]\ndue = 2026-12-16\n"
                                                "amount = 100.00"))
    text = share(site, capsys, today=dt.date(2027, 1, 15))["text"]
    # 30% of 238.00 was due on 25 Nov, 66.60 on 30 Nov, 100.00 on 16 Dec.
    assert "A friendly reminder about invoice T-1 from Studio Lindqvist: €71.40 was due on " \
           "November 25, 2026; €66.60 was due on November 30, 2026; €100.00 was due on " \
           "December 16, 2026. If you have already paid" in text
    early = share(site, capsys, today=dt.date(2026, 11, 26))["text"]
    assert "€71.40 was due on November 25, 2026. If you have already paid, thank you, and " \
           "please ignore this message. After that: €66.60 by November 30, 2026." in early


def test_an_offer_is_shared_with_both_prices_and_their_dates(example_site, capsys):
    text = share(example_site, capsys, "2026-009", dt.date(2026, 11, 24))["text"]
    assert "Here is invoice 2026-009 from Studio Lindqvist for €1,199.69: €1,139.71 if paid " \
           "by November 26, 2026, otherwise €1,199.69 due by December 3, 2026." in text
    after = share(example_site, capsys, "2026-009", dt.date(2026, 11, 27))["text"]
    assert "Here is invoice 2026-009 from Studio Lindqvist: €1,199.69 due by December 3, " \
           "2026." in after and "1,139.71" not in after
    tiers = plain(share(example_site, capsys, "2026-008", dt.date(2026, 11, 24))["text"])
    assert "R24 900,00 indien u teen 27 November 2026 betaal, R25 500,00 indien u teen " \
           "1 Desember 2026 betaal, andersins R25 932,50 betaalbaar teen 4 Desember " \
           "2026." in tiers


def test_share_prints_message_then_ready_links(site, capsys):
    site.invoice()
    assert main(["share", "T-1", str(site.root), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Hello Jonas Weber,"
    assert [line.split()[0] for line in out[-3:]] == ["E-mail:", "WhatsApp:", "SMS:"]
    assert out[-3].split()[1].startswith("mailto:jonas@example.com?subject=Invoice%20T-1")


def test_share_unknown_or_draft_invoice_is_a_clear_error(site, capsys):
    site.invoice()
    site.invoice("d.md", with_fields(INVOICE.replace('"T-1"', '"T-2"'), top="draft = true"))
    assert main(["share", "T-11", str(site.root)]) == 1
    assert "no invoice numbered 'T-11'; did you mean T-1?" in capsys.readouterr().err
    assert main(["share", "T-2", str(site.root)]) == 1
    assert "invoice T-2 is a draft and not published" in capsys.readouterr().err


def test_list_shows_each_invoice_url(site, capsys):
    site.invoice()
    site.build()
    (folder,) = [p.parent.name for p in site.output.glob("*/index.html")]
    assert main(["list", str(site.root), "--today", TODAY.isoformat()]) == 0
    assert f"https://example.github.io/invoices/{folder}/" in capsys.readouterr().out


# -- link previews --------------------------------------------------------------------------

def meta(page, key: str) -> str:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"]


def test_preview_tags_name_seller_number_and_amount(site):
    site.invoice()
    site.build()
    page = site.pages()["T-1"]
    (folder,) = [p.parent.name for p in site.output.glob("*/index.html")]
    assert meta(page, "og:title") == "Invoice T-1 · Studio Lindqvist"
    assert meta(page, "og:description") == "€238.00 due by November 30, 2026"
    assert meta(page, "og:url") == f"https://example.github.io/invoices/{folder}/"
    assert meta(page, "og:site_name") == "Studio Lindqvist"
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "twitter:title") == meta(page, "og:title")
    assert meta(page, "twitter:description") == meta(page, "og:description")


def test_preview_tags_in_the_clients_language(site):
    site.invoice(text=with_fields(INVOICE, client='language = "ru"'))
    site.build()
    page = site.pages()["T-1"]
    assert meta(page, "og:title") == "Счёт T-1 · Studio Lindqvist"
    assert plain(meta(page, "og:description")) == "238,00 € к оплате до 30 ноября 2026 г."


def test_site_can_keep_amounts_out_of_previews(site):
    text = (site.root / "site.toml").read_text()
    site.write("site.toml", text.replace('language = "en"',
                                         'language = "en"\nhide_amounts_in_previews = true'))
    site.invoice()
    site.build()
    page = site.pages()["T-1"]
    assert meta(page, "og:description") == "Due by November 30, 2026"
    for tag in page.find_all("meta"):
        assert "238" not in tag.get("content", "")
    assert "€238.00" in page.select_one("[data-amount-due]").get_text()  # the page still does


# -- the calendar file ----------------------------------------------------------------------

def calendar_of(site, number: str = "T-1"):
    page = site.pages()[number]
    link = page.select_one(".calendar-link a")
    (folder,) = {p.parent for p in site.output.glob("*/index.html")
                 if number in p.read_text(encoding="utf-8")}
    raw = (folder / link["href"]).read_bytes()
    return link, raw, icalendar.Calendar.from_ical(raw)


def test_ics_is_an_all_day_event_on_the_due_date_with_a_reminder(site):
    site.invoice()
    site.build()
    link, raw, cal = calendar_of(site)
    assert link["href"] == "t-1.ics" and link.get_text() == "Add the due date to your calendar"
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2026, 11, 30)  # a date: all day, no time zone
    assert event.decoded("DTEND") == dt.date(2026, 12, 1)
    assert str(event["SUMMARY"]) == "Pay invoice T-1 to Studio Lindqvist: €238.00"
    assert "https://example.github.io/invoices/t-1-" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # issue date
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=15)  # 09:00 the day before
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.endswith(b"END:VCALENDAR\r\n")


def test_ics_has_one_event_per_part_left_to_pay_in_the_clients_language(site):
    seller = '[seller]\nname = "Anna Lindqvist"\ncompany = "Studio; Lindqvist, Berlin"'
    site.invoice(text=with_fields(
        INVOICE, client='language = "ru"',
        tail="[[installments]]\ndue = 2026-11-10\npercent = 50\n[[installments]]\n"
             "due = 2026-12-10\npercent = 50\n[[payments]]\ndate = 2026-11-09\n"
             f"amount = 119.00\n{seller}"))
    site.build()
    link, _, cal = calendar_of(site)
    assert link.get_text() == "Добавить срок оплаты в календарь"
    events = cal.walk("VEVENT")
    # The first half is paid: only the second is left, so only it is in the calendar.
    assert [e.decoded("DTSTART") for e in events] == [dt.date(2026, 12, 10)]
    assert plain(str(events[0]["SUMMARY"])) == \
        "Оплатить счёт T-1 (Studio; Lindqvist, Berlin): 119,00 €"  # escaping round-trips
    site.invoice(text=with_fields(
        INVOICE, tail="[[installments]]\ndue = 2026-11-10\npercent = 50\n[[installments]]\n"
                      "due = 2026-12-10\npercent = 50"))
    site.build()
    link, _, cal = calendar_of(site)
    assert link.get_text() == "Add the due dates to your calendar"
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == 2


def test_no_calendar_once_nothing_is_due(site):
    site.invoice(text=with_fields(INVOICE, tail="[[payments]]\ndate = 2026-11-20\n"
                                                "amount = 238.00"))
    site.build()
    assert site.pages()["T-1"].select_one(".calendar-link") is None
    assert list(site.output.rglob("*.ics")) == []
