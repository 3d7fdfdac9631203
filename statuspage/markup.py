"""Markdown to safe HTML: markdown-it-py renders, nh3 removes anything that could run.

CommonMark (with GitHub's tables and ~~strikethrough~~) is what GitHub and GitLab show
while a note is edited there, so the page looks like the preview. markdown-it-py is also
built for untrusted input: its time grows in step with the text and its nesting is
capped, where Python-Markdown needed minutes for 30 kB of crafted brackets
(docs/robustness.md), and it is about twice as fast on ordinary notes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"style"},  # only text-align survives: see `filter_style_properties` below
    "th": {"style"},
    "time": {"datetime"},
    "ol": {"start"},
}


def _same_origin_images(element: str, attribute: str, value: str) -> str | None:
    """Drop image sources on other origins: the page must not depend on anything else being up."""
    if element == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


class Markup:
    """One parser for a whole build: building it compiles its rules, rendering keeps no state.

    A blank line starts a paragraph and single line breaks join, so hard-wrapped notes kept
    in git read as flowing text. Nesting deeper than markdown-it's cap (20) stays as text.
    """

    def __init__(self) -> None:
        self._markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def render(self, text: str) -> str:
        html = plain_paragraph(text) or self._markdown.render(text)
        return nh3.clean(
            html,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            attribute_filter=_same_origin_images,
            filter_style_properties={"text-align"},
            link_rel="noopener noreferrer",
        ).strip()


#: A line CommonMark can only read as paragraph text: it starts with a letter or digit (so
#: no list, heading, quote, fence or indented code), is not "1." or "2)" (an ordered list),
#: and holds no character with a meaning inline (`*_[]<>&\\`|~!#` and the rest) and no
#: trailing space (a hard line break).
_PLAIN_LINE = r"(?!\d+[.)])[^\W_](?:[^\W_]|[ .,;:?'\"()/%-])*(?<! )"
_PLAIN = re.compile(f"{_PLAIN_LINE}(?:\n{_PLAIN_LINE})*")


def plain_paragraph(text: str) -> str | None:
    """What markdown-it renders for one paragraph of plain prose, as most updates are, without
    running its rule chain (a third of a cold build's parsing); None for any other text. A
    property test holds it to markdown-it's own output."""
    text = text.strip("\n")
    if not _PLAIN.fullmatch(text):
        return None
    escaped = text.replace('"', "&quot;")
    return f"<p>{escaped}</p>\n"


_BLOCKS = {"p", "div", "pre", "blockquote", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[str | None] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._pre += tag == "pre"
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a":
            self._links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        self._pre -= tag == "pre"
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self._links:
            href = self._links.pop()
            if href and href not in self.parts[-1:]:
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self._pre:
            self.parts.append(data)
        elif data.strip() or "\n" not in data:  # newlines between block tags are layout, not text
            if self.parts[-1:] == ["\n"]:
                data = data.lstrip("\n")  # after a <br>
            self.parts.append(data.replace("\n", " "))  # a hard-wrapped paragraph reads as one line


def plain_text(html: str) -> str:
    """Readable text from our sanitised HTML, for the JSON API and the calendar (links kept in brackets)."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+\n", "\n", "".join(parser.parts))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
