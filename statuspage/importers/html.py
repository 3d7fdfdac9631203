"""HTML in imported bodies as Markdown, saying what did not survive.

Two kinds of body hold HTML. Statuspage's are text whose newlines are line breaks, with some
HTML in it (`to_markdown`). cState's, Upptime's and Statusfy's are Markdown that may hold
HTML (`within_markdown`): the Markdown parser finds the HTML, only that is converted, and
every other byte stays as written. markdownify (the `import` extra) does the conversion: it
walks BeautifulSoup's tree, escapes Markdown's characters in text, and copes with nesting and
broken markup, which a few lines of our own would not. What it cannot carry is reported:
elements removed with their content (scripts, frames, forms), elements whose formatting is
lost while their text is kept, and images, which become links (the page shows no images from
other sites).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyromark

from .records import Export, SourceError

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
#: Elements without content, which never wait for a closing tag.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_PARSER = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH)
#: Markdown's inline containers: a run of tags may span them; any other start or end ends a run.
_INLINE = {"Emphasis", "Strong", "Strikethrough", "Link", "Image"}


def has_html(text: str) -> bool:
    return bool(_TAG.search(text))


def noted(body: str, export: Export, where: str, *, markdown: bool = True) -> str:
    """The body as Markdown (`markdown`: it is Markdown already, else Statuspage's text), each loss noted."""
    converted, dropped = within_markdown(body) if markdown else to_markdown(body)
    for phrase in dropped:
        export.note(where, phrase)
    return converted


def to_markdown(body: str) -> tuple[str, list[str]]:
    """Markdown for a text with HTML in it (a newline is a line break), and what was dropped."""
    if not has_html(body):
        return body.strip(), []
    # Two line breaks in a row are a paragraph break; a newline in the text is one line break.
    prepared = _BREAKS.sub("<p>", body.replace("\r\n", "\n").replace("\n", "<br>"))
    lost = _Lost()
    return _tidy(_convert(prepared, lost, escape=True)), lost.phrases()


def within_markdown(body: str) -> tuple[str, list[str]]:
    """Markdown with its HTML (blocks, and runs of tags within a paragraph) converted, and what was dropped."""
    body = body.replace("\r\n", "\n")
    regions = _regions(body)
    if not regions:
        return body.strip(), []
    source, lost = body.encode("utf-8"), _Lost()
    parts, at = [], 0
    for region in regions:
        parts.append(source[at : region.start].decode("utf-8"))
        parts.append(region.converted(source, lost))
        at = region.end
    parts.append(source[at:].decode("utf-8"))
    return "".join(parts).strip(), lost.phrases()


@dataclass
class _Region:
    """HTML in Markdown: a whole HTML block, or a run of tags in one paragraph (byte offsets)."""

    start: int
    end: int
    block: bool = False
    tags: list[tuple[int, int]] = field(default_factory=list)  # each tag of an inline run

    def converted(self, source: bytes, lost: _Lost) -> str:
        html = source[self.start : self.end].decode("utf-8")
        if not _COMMENTS.sub("", html).strip():
            return ""  # only comments, which no page shows (and which need no converter)
        if self.block:
            text = _convert(html, lost, escape=True)
            return text + "\n" if text else ""
        if len(self.tags) == 1 and _name(html) == ("", "br"):
            rest = source[self.end :]
            if not rest.strip() or _BLANK_LINE.match(rest):
                return ""  # a break that ends its paragraph breaks nothing
            return "\\" if rest.startswith(b"\n") else "\\\n"  # the source's own newline ends the line
        markers = _markers(html)
        if markers is None:  # a text holding every private-use character: converted as HTML, its Markdown as text
            return _convert(html, lost, escape=True)
        # The Markdown between the tags is not HTML: it goes through the conversion as holes, kept as written.
        opening, closing = markers
        pieces: list[str] = []
        holes: list[str] = []
        at = self.start
        for start, end in self.tags:
            if start > at:
                pieces.append(f"{opening}{len(holes)}{closing}")
                holes.append(source[at:start].decode("utf-8"))
            pieces.append(source[start:end].decode("utf-8"))
            at = end
        text = _convert("".join(pieces), lost, escape=False, whole=False)
        hole = re.compile(f"{opening}(\\d+){closing}")
        return hole.sub(lambda found: holes[int(found[1])], text.strip("\n"))


def _markers(html: str) -> tuple[str, str] | None:
    """Two private-use characters the HTML does not hold, to stand for its holes (a text's own
    characters are never taken for one); None if it holds all but one."""
    free = (c for c in map(chr, range(0xE000, 0xF900)) if c not in html)
    opening, closing = next(free, None), next(free, None)
    return (opening, closing) if opening and closing else None


def _regions(body: str) -> list[_Region]:
    """Where the HTML is, as the Markdown parser reads the body."""
    regions: list[_Region] = []
    run: _Region | None = None
    open_tags: list[str] = []
    in_block = False
    for event, where in _PARSER.events_with_range(body):
        kind, value = next(iter(event.items())) if isinstance(event, dict) else (event, None)
        name = value if isinstance(value, str) else next(iter(value)) if isinstance(value, dict) else None
        if kind in ("Start", "End") and name not in _INLINE and run is not None:
            regions.append(run)  # tags left open: the run ends with its paragraph
            run, open_tags = None, []
        if kind in ("Start", "End") and name == "HtmlBlock":
            in_block = kind == "Start"
            if in_block:
                regions.append(_Region(where["start"], where["end"], block=True))
        elif kind == "InlineHtml" and not in_block and isinstance(value, str):
            run = run or _Region(where["start"], where["end"])
            run.end = where["end"]
            run.tags.append((where["start"], where["end"]))
            closing, tag = _name(value)
            if closing and tag in open_tags:
                del open_tags[open_tags.index(tag) :]
            elif not closing and tag and tag not in _VOID and not value.rstrip().endswith("/>"):
                open_tags.append(tag)
            if not open_tags:
                regions.append(run)
                run = None
    return sorted([*regions, *([run] if run else [])], key=lambda region: region.start)


def _name(tag: str) -> tuple[str, str]:
    """("/", "b") for `</b>`; ("", "") for a comment or anything else that is no element."""
    match = _NAME.match(tag)
    return (match[1], match[2].lower()) if match else ("", "")


@dataclass
class _Lost:
    """What the conversions of one body could not carry."""

    removed: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)
    images: int = 0
    too_deep: bool = False

    def phrases(self) -> list[str]:
        dropped = []
        if self.removed:
            dropped.append(f"removed HTML with its content: {', '.join(f'<{n}>' for n in sorted(self.removed))}")
        if self.unknown:
            dropped.append(f"HTML formatting lost (text kept): {', '.join(f'<{n}>' for n in sorted(self.unknown))}")
        if self.images:
            dropped.append(f"{self.images} image{'s' if self.images > 1 else ''} kept as a link")
        if self.too_deep:
            dropped.append("HTML nested too deeply to convert; kept as written, and the page shows only its text")
        return dropped


def _convert(html: str, lost: _Lost, *, escape: bool, whole: bool = True) -> str:
    """Markdown for an HTML fragment (`whole`: a block of its own, trimmed); `escape`: its text is not Markdown."""
    try:
        from bs4 import BeautifulSoup
        from markdownify import MarkdownConverter
    except ImportError:
        raise SourceError(
            'some bodies are HTML; converting them to Markdown needs the "import" extra (markdownify); install it'
        ) from None

    class Converter(MarkdownConverter):
        def convert_img(self, el: Any, text: str, parent_tags: Any = None) -> str:
            """A link to the image: the page shows no images from other sites."""
            alt, src = el.attrs.get("alt") or "image", el.attrs.get("src") or ""
            return f"[{alt}]({src})" if src else alt

        def convert_summary(self, el: Any, text: str, parent_tags: Any = None) -> str:
            """A `<details>` block's summary is a line of its own, not run into what it hides."""
            return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    try:
        soup = BeautifulSoup(html, "html.parser")
        _inventory(soup, lost)
        options: dict[str, Any] = {} if escape else {"escape_asterisks": False, "escape_underscores": False}
        converter = Converter(
            heading_style="ATX", bullets="-", newline_style="backslash", strip=_REMOVED, strip_document=None, **options
        )
        markdown: str = converter.convert_soup(soup)
    except RecursionError:
        lost.too_deep = True
        return html
    return markdown.strip() if whole else markdown


def _inventory(soup: Any, lost: _Lost) -> None:
    lost.removed |= {tag.name for tag in soup.find_all(_REMOVED)}
    for tag in soup.find_all(_REMOVED):
        tag.decompose()
    lost.unknown |= {tag.name for tag in soup.find_all(True)} - _KEPT
    lost.images += len(soup.find_all("img"))


def _tidy(markdown: str) -> str:
    """No trailing blanks, at most one blank line, no hard break before a paragraph's end."""
    lines = [line.rstrip() for line in markdown.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r"\\(\n\n|$)", r"\1", text)
