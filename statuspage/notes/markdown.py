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
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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

    def render(self, text: str) -> tuple[str, str]:
        """The text as sanitised HTML for pages and feeds, and as plain text for the API,
        the calendar and chat, both from one parse."""
        shortcut = plain_paragraph(text)
        if shortcut is not None:
            return _sanitise(shortcut), text.strip("\n").replace("\n", " ")
        tokens = self._markdown.parse(text)
        rendered = self._markdown.renderer.render(tokens, self._markdown.options, {})
        return _sanitise(rendered), _PlainText(self._markdown).of(tokens)


def _sanitise(rendered: str) -> str:
    return nh3.clean(
        rendered,
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


#: Where a block ends, plain text has a blank line (a tight list's paragraphs excepted).
_BLOCK_ENDS = {
    "paragraph_close",
    "heading_close",
    "blockquote_close",
    "bullet_list_close",
    "ordered_list_close",
    "table_close",
}


class _PlainText:
    """Readable text from the Markdown tokens: paragraphs apart, list items as "- …", links with
    their address in brackets, code as written. Raw HTML in a note is reduced to its text by
    the same sanitiser the pages use, so a script's content never becomes text."""

    def __init__(self, markdown: MarkdownIt):
        self._markdown = markdown
        self.parts: list[str] = []

    def of(self, tokens: Sequence[Token]) -> str:
        for token in tokens:
            self._block(token)
        text = re.sub(r"[ \t]+\n", "\n", "".join(self.parts))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind == "inline":
            self._inline(token)
        elif kind in ("fence", "code_block"):
            self.parts += [token.content, "\n\n"]
        elif kind == "html_block":
            self.parts += [_text_of_html(token.content), "\n\n"]
        elif kind == "list_item_open":
            self.parts.append("\n- ")
        elif kind in ("th_close", "td_close"):
            self.parts.append(" | ")
        elif kind == "tr_close":
            self.parts[-1:] = ["\n"] if self.parts[-1:] == [" | "] else [*self.parts[-1:], "\n"]
        elif kind in _BLOCK_ENDS and not token.hidden:
            self.parts.append("\n\n")

    def _inline(self, token: Token) -> None:
        children = token.children or []
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
