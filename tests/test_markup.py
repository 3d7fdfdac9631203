"""The plain-prose shortcut renders exactly what markdown-it renders, or steps aside."""

from __future__ import annotations

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from statuspage.notes.markdown import Markup, plain_paragraph

#: Notes made of words, the punctuation plain prose has, the spaces and line breaks that can
#: matter (a trailing space, a blank line), and now and then a character Markdown acts on.
WORDS = st.text("aZé東9", min_size=1, max_size=6)
PROSE = st.sampled_from(
    [" ", " ", "  ", "\n", " \n", "\n\n", ".", ",", ":", ";", "?", "'", '"', "(", ")", "-", "/", "%"]
)
MARKDOWN = st.sampled_from([*"*_[]<>&\\`|~!#=+\t\u00a0", "1.", "2)", "- ", "    "])
NOTES = st.lists(st.one_of(WORDS, WORDS, WORDS, PROSE, PROSE, MARKDOWN), max_size=24).map("".join)
#: What a line may begin with to open a block, joined onto prose so the shortcut must notice.
OPENERS = ["", "- ", "+ ", "1. ", "12) ", "# ", "> ", "    ", "===", "---", "```", "<div>", "| a |", "1.", "2026."]


def markdown_it(text: str) -> str:
    return Markup()._markdown.render(text)


@settings(max_examples=1500)
@given(text=NOTES, lines=st.lists(st.sampled_from(OPENERS), max_size=3))
@example(text="Error rates are back to normal.\nWe keep monitoring.", lines=[])
@example(text='Say "retry" (once), 50% - fine', lines=[])
def test_the_shortcut_matches_markdown_it(text: str, lines: list[str]) -> None:
    text = "\n".join([text, *(opener + "word" for opener in lines)])
    shortcut = plain_paragraph(text)
    event("shortcut" if shortcut is not None else "markdown-it")
    if shortcut is not None:
        assert shortcut == markdown_it(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are investigating reports of errors for some customers.",
        "Traffic has been moved to a healthy region;\nwe repair the primary one (eu-west).",
        "\nRequests that failed can be retried: no data was lost.\n",
        'Users see "502" errors on 10% of requests.',
        "Überlastung in Köln behoben. 東京リージョンは正常です",
    ],
)
def test_everyday_updates_take_the_shortcut(text: str) -> None:
    assert plain_paragraph(text) == markdown_it(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A *bold* claim",
        "See [the guide](https://example.com)",
        "First paragraph.\n\nSecond.",
        "1. a list",
        "Hard break  \nhere",
        "Fish & chips",
        "    code",
        "Title\n===",
        "tab\tinside",
    ],
)
def test_anything_else_goes_to_markdown_it(text: str) -> None:
    assert plain_paragraph(text) is None
