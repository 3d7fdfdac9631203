"""Bodies with HTML (Statuspage lets people write some) as Markdown, saying what did not survive.

markdownify (the `import` extra) does the conversion: it walks BeautifulSoup's tree, escapes
Markdown's characters in text, and copes with nesting and broken markup, which a few lines
of our own would not. Text without tags is left exactly as it is. What it cannot carry is
reported: elements removed with their content (scripts, frames, forms), and elements whose
formatting is lost while their text is kept.
"""

from __future__ import annotations

import re
from typing import Any

from .records import SourceError

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
#: Elements Markdown can say, as markdownify writes them.
_KEPT = {
    "a", "b", "strong", "i", "em", "br", "p", "div", "span", "ul", "ol", "li", "code", "pre", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "del", "s", "strike", "table", "thead", "tbody", "tr", "th",
    "td", "img", "html", "body", "head", "title", "meta", "sup", "sub",
}  # fmt: skip
#: Removed with everything inside them: nothing in them is text for readers.
_REMOVED = ["script", "style", "iframe", "object", "embed", "form", "input", "button", "select", "textarea", "svg"]
_BREAKS = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)


def has_html(text: str) -> bool:
    return bool(_TAG.search(text))


def to_markdown(body: str) -> tuple[str, list[str]]:
    """Markdown for a body, and what was dropped (one phrase per kind of element)."""
    if not has_html(body):
        return body.strip(), []
    try:
        from bs4 import BeautifulSoup
        from markdownify import MarkdownConverter
    except ImportError:
        raise SourceError(
            'some bodies are HTML; converting them to Markdown needs the "import" extra (markdownify); install it'
        ) from None
    # Two line breaks in a row are a paragraph break; a newline in the text is one line break.
    prepared = _BREAKS.sub("<p>", body.replace("\r\n", "\n").replace("\n", "<br>"))
    soup = BeautifulSoup(prepared, "html.parser")
    dropped = _inventory(soup)

    class Converter(MarkdownConverter):
        def convert_img(self, el: Any, text: str, parent_tags: Any = None) -> str:
            """A link to the image: the page shows no images from other sites."""
            alt, src = el.attrs.get("alt") or "image", el.attrs.get("src") or ""
            return f"[{alt}]({src})" if src else alt

    markdown = Converter(heading_style="ATX", bullets="-", newline_style="backslash", strip=_REMOVED).convert_soup(soup)
    return _tidy(markdown), dropped


def _inventory(soup: Any) -> list[str]:
    removed = sorted({tag.name for tag in soup.find_all(_REMOVED)})
    for tag in soup.find_all(_REMOVED):
        tag.decompose()
    unknown = sorted({tag.name for tag in soup.find_all(True)} - _KEPT)
    images = soup.find_all("img")
    dropped = []
    if removed:
        dropped.append(f"removed HTML with its content: {', '.join(f'<{name}>' for name in removed)}")
    if unknown:
        dropped.append(f"HTML formatting lost (text kept): {', '.join(f'<{name}>' for name in unknown)}")
    if images:
        dropped.append(f"{len(images)} image{'s' if len(images) > 1 else ''} kept as a link")
    return dropped


def _tidy(markdown: str) -> str:
    """No trailing blanks, at most one blank line, no hard break before a paragraph's end."""
    lines = [line.rstrip() for line in markdown.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r"\\(\n\n|$)", r"\1", text)
