"""Markdown to safe HTML: Python-Markdown renders, nh3 removes anything that could run."""

from __future__ import annotations

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
