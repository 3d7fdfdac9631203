"""The plain text of an update (the JSON API, the calendar): from the Markdown tokens, not the HTML."""

from __future__ import annotations

import pytest

from statuspage.notes.markdown import Markup

CASES = {
    "paragraphs and a hard-wrapped line": (
        "One line\nwrapped.\n\nSecond paragraph.",
        "One line wrapped.\n\nSecond paragraph.",
    ),
    "entities are text again": ('Fish & "chips" <b>now</b>', 'Fish & "chips" now'),
    "links keep their address": (
        "See [the runbook](https://example.com/run) or <https://example.com/>.",
        "See the runbook (https://example.com/run) or https://example.com/.",
    ),
    "lists": ("Steps:\n\n- one\n- two\n\n1. first\n2. second", "Steps:\n\n- one\n- two\n\n- first\n- second"),
    "code keeps its layout": ("```\nline 1\n  indented\n```", "line 1\n  indented"),
    "a hard line break": ("first  \nsecond", "first\nsecond"),
    "scripts are gone before we start": ('Hi <script>alert("x")</script>there', "Hi there"),
    "headings": ("### Impact\nSlow.", "Impact\n\nSlow."),
}


@pytest.mark.parametrize(("markdown", "text"), CASES.values(), ids=CASES.keys())
def test_plain_text(markdown: str, text: str) -> None:
    assert Markup().render(markdown).text == text
