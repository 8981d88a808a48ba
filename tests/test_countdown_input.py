"""Bad countdown input is a clear build error naming file, line and field; good input builds."""

from __future__ import annotations

import pytest

from generator.errors import RemitError
from tests.conftest import INVOICE, tree_snapshot

TOP = "due = 2026-11-30"


def invoice(top: str = "", tables: str = "") -> str:
    head, _, _ = INVOICE.rpartition("+++")
    return head.replace(TOP, TOP + "\n" + top) + tables + "\n+++\n"


def problems(site, text: str) -> list[str]:
    site.invoice(text=text)
    with pytest.raises(RemitError) as err:
        site.build()
    return [str(p) for p in err.value.problems]


def test_milestones_out_of_order(site):
    found = problems(site, invoice(tables="""
[[milestones]]
by = 2026-11-27
message = "Second"

[[milestones]]
by = 2026-11-25
message = "First"
"""))
    assert len(found) == 1
    assert found[0].startswith("content/t-1.md:22: milestones[1].by: milestones must be listed "
                               "in order of their deadlines")


def test_milestone_after_the_due_date_needs_a_reason(site):
    text = invoice(tables="""
[[milestones]]
by = 2026-12-05
message = "Pay by the 5th and we deliver before Christmas."
""")
    (found,) = problems(site, text)
    assert "content/t-1.md" in found and "milestones[0].by" in found
    assert "after the invoice's due date 2026-11-30" in found and "after_due_reason" in found
    site.invoice(text=text.replace('message = "Pay', 'after_due_reason = "Delivery slot"\n'
                                                   'message = "Pay'))
    assert site.build().pages == 1


def test_later_tier_cheaper(site):
    (found,) = problems(site, invoice(tables="""
[[price_tiers]]
by = 2026-11-24
amount = 220.00

[[price_tiers]]
by = 2026-11-26
amount = 210.00
"""))
    assert found.startswith("content/t-1.md:23: price_tiers[1].amount: a later tier must not "
                            "be cheaper: 210.00 by 2026-11-26 is less than 220.00 by 2026-11-24")


def test_tier_above_the_total_that_follows_it(site):
    (found,) = problems(site, invoice(tables="""
[[price_tiers]]
by = 2026-11-28
amount = 250.00
"""))
    assert "price_tiers[0].amount: tier price 250.00 is more than the invoice total 238.00" \
        in found


def test_incentive_after_the_due_date(site):
    (found,) = problems(site, invoice(tables="""
[incentive]
by = 2026-12-01
percent = 5
"""))
    assert found.startswith("content/t-1.md:")
    assert "incentive.by: the incentive ends 2026-12-01, after the invoice's due date" in found


def test_offer_with_a_deposit_is_refused(site):
    (found,) = problems(site, invoice(tables="""
[deposit]
percent = 30

[incentive]
by = 2026-11-20
percent = 5
"""))
    assert "incentive: a price tier or early-payment discount applies to the whole invoice" \
        in found


@pytest.mark.parametrize("link, expected", [
    ("https://dailymotion.com/video/x8", "unsupported video host 'dailymotion.com'"),
    ("https://www.youtube.com/watch?v=short", "no video id in this YouTube link"),
    ("https://vimeo.com/channels/staff", "no video number in this Vimeo link"),
    ("videos/hello.avi", "a video file must be one of .mp4"),
    ("videos/missing.mp4", "no such file content/videos/missing.mp4"),
    ("../secret.mp4", "a video file must be inside content/"),
])
def test_bad_video(site, link, expected):
    (found,) = problems(site, invoice(top=f'video = "{link}"'))
    assert found.startswith("content/t-1.md:5: video: ")
    assert expected in found
    if link == "../secret.mp4":
        assert not (site.root / "secret.mp4").exists()


@pytest.mark.parametrize("value, expected", [
    ('"next friday"', "expected a date such as 2026-11-25, or a date and time"),
    ("2026-11-25T18:00:00+02:00", "deadlines are in the site's time zone"),
])
def test_bad_deadline(site, value, expected):
    (found,) = problems(site, invoice(tables=f"""
[[milestones]]
by = {value}
message = "Soon"
"""))
    assert "milestones[0].by" in found and expected in found


def test_unknown_fields_and_choices_are_named(site):
    found = problems(site, invoice(top='passed_milestones = "fade"', tables="""
[incentive]
by = 2026-11-20
percent = 5
kind = "refund"
"""))
    assert any("passed_milestones: unknown value 'fade'" in p for p in found), found
    assert any("incentive.kind: unknown value 'refund'" in p for p in found), found


def test_unknown_time_zone_names_site_toml(site):
    toml = (site.root / "site.toml").read_text(encoding="utf-8")
    site.write("site.toml", toml.replace("Europe/Berlin", "Europe/Atlantis"))
    (found,) = problems(site, invoice())
    assert found.startswith("site.toml:4: timezone: unknown time zone 'Europe/Atlantis'")


def test_a_video_file_is_published_beside_its_page(site):
    (site.root / "content" / "videos").mkdir()
    (site.root / "content" / "videos" / "hello.mp4").write_bytes(b"not really a video")
    site.invoice(text=invoice(top='video = "videos/hello.mp4"'))
    site.build()
    (page,) = site.output.glob("*/index.html")
    assert (page.parent / "hello.mp4").read_bytes() == b"not really a video"
    assert 'src="hello.mp4"' in page.read_text(encoding="utf-8")
    # Replaced video: the page's cache entry must not serve the old bytes.
    (site.root / "content" / "videos" / "hello.mp4").write_bytes(b"a better take")
    assert site.build().rendered
    assert (page.parent / "hello.mp4").read_bytes() == b"a better take"


def test_a_deleted_video_file_is_an_error_even_when_the_invoice_is_unchanged(site, capsys):
    from generator.cli.main import main

    (site.root / "content" / "videos").mkdir()
    video = site.root / "content" / "videos" / "hello.mp4"
    video.write_bytes(b"not really a video")
    site.invoice(text=invoice(top='video = "videos/hello.mp4"'))
    site.build()
    before = tree_snapshot(site.output)
    video.unlink()
    assert main(["build", str(site.root), "--today", "2026-11-23", "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert "content/t-1.md: video: no such file content/videos/hello.mp4" in err
    assert "Traceback" not in err
    assert tree_snapshot(site.output) == before
