"""What the countdown templates and the page's inline script see: texts made, states named.

The build renders every state for its instant (what a reader without JavaScript and the PDF
see). For the script it adds a timeline: the figures at each future instant where they change
(a tier ending, a part falling due), with every amount already formatted and every message
already translated, so the script only picks, counts and fills in relative time."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from babel.support import NullTranslations

from generator import i18n
from generator.figures import countdown as cdn
from generator.figures.countdown import Stage
from generator.figures.derive import Figures
from generator.figures.timeline import timeline
from generator.figures.totals import ZERO
from generator.i18n import translations
from generator.model.countdown import Deadline, Video
from generator.model.invoice import Invoice
from generator.model.settings import Settings
from generator.view.format import Formatter
from generator.view.terms import terms

PASSED, NEXT, LATER = "passed", "next", "later"
OFFER = "offer"  # the wording while a price tier or early-payment discount is open
PARTIAL_NEXT = "partial_next"  # something paid; what is due next is not all that is left


def stage_templates(inv: Invoice, settings: Settings) -> dict[str, str]:
    """Default wording per stage, translated, with {name} {amount} {date} {paid} {relative}.
    When the owner's note already greets the client, the page greets once: the stage
    messages lose their "Dear {name}," (the share text and e-mails keep their own)."""
    texts = _stage_templates(translations(settings.theme_dir, inv.language))
    if not note_greets(inv.note, inv.client.name):
        return dict(texts)
    return {k: without_greeting(v) for k, v in texts.items()}


@lru_cache(maxsize=256)  # asked twice a page (its blocks and its countdown data)
def note_greets(note: str, name: str) -> bool:
    """Does the note open by addressing the client ("Hello Jonas,", "Goeie dag Pieter,",
    "Здравствуйте, Мария!")? Their name within its first five words, then a comma or "!"."""
    words = [re.escape(w) for w in re.findall(r"\w{2,}", name)]
    first = next((line for line in note.splitlines() if line.strip()), "")
    if not words or not first:
        return False
    return re.match(rf"\W*(?:[\w'’-]+\W+){{0,4}}?(?:{'|'.join(words)})\s*[,!:]",
                    first.strip()) is not None


def without_greeting(template: str) -> str:
    """ "Dear {name}, {amount} is due…" -> "{amount} is due…"; other wording unchanged."""
    rest = re.sub(r"^[^{.]{0,40}\{name\}\s*[,!]\s*", "", template, count=1)
    if rest == template or not rest:
        return template
    return rest[0].upper() + rest[1:]


@lru_cache(maxsize=64)
def _stage_templates(tr: NullTranslations) -> dict[str, str]:
    # Once per catalog (a theme edit compiles new ones): the same for every invoice.
    _ = tr.gettext
    keep = {k: "{" + k + "}" for k in ("name", "amount", "date", "paid", "relative", "terms")}
    texts: dict[str, str] = {
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
        PARTIAL_NEXT: _("Dear %(name)s, thank you for your payment of %(paid)s. The next "
                        "payment, %(amount)s, is due by %(date)s."),
        # While an offer is open the amount depends on the day of payment: say both.
        OFFER: _("Dear %(name)s, the amount depends on when you pay: %(terms)s."),
    }
    return {str(k): v % keep if "%(" in v else v for k, v in texts.items()}


def fill(template: str, values: dict[str, str]) -> str:
    """The one substitution the script repeats: {key} -> value, nothing else."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


@lru_cache(maxsize=4096)
def relative_days(days: int, language: str) -> str:
    """ "in 3 days" / "3 days ago", as Intl.RelativeTimeFormat(numeric: 'always') says it."""
    return format_timedelta(dt.timedelta(days=days), granularity="day", threshold=10**9,
                            add_direction=True, locale=language)


def unit_text(language: str, settings: Settings, n: int, unit: str) -> str:
    ngettext = translations(settings.theme_dir, language).ngettext
    forms = {
        "day": ngettext("%(num)s day", "%(num)s days", n),
        "hour": ngettext("%(num)s hour", "%(num)s hours", n),
        "minute": ngettext("%(num)s minute", "%(num)s minutes", n),
    }
    return forms[unit] % {"num": n}


def left_text(units: tuple[tuple[int, str], ...], template: str, language: str,
              settings: Settings) -> str:
    if not units:
        return ""
    return fill(template, {"time": " ".join(unit_text(language, settings, n, u) for n, u in units)})


def deadline_text(d: Deadline, language: str, tz: ZoneInfo) -> str:
    """An absolute date (and time, with the site's city) that stays true in the PDF."""
    text = i18n.date(d.day, language, "full")
    if d.time is not None:
        text += f", {i18n.clock(d.time, language, tz)}"
    return text


def ms(instant: dt.datetime) -> int:
    return int(instant.timestamp() * 1000)


def template_key(fig: Figures) -> str:
    fixed = fig.stage in (Stage.PAID, Stage.VOID, Stage.DRAFT)
    if fig.price.offer is not None and not fixed:
        return OFFER
    if fig.stage is Stage.PARTIAL and next_is_not_all(fig):
        return PARTIAL_NEXT
    return fig.stage.value


def next_is_not_all(fig: Figures) -> bool:
    """Whether the earliest unpaid date's parts leave more to pay after them."""
    first = sum((p.remaining for p in fig.parts if p.due == fig.stage_date), ZERO)
    return first < fig.balance


def message_of(templates: dict[str, str], fig: Figures, values: dict[str, str]) -> str:
    """The stage message of `fig`, given its message_values."""
    return join_more(fill(templates[template_key(fig)], values), values["more"])


def join_more(message: str, more: str) -> str:
    return f"{message} {more}" if more else message


def message_values(fig: Figures, inv: Invoice, f: Formatter, tz: ZoneInfo,
                   t: NullTranslations) -> dict[str, str]:
    # {amount} and {date} are the earliest unpaid date's own amount and that date, so a late
    # notice never names a later part's money; other late parts follow in {more}.
    tm = terms(inv, fig, f, tz, t)
    first = tm.due[0].amount if tm and tm.due else fig.due_now
    values = {"name": inv.client.name, "amount": f.money(first),
              "date": f.date(fig.stage_date), "paid": f.money(fig.paid),
              "terms": tm.now if tm else "", "more": tm.more if tm else ""}
    if fig.stage_date is not None and fig.instant is not None:
        days = (fig.stage_date - fig.instant.astimezone(tz).date()).days
        values["relative"] = relative_days(days, inv.language)
    return values


def countdown_view(inv: Invoice, fig: Figures, settings: Settings, f: Formatter,
                   moments: list[tuple[dt.datetime, Figures]] | None = None,
                   block_of: list[int] | None = None,
                   said: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """`moments` (the timeline, from `fig` on), `block_of` (the page block each shows) and
    `said` (each moment's message_values) come from view/segments.py when the page has its
    blocks; tests may leave them out."""
    tz = settings.tz
    lang = inv.language
    cd = inv.countdown
    assert fig.instant is not None, "derive() always sets the instant"
    instant = fig.instant
    tr = translations(settings.theme_dir, lang)
    _ = tr.gettext
    templates = stage_templates(inv, settings)
    left = _("%(time)s left") % {"time": "{time}"}
    payable = fig.stage not in (Stage.PAID, Stage.VOID, Stage.DRAFT)

    ms_deadlines = [m.by.instant(tz) for m in cd.milestones]
    nxt = cdn.first_open(ms_deadlines, instant)
    milestones = []
    for n, (m, until) in enumerate(zip(cd.milestones, ms_deadlines, strict=True)):
        state = PASSED if instant >= until else NEXT if n == nxt else LATER
        milestones.append({
            "by": deadline_text(m.by, lang, tz), "by_iso": until.isoformat(), "until": ms(until),
            "message": m.message, "after": m.after, "state": state,
            "left": left_text(cdn.remaining(instant, until), left, lang, settings)
            if state == NEXT else "",
        })

    steps = cdn.price_steps(cd, fig.totals.total, inv.currency)
    tiers = []
    for n, s in enumerate(steps):
        until = s.by.instant(tz)
        state = PASSED if instant >= until else NEXT if n == fig.price.step else LATER
        tiers.append({"by": deadline_text(s.by, lang, tz), "until": ms(until),
                      "amount": f.money(s.amount), "label": s.label, "state": state,
                      "left": left_text(cdn.remaining(instant, until), left, lang, settings)
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
            "full": f.money(fig.totals.total),
            "cashback": f.money(fig.price.cashback) if fig.price.cashback else None,
            "left": left_text(cdn.remaining(instant, until), left, lang, settings),
        }

    segments = []
    if moments is None or said is None:
        moments = moments or timeline(inv, tz, fig)
        said = [message_values(at, inv, f, tz, tr) for _start, at in moments]
    for n, (start, at) in enumerate(moments if payable else []):
        values = said[n]
        segments.append({
            "from": ms(start), "stage": at.stage.value, "due": at.stage_date.isoformat()
            if at.stage_date else None, "amount": f.money(at.due_now),
            "full": f.money(at.price.full) if at.price.offer is not None else None,
            "step": at.price.step, "values": {k: v for k, v in values.items() if k != "relative"},
            "fixed": at.stage.value in ("paid", "void", "draft"), "paidAny": at.paid > 0,
            "offer": template_key(at) == OFFER, "partialNext": next_is_not_all(at),
            "block": block_of[n] if block_of else 0,
        })
    data = {
        "tz": settings.timezone, "lang": lang, "built": ms(instant), "templates": templates,
        "left": left, "segments": segments, "showPassed": cd.show_passed,
    }
    return {
        "stage": fig.stage.value,
        "message": message_of(templates, fig, said[0]),
        "payable": payable,
        "offer_full": f.money(fig.price.full) if fig.price.offer is not None else None,
        "late_fee": cd.late_fee if payable else None,
        "late_fee_shown": fig.stage.value.startswith("overdue"),
        "milestones": milestones if payable else [],
        "show_passed": cd.show_passed,
        "tiers": tiers if payable and cd.tiers else [],
        "incentive": incentive,
        "video": video_view(cd.video),
        "data_json": script_json(data, "templates"),
    }


def script_json(data: dict[str, Any], same: str | None = None) -> str:
    """JSON safe inside a <script> element: `<`, `>` and `&` as \\u escapes, so that no text
    (`</script>`, `<!--<script>`) can end the element early or change how the rest of the page
    parses; U+2028/2029 too, which older JavaScript parsers take for line breaks.
    `same`: a key whose value many pages share (the stage wordings of a language), encoded
    once per distinct value and put in its sorted place: the text json.dumps gives."""
    if same is None or not isinstance(data.get(same), dict):
        text = _dumps(data)
    else:
        rest = {k: v for k, v in data.items() if k != same}
        shared = _dumps_strings(tuple(data[same].items()))
        before = _dumps({k: v for k, v in rest.items() if k < same})
        after = _dumps({k: v for k, v in rest.items() if k > same})
        text = "".join((before[:-1], ", " if len(before) > 2 else "", f"{json.dumps(same)}: ",
                        shared, ", " if len(after) > 2 else "", after[1:]))
    for ch, escaped in _SCRIPT_ESCAPES:
        if ch in text:  # escapes made once, not five f-strings a page
            text = text.replace(ch, escaped)
    return text


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=256)
def _dumps_strings(items: tuple[tuple[str, object], ...]) -> str:
    # Keyed by the items themselves (str keys and values: cheap to hash, immutable).
    return _dumps(dict(items))


_SCRIPT_ESCAPES = tuple((ch, f"\\u{ord(ch):04x}") for ch in "<>&\u2028\u2029")


def video_view(video: Video | None) -> dict[str, Any] | None:
    if video is None:
        return None
    host = {"youtube": "YouTube", "vimeo": "Vimeo"}.get(video.kind)
    return {"kind": video.kind, "watch_url": video.watch_url, "embed_url": video.embed_url,
            "host": host, "file": video.ref if video.kind == "file" else None}
