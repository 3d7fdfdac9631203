"""What a note's Markdown becomes: CommonMark with tables and strikethrough, sanitised by nh3.

These pin the dialect, whichever engine renders it (pulldown-cmark since issue 17, markdown-it
before), and the property test holds the HTML and the plain text to each other.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from statuspage.notes.markdown import Markup

CASES = {
    "hard-wrapped lines join one paragraph": (
        "One line\nwrapped.\n\nSecond.",
        "<p>One line\nwrapped.</p>\n<p>Second.</p>",
    ),
    "emphasis and strikethrough": ("*a* **b** ~~c~~", "<p><em>a</em> <strong>b</strong> <del>c</del></p>"),
    "links get rel, images stay on the site": (
        "[x](https://example.com/) ![chart](graph.png) ![far](https://cdn.example/x.png)",
        '<p><a href="https://example.com/" rel="noopener noreferrer">x</a> <img src="graph.png" alt="chart"> '
        '<img alt="far"></p>',
    ),
    "tables keep their alignment": (
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead><tbody>\n'
        '<tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr>\n</tbody></table>',
    ),
    "raw HTML is sanitised": ('<b onclick="x()">hi</b><script>alert(1)</script>', "<p><b>hi</b></p>"),
    "javascript links are no links": ("[x](javascript:alert(1))", "<p>x</p>"),
    "a heading inside an update": ("### Impact\nSlow.", "<h3>Impact</h3>\n<p>Slow.</p>"),
    "fenced code keeps its layout": ("```\nline 1\n  indented\n```", "<pre><code>line 1\n  indented\n</code></pre>"),
    "an image without alt text gets an empty one": ("<img src=x.png>", '<img alt="" src="x.png">'),
}


@pytest.mark.parametrize(("markdown", "html"), CASES.values(), ids=CASES.keys())
def test_the_dialect(markdown: str, html: str) -> None:
    assert Markup().render(markdown).html == html


WORDS = st.text("aZé東9", min_size=1, max_size=6)
#: What Markdown acts on, but nothing that adds words of its own to the plain text (a link's
#: address, an image's alt text): those are checked in test_plain_text.py.
MARKDOWN = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        "  \n",
        "*",
        "_",
        "[",
        "](/)",
        "<",
        ">",
        "&",
        "`",
        "~~",
        "# ",
        "- ",
        "1. ",
        "> ",
        "    ",
        "<b>",
        "</b>",
    ]
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@settings(max_examples=500)
@example(text="9[](/)9")  # once a failure: a link without text
@given(text=st.lists(st.one_of(WORDS, WORDS, MARKDOWN), max_size=30).map("".join))
def test_the_plain_text_says_what_the_page_says(text: str) -> None:
    """The plain text (from the parser's events) and the page (from its HTML) hold the same words
    in the same order: two renderings of one parse never disagree."""
    rendered = Markup().render(text)
    page = _Text()
    page.feed(rendered.html)
    page.close()
    # The plain text adds each link's address after its text, " (/)" here; the page does not.
    assert words(rendered.text.replace(" (/)", "")) == words("".join(page.parts))
