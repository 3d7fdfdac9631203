"""Markdown to safe HTML: Python-Markdown renders, nh3 removes anything that could run."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3

# No nl2br: notes kept in git are often hard-wrapped, and a blank line starts a paragraph.
_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "time": {"datetime"},
    "ol": {"start"},
}


def _same_origin_images(element: str, attribute: str, value: str) -> str | None:
    """Drop image sources on other origins: the page must not depend on anything else being up."""
    if element == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")


class MarkupError(ValueError):
    """Markdown that cannot be rendered; the message says what to change."""


class Markup:
    """One converter for a whole build; `reset()` between notes is far cheaper than a new one."""

    def __init__(self) -> None:
        self._markdown = _converter()

    def render(self, text: str) -> str:
        try:
            html = self._markdown.reset().convert(text)
        except RecursionError:
            # Python-Markdown recurses once per nesting level; its state is unknown now.
            self._markdown = _converter()
            raise MarkupError(
                "the text is nested too deeply to render (lists or quotes inside each other); flatten it"
            ) from None
        return nh3.clean(
            html,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            attribute_filter=_same_origin_images,
            link_rel="noopener noreferrer",
        )


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
