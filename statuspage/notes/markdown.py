"""Markdown to safe HTML and to plain text: markdown-it-py parses, nh3 removes anything that could run.

CommonMark (with GitHub's tables and ~~strikethrough~~) is what GitHub and GitLab show
while a note is edited there, so the page looks like the preview. markdown-it-py is also
built for untrusted input: its time grows in step with the text and its nesting is
capped, where Python-Markdown needed minutes for 30 kB of crafted brackets
(docs/robustness.md), and it is about twice as fast on ordinary notes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


def _same_origin_images(element: str, attribute: str, value: str) -> str | None:
    """Drop image sources on other origins: the page must not depend on anything else being up."""
    if element == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised, for pages and feeds
    text: str  # plain text, for the API, the calendar and chat
    #: Links and images, with lines counted from the text's first line (0).
    references: tuple[Reference, ...] = ()


class Markup:
    """One parser for a whole build: building it compiles its rules, rendering keeps no state.

    A blank line starts a paragraph and single line breaks join, so hard-wrapped notes kept
    in git read as flowing text. Nesting deeper than markdown-it's cap (20) stays as text.
    """

    def __init__(self) -> None:
        self._markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def render(self, text: str) -> Rendered:
        """The text as sanitised HTML, as plain text, and its links, all from one parse."""
        shortcut = plain_paragraph(text)
        if shortcut is not None:  # no link or image can be in plain prose
            return Rendered(_sanitise(shortcut), text.strip("\n").replace("\n", " "))
        tokens = self._markdown.parse(text)
        rendered = self._markdown.renderer.render(tokens, self._markdown.options, {})
        walk = _Walk(self._markdown)
        plain = walk.of(tokens)
        return Rendered(_sanitise(rendered), plain, tuple(walk.references))


_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")


def _sanitise(rendered: str) -> str:
    """nh3 removes anything that could run; an image without alt text gets an empty one, so the
    page stays valid (the build warns about it: `lint`)."""
    clean = nh3.clean(
        rendered,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_same_origin_images,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
    ).strip()
    return _IMAGE_WITHOUT_ALT.sub('<img alt=""', clean) if "<img" in clean else clean


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


#: Where a block ends, plain text has a blank line (a tight list's paragraphs excepted).
_BLOCK_ENDS = {
    "paragraph_close",
    "heading_close",
    "blockquote_close",
    "bullet_list_close",
    "ordered_list_close",
    "table_close",
}


class _Walk:
    """One pass over the Markdown tokens for the plain text and the references.

    Plain text: paragraphs apart, list items as "- …", links with their address in brackets,
    code as written. Raw HTML is reduced to its text by the same sanitiser the pages use, so a
    script's content never becomes text.
    """

    def __init__(self, markdown: MarkdownIt):
        self._markdown = markdown
        self.parts: list[str] = []
        self.references: list[Reference] = []

    def of(self, tokens: Sequence[Token]) -> str:
        for token in tokens:
            self._block(token)
        text = re.sub(r"[ \t]+\n", "\n", "".join(self.parts))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def _block(self, token: Token) -> None:
        kind = token.type
        line = token.map[0] if token.map else None
        if kind == "inline":
            self._inline(token, line)
        elif kind in ("fence", "code_block"):
            self.parts += [token.content, "\n\n"]
        elif kind == "html_block":
            self.references += _html_references(token.content, line)
            self.parts += [_text_of_html(token.content), "\n\n"]
        elif kind == "list_item_open":
            self.parts.append("\n- ")
        elif kind in ("th_close", "td_close"):
            self.parts.append(" | ")
        elif kind == "tr_close":
            self.parts[-1:] = ["\n"] if self.parts[-1:] == [" | "] else [*self.parts[-1:], "\n"]
        elif kind in _BLOCK_ENDS and not token.hidden:
            self.parts.append("\n\n")

    def _inline(self, token: Token, line: int | None) -> None:
        children = token.children or []
        for child in children:  # references first: the lines below count the breaks
            if child.type in ("softbreak", "hardbreak") and line is not None:
                line += 1
            elif child.type == "image":
                alt = child.content if child.content else None
                self.references.append(Reference(line, True, str(child.attrGet("src") or ""), alt))
            elif child.type == "link_open":
                self.references.append(Reference(line, False, str(child.attrGet("href") or "")))
            elif child.type == "html_inline":
                self.references += _html_references(child.content, line)
        if any(child.type == "html_inline" for child in children):
            rendered = self._markdown.renderer.render(children, self._markdown.options, {})
            self.parts.append(_text_of_html(rendered).replace("\n", " "))
            return
        links: list[str | None] = []
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.parts.append(child.content)
            elif kind == "softbreak":
                self.parts.append(" ")  # a hard-wrapped paragraph reads as one line
            elif kind == "hardbreak":
                self.parts.append("\n")
            elif kind == "image":
                self.parts.append(child.content)  # its alt text
            elif kind == "link_open":
                href = child.attrGet("href")
                links.append(None if href is None else str(href))
            elif kind == "link_close" and links:
                href = links.pop()
                if href and href not in self.parts[-1:]:  # an autolink shows its address already
                    self.parts.append(f" ({href})")


def _text_of_html(fragment: str) -> str:
    """The text of some raw HTML, as the sanitiser leaves it with no tags allowed."""
    return html.unescape(nh3.clean(fragment, tags=set()))


class _HtmlReferences(HTMLParser):
    def __init__(self, line: int | None):
        super().__init__(convert_charrefs=True)
        self.first = line
        self.found: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = None if self.first is None else self.first + self.getpos()[0] - 1
        if tag == "img":
            self.found.append(Reference(line, True, values.get("src") or "", values.get("alt")))
        elif tag == "a" and values.get("href"):
            self.found.append(Reference(line, False, values["href"] or ""))


def _html_references(fragment: str, line: int | None) -> list[Reference]:
    parser = _HtmlReferences(line)
    parser.feed(fragment)
    parser.close()
    return parser.found
