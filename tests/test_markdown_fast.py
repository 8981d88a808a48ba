"""A note of plain prose skips Markdown (view/markdown.py's plain_paragraph): its HTML must be
exactly what Markdown, with the site's extensions, makes of the same text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.view import markdown


def by_markdown(text: str) -> str:
    markdown._md.reset()
    return markdown._md.convert(text)


# The characters the fast path accepts, and near misses that Markdown or smarty would turn
# into markup, entities, typographic quotes, dashes or ellipses.
PLAIN = "aZéЖß5²_ ,.!?;:()%/@€$£\n"
ALPHABET = PLAIN + "-'\"*#`[]<>&\\|=~+{}\t\r" + "1."


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(alphabet=ALPHABET, max_size=40), st.text(alphabet=PLAIN, max_size=40),
                 st.text(alphabet="ab ,.\n", min_size=1, max_size=60)))
@example("1. first line")
@example("Done.\n1. then a list")
@example("Hi...")
@example("Hi there  \nnext")
@example("Title\n=====")
@example("a -- b")
@example("Term\n: definition")
@example("_x")
@example("²nd")
def test_the_fast_path_is_markdown_itself(text):
    fast = markdown.plain_paragraph(text)
    if fast is not None:
        assert fast == by_markdown(text)


@pytest.mark.parametrize("note", [
    "Thank you for the work on project 12! Payment by bank transfer, please.\n",
    "Спасибо за работу над проектом!\nОплата переводом (до 30.11.2026).",
    "Baie dankie vir die werk: 50% nou, 50% later / €10 per uur.",
])
def test_ordinary_notes_take_the_fast_path(note):
    assert markdown.plain_paragraph(note) == by_markdown(note)
    assert markdown.render_markdown(note) == markdown.sanitise(by_markdown(note))
