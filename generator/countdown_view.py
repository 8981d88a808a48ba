"""What the countdown templates and the page's inline script see: texts made, states named.

The build renders every state for its instant (what a reader without JavaScript and the PDF
see). For the script it adds a timeline: the figures at each future instant where they change
(a tier ending, a part falling due), with every amount already formatted and every message
already translated, so the script only picks, counts and fills in relative time.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_timezone_location

from generator import countdown as cdn
from generator.config import SiteConfig
from generator.countdown import Stage
from generator.derive import Figures, derive
from generator.i18n import translations
from generator.model import Invoice

PASSED, NEXT, LATER = "passed", "next", "later"


def stage_templates(inv: Invoice, site: SiteConfig) -> dict[str, str]:
    """Default wording per stage, translated, with {name} {amount} {date} {paid} {relative}."""
    tr = translations(site.theme_dir, inv.language)
    _ = tr.gettext
    keep = {k: "{" + k + "}" for k in ("name", "amount", "date", "paid", "relative")}
    texts = {
        Stage.UPCOMING: _("Dear %(name)s, %(amount)s is due by %(date)s. You can pay at any "
                          "time before then, by link, QR code or bank transfer, as shown "
                          "below."),
        Stage.SOON: _("Dear %(name)s, a friendly reminder: %(amount)s is due %(relative)s, "
                      "on %(date)s. Paying takes a minute with the options below."),
        Stage.TODAY: _("Dear %(name)s, %(amount)s is due today, %(date)s. If you have already "
                       "paid, thank you, and please ignore this reminder."),
        Stage.OVERDUE_1: _("Dear %(name)s, %(amount)s was due on %(date)s, %(relative)s, and "
                           "we have not received it yet. If it is on its way, thank you; if "
                           "not, you can pay below in one step."),
        Stage.OVERDUE_7: _("Dear %(name)s, %(amount)s was due on %(date)s, %(relative)s, and "
                           "has not reached us yet. Please pay it with any of the options "
                           "below, or let us know if something is holding it up."),
        Stage.OVERDUE_14: _("Dear %(name)s, %(amount)s due on %(date)s is still outstanding "
                            "(%(relative)s). Please arrange payment with the options below, or "
                            "contact us so that we can find a way together."),
        Stage.OVERDUE_30: _("Dear %(name)s, %(amount)s due on %(date)s is still outstanding, "
                            "now for more than a month (%(relative)s). Please pay it with one "
                            "of the options below or contact us; we are glad to agree a plan."),
        Stage.PARTIAL: _("Dear %(name)s, thank you for your payment of %(paid)s. The remaining "
                         "%(amount)s is due by %(date)s."),
        Stage.PAID: _("Dear %(name)s, thank you! We have received your payment of %(paid)s "
                      "in full. This page is your receipt."),
        Stage.VOID: _("Dear %(name)s, this invoice has been cancelled. Nothing is due and "
                      "there is nothing you need to do."),
        Stage.DRAFT: _("Draft: not yet sent."),
    }
    return {str(k): v % keep if "%(" in v else v for k, v in texts.items()}


def fill(template: str, values: dict[str, str]) -> str:
    """The one substitution the script repeats: {key} -> value, nothing else."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def relative_days(days: int, language: str) -> str:
    """ "in 3 days" / "3 days ago", as Intl.RelativeTimeFormat(numeric: 'always') says it."""
    return format_timedelta(dt.timedelta(days=days), granularity="day", threshold=10**9,
                            add_direction=True, locale=language)


def unit_text(language: str, site: SiteConfig, n: int, unit: str) -> str:
    ngettext = translations(site.theme_dir, language).ngettext
    forms = {
        "day": ngettext("%(num)s day", "%(num)s days", n),
        "hour": ngettext("%(num)s hour", "%(num)s hours", n),
        "minute": ngettext("%(num)s minute", "%(num)s minutes", n),
    }
    return forms[unit] % {"num": n}


def left_text(units: tuple[tuple[int, str], ...], template: str, language: str,
              site: SiteConfig) -> str:
    if not units:
        return ""
    return fill(template, {"time": " ".join(unit_text(language, site, n, u) for n, u in units)})


def deadline_text(d: cdn.Deadline, language: str, tz: ZoneInfo) -> str:
    """An absolute date (and time, with the site's city) that stays true in the PDF."""
    text = format_date(d.day, "full", locale=language)
    if d.time is not None:
        city = get_timezone_location(tz, locale=language, return_city=True)
        text += f", {format_time(d.time, 'short', locale=language)} ({city})"
    return text


def ms(instant: dt.datetime) -> int:
    return int(instant.timestamp() * 1000)


def stage_message(templates: dict[str, str], fig: Figures, inv: Invoice, money: Any,
                  date: Any, tz: ZoneInfo) -> str:
    return fill(templates[fig.stage.value], message_values(fig, inv, money, date, tz))


def message_values(fig: Figures, inv: Invoice, money: Any, date: Any, tz: ZoneInfo,
                   ) -> dict[str, str]:
    # The message states what is due by the due date; an offer's lower price for paying
    # sooner is the figure above it and the offer's own block below.
    values = {"name": inv.client.name, "amount": money(fig.price.full or fig.due_now),
              "date": date(fig.stage_date), "paid": money(fig.paid)}
    if fig.stage_date is not None and fig.instant is not None:
        days = (fig.stage_date - fig.instant.astimezone(tz).date()).days
        values["relative"] = relative_days(days, inv.language)
    return values


def timeline(inv: Invoice, tz: ZoneInfo, fig: Figures) -> list[tuple[dt.datetime, Figures]]:
    """The figures at the build's instant (`fig`, already derived) and at each later instant
    where amounts or tiers may change."""
    assert fig.instant is not None, "derive() always sets the instant"
    start = fig.instant
    cd = inv.countdown
    moments = {s.by.instant(tz) for s in cd.tiers}
    if cd.incentive:
        moments.add(cd.incentive.by.instant(tz))
    for part in fig.parts:
        moments.add(cdn.start_of_day(part.due, tz))
        moments.add(cdn.start_of_day(part.due + dt.timedelta(days=1), tz))
    return [(start, fig)] + [
        (m, derive(inv, cdn.local_day(m, tz), tz, m)) for m in sorted(moments) if m > start]


def countdown_view(inv: Invoice, fig: Figures, site: SiteConfig, money: Any,
                   date: Any) -> dict[str, Any]:
    tz = site.tz
    lang = inv.language
    cd = inv.countdown
    assert fig.instant is not None, "derive() always sets the instant"
    instant = fig.instant
    _ = translations(site.theme_dir, lang).gettext
    templates = stage_templates(inv, site)
    left = _("%(time)s left") % {"time": "{time}"}
    payable = fig.stage not in (Stage.PAID, Stage.VOID, Stage.DRAFT)

    ms_deadlines = [m.by.instant(tz) for m in cd.milestones]
    nxt = cdn.next_milestone(ms_deadlines, instant)
    milestones = []
    for n, (m, until) in enumerate(zip(cd.milestones, ms_deadlines, strict=True)):
        state = PASSED if instant >= until else NEXT if n == nxt else LATER
        milestones.append({
            "by": deadline_text(m.by, lang, tz), "by_iso": until.isoformat(), "until": ms(until),
            "message": m.message, "after": m.after, "state": state,
            "left": left_text(cdn.remaining(instant, until), left, lang, site)
            if state == NEXT else "",
        })

    steps = cdn.price_steps(cd, fig.totals.total, inv.currency)
    tiers = []
    for n, s in enumerate(steps):
        until = s.by.instant(tz)
        state = PASSED if instant >= until else NEXT if n == fig.price.step else LATER
        tiers.append({"by": deadline_text(s.by, lang, tz), "until": ms(until),
                      "amount": money(s.amount), "label": s.label, "state": state,
                      "left": left_text(cdn.remaining(instant, until), left, lang, site)
                      if state == NEXT else ""})
    incentive = None
    if cd.incentive is not None and payable:
        inc = cd.incentive
        until = inc.by.instant(tz)
        incentive = {
            "kind": inc.kind, "percent": f"{inc.percent.normalize():f}",
            "by": deadline_text(inc.by, lang, tz), "until": ms(until),
            "open": instant < until, "review_url": inc.review_url, "message": inc.message,
            "price": tiers[0]["amount"] if inc.kind == "off" else None,
            "full": money(fig.totals.total),
            "cashback": money(fig.price.cashback) if fig.price.cashback else None,
            "left": left_text(cdn.remaining(instant, until), left, lang, site),
        }

    segments = []
    for start, f in timeline(inv, tz, fig) if payable else []:
        values = message_values(f, inv, money, date, tz)
        segments.append({
            "from": ms(start), "stage": f.stage.value, "due": f.stage_date.isoformat()
            if f.stage_date else None, "amount": money(f.due_now),
            "full": money(f.price.full) if f.price.offer is not None else None,
            "step": f.price.step, "values": {k: v for k, v in values.items() if k != "relative"},
            "fixed": f.stage.value in ("paid", "void", "draft"), "paidAny": f.paid > 0,
        })
    data = {
        "tz": site.timezone, "lang": lang, "built": ms(instant), "templates": templates,
        "left": left, "segments": segments, "showPassed": cd.show_passed,
    }
    return {
        "stage": fig.stage.value,
        "message": stage_message(templates, fig, inv, money, date, tz),
        "payable": payable,
        "offer_full": money(fig.price.full) if fig.price.offer is not None else None,
        "late_fee": cd.late_fee if payable else None,
        "late_fee_shown": fig.stage.value.startswith("overdue"),
        "milestones": milestones if payable else [],
        "show_passed": cd.show_passed,
        "tiers": tiers if payable and cd.tiers else [],
        "incentive": incentive,
        "video": video_view(cd.video),
        # </ cannot end the script element early: JSON escapes it.
        "data_json": json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/"),
    }


def video_view(video: cdn.Video | None) -> dict[str, Any] | None:
    if video is None:
        return None
    host = {"youtube": "YouTube", "vimeo": "Vimeo"}.get(video.kind)
    return {"kind": video.kind, "watch_url": video.watch_url, "embed_url": video.embed_url,
            "host": host, "file": video.ref if video.kind == "file" else None}
