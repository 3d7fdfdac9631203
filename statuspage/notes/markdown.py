"""Markdown to safe HTML and to plain text: pulldown-cmark parses (through pyromark), nh3
removes anything that could run.

CommonMark (with GitHub's tables and ~~strikethrough~~) is what GitHub and GitLab show while
a note is edited there, so the page looks like the preview. pulldown-cmark is a CommonMark
parser in Rust, built for untrusted input: its time grows in step with the text, where
Python-Markdown needed minutes for 30 kB of crafted brackets (docs/robustness.md), and it is
a hundred times faster than markdown-it-py was. The same parse gives the HTML, and its
events give the plain text and the links with their lines.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import nh3
import pyromark

from ..core.model import Reference

_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"style"},  # only text-align survives: see `filter_style_properties` below
    "th": {"style"},
    "time": {"datetime"},
    "ol": {"start"},
}

#: Lists and quotes deeper than this are refused: no note needs them, and a page of thousands of
#: nested lists is an attack on the readers' browsers (and on the sanitiser's time).
MAX_NESTING = 20

_PARSER = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH)


def _same_origin_images(element: str, attribute: str, value: str) -> str | None:
    """Drop image sources on other origins: the page must not depend on anything else being up."""
    if element == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


class TooDeep(ValueError):
    """Markdown nested beyond MAX_NESTING; `line` counts from the text's first line (0)."""

    def __init__(self, line: int):
        super().__init__(f"lists or quotes are nested more than {MAX_NESTING} levels deep; a note needs a few at most")
        self.line = line


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised, for pages and feeds
    text: str  # plain text, for the API, the calendar and chat
    #: Links and images, with lines counted from the text's first line (0).
    references: tuple[Reference, ...] = ()


class Markup:
    """Renders notes' Markdown; one per build, though it keeps no state between texts.

    A blank line starts a paragraph and single line breaks join, so hard-wrapped notes kept
    in git read as flowing text.
    """

    def render(self, text: str) -> Rendered:
        """The text as sanitised HTML, as plain text, and its links, all from one parser; raises
        TooDeep before any HTML is made for lists or quotes nested too deeply."""
        walk = _Walk(text)
        plain = walk.of(_PARSER.events_with_range(text))
        return Rendered(_sanitise(_PARSER.html(text)), plain, tuple(walk.references))


_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")
#: A link whose address the sanitiser removed (`javascript:`, say) is no link: its text stays.
_LINK_WITHOUT_ADDRESS = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.DOTALL)


#: Set up once: handing `nh3.clean` its settings cost twice the cleaning, on every update.
_CLEANER = nh3.Cleaner(
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    attribute_filter=_same_origin_images,
    filter_style_properties={"text-align"},
    link_rel="noopener noreferrer",
)
_TEXT_ONLY = nh3.Cleaner(tags=set())


def _sanitise(rendered: str) -> str:
    """nh3 removes anything that could run; an image without alt text gets an empty one, so the
    page stays valid (the build warns about it: `lint`)."""
    clean = _CLEANER.clean(rendered).strip()
    if "<img" in clean:
        clean = _IMAGE_WITHOUT_ALT.sub('<img alt=""', clean)
    return _LINK_WITHOUT_ADDRESS.sub(r"\1", clean) if '<a rel="' in clean else clean


#: What the plain text is tidied of: blanks before a line end, and more than one blank line.
_BLANKS_AT_LINE_END = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
#: Where a block ends, plain text has a blank line (a tight list's items have no paragraphs).
_BLOCKS = {"Paragraph", "Heading", "BlockQuote", "List", "CodeBlock", "Table"}


class _Walk:
    """One pass over the parser's events for the plain text and the references.

    Plain text: paragraphs apart, list items as "- …", links with their address in brackets,
    code as written, table cells apart. Raw HTML is reduced to its text by the same sanitiser
    the pages use, so a script's content never becomes text.
    """

    def __init__(self, text: str):
        self._source = text.encode("utf-8")  # the parser's offsets count bytes
        self.parts: list[str] = []
        self.references: list[Reference] = []
        self._links: list[tuple[str, int]] = []  # destination, and where the link's text starts in `parts`
        self._image: list[str] | None = None  # an image's alt text while inside it
        #: The paragraph being read: where its text starts in `parts`, its source range, and
        #: whether it holds raw HTML (whose text only the sanitiser can tell).
        self._paragraph: tuple[int, int, int] | None = None
        self._raw = False
        self._depth = 0  # lists and quotes open around the current event

    def of(self, events: Iterable[tuple[Any, Any]]) -> str:
        for event, where in events:
            self._event(event, where)
        text = "".join(self.parts)
        if " \n" in text or "\t\n" in text:  # each pattern only where it can match: most texts have neither
            text = _BLANKS_AT_LINE_END.sub("\n", text)
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
        return text.strip()

    def _line(self, where: dict[str, int]) -> int:
        return self._source.count(b"\n", 0, where["start"])

    def _event(self, event: Any, where: dict[str, int]) -> None:
        if isinstance(event, str):  # "SoftBreak", "HardBreak", "Rule"
            if self._image is None:
                self.parts.append({"SoftBreak": " ", "HardBreak": "\n"}.get(event, ""))
            return
        kind, value = next(iter(event.items()))
        if kind == "Start":
            self._start(value, where)
        elif kind == "End":
            self._end(value if isinstance(value, str) else next(iter(value)))
        elif kind in ("Text", "Code"):
            (self.parts if self._image is None else self._image).append(value)
        elif kind == "Html":
            self.references += _html_references(value, self._line(where))
            self.parts.append(_text_of_html(value))
        elif kind == "InlineHtml":
            self.references += _html_references(value, self._line(where))
            self._raw = True

    def _start(self, tag: Any, where: dict[str, int]) -> None:
        name, value = (tag, {}) if isinstance(tag, str) else next(iter(tag.items()))
        if name in ("List", "BlockQuote"):
            self._depth += 1
            if self._depth > MAX_NESTING:
                raise TooDeep(self._line(where))
        if name == "Paragraph":
            self._paragraph, self._raw = (len(self.parts), where["start"], where["end"]), False
        elif name == "Item":
            self.parts.append("\n- ")
        elif name == "Link":
            self.references.append(Reference(self._line(where), False, value["dest_url"]))
            self._links.append((value["dest_url"], len(self.parts)))
        elif name == "Image":
            self.references.append(Reference(self._line(where), True, value["dest_url"]))
            self._image = []

    def _end(self, name: str) -> None:
        if name == "Paragraph" and self._raw and self._paragraph is not None:
            first, start, end = self._paragraph
            fragment = _PARSER.html(self._source[start:end].decode("utf-8"))
            self.parts[first:] = [_text_of_html(fragment).strip().replace("\n", " "), "\n\n"]
        elif name in _BLOCKS:
            self._depth -= name in ("List", "BlockQuote")
            self.parts.append("\n\n")
        elif name in ("TableHead", "TableRow"):
            self.parts[-1:] = ["\n"] if self.parts[-1:] == [" | "] else [*self.parts[-1:], "\n"]
        elif name == "TableCell":
            self.parts.append(" | ")
        elif name == "Image" and self._image is not None:
            alt = "".join(self._image)
            last = self.references[-1]
            self.references[-1] = Reference(last.line, True, last.target, alt or None)
            self._image = None
            self.parts.append(alt)
        elif name == "Link" and self._links:
            href, first = self._links.pop()
            if href and "".join(self.parts[first:]) != href:
                self.parts.append(f" ({href})")  # an autolink shows its address already


def _text_of_html(fragment: str) -> str:
    """The text of some raw HTML, as the sanitiser leaves it with no tags allowed."""
    return html.unescape(_TEXT_ONLY.clean(fragment))


class _HtmlReferences(HTMLParser):
    def __init__(self, line: int):
        super().__init__(convert_charrefs=True)
        self.first = line
        self.found: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.first + self.getpos()[0] - 1
        if tag == "img":
            self.found.append(Reference(line, True, values.get("src") or "", values.get("alt")))
        elif tag == "a" and values.get("href"):
            self.found.append(Reference(line, False, values["href"] or ""))


def _html_references(fragment: str, line: int) -> list[Reference]:
    parser = _HtmlReferences(line)
    parser.feed(fragment)
    parser.close()
    return parser.found
