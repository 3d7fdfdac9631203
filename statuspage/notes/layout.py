"""The text layout of an incident note: front matter, then `## <time> · <status>` updates.

This module only finds the pieces and their line numbers; `reader` validates them.
Keeping the layout here lets commands that edit notes touch exactly the bytes they mean to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.clock import TIME_PATTERN

FENCE = "---"
#: Separators people type between time and status: "·", "-", "—", "–", "|" or ":".
SEPARATORS = "·\\-—–|:"
_HEADING = re.compile(
    rf"##\s+(?P<time>{TIME_PATTERN})\s*[{SEPARATORS}]\s*(?P<status>[^()]*?)"
    r"\s*(?:\((?P<changes>[^()]*)\))?\s*#*\s*",
    re.IGNORECASE,
)
#: A level-2 heading starting with a digit is meant as an update heading.
_LOOKS_LIKE_UPDATE = re.compile(r"##\s+\d")
#: Another level with a time and a status word after it was most likely meant as one too.
_NEAR_MISS = re.compile(rf"(?:#|#{{3,6}})\s+{TIME_PATTERN}\s*[{SEPARATORS}]\s*[^\W\d_]", re.IGNORECASE)
_CODE_FENCE = re.compile(r"\s{0,3}(`{3,}|~{3,})")


class LayoutError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Block:
    """One update as written: its heading parts, its Markdown body and where it starts."""

    line: int
    time: str
    status: str
    changes: str | None
    body: str
    body_line: int  # the line the body's first line is on, after the blank lines above it


@dataclass(frozen=True)
class Layout:
    front_matter: str
    front_line: int  # line number of the first front-matter line
    preamble: str  # body text before the first update heading (the whole body when there are none)
    preamble_line: int
    blocks: tuple[Block, ...]
    preamble_text_line: int = 0  # the line the preamble's text starts on
    #: Headings at another level that read like update headings ("# 2026-03-14 09:41 · Resolved"):
    #: (line, the heading as an update heading).
    near_misses: tuple[tuple[int, str], ...] = ()


def split(text: str) -> Layout:
    """Split a note (LF line endings) into front matter and update blocks."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise LayoutError(1, "a note must start with a front matter block: a line '---', the fields, then '---'")
    for end in range(1, len(lines)):
        if lines[end].strip() in (FENCE, "..."):
            break
    else:
        raise LayoutError(1, "the front matter opened on line 1 is never closed; add a line '---' after it")
    front = "\n".join(lines[1:end])
    body_start = end + 1  # index into lines
    starts: list[int] = []
    near_misses: list[tuple[int, str]] = []
    prose, _ = _outside_code(lines, body_start)
    for index in prose:
        line = lines[index]
        if line[:1] != "#":
            continue  # both patterns start with "#": most lines are prose, and cost no match
        if _LOOKS_LIKE_UPDATE.match(line):
            starts.append(index)
        elif _NEAR_MISS.match(line):
            near_misses.append((index + 1, "## " + line.lstrip("#").strip()))
    preamble_end = starts[0] if starts else len(lines)
    blocks = []
    for n, index in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        blocks.append(_block(lines[index], index + 1, "\n".join(lines[index + 1 : stop])))
    preamble = "\n".join(lines[body_start:preamble_end])
    return Layout(
        front_matter=front,
        front_line=2,
        preamble=preamble.strip("\n"),
        preamble_line=body_start + 1,
        blocks=tuple(blocks),
        preamble_text_line=body_start + 1 + _blank_lines_above(preamble),
        near_misses=tuple(near_misses),
    )


def _blank_lines_above(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _block(heading: str, line: int, body: str) -> Block:
    match = _HEADING.fullmatch(heading.rstrip())
    if not match or not match["status"]:
        raise LayoutError(
            line,
            f"cannot read the update heading {heading.strip()!r}; write it like "
            "'## 2026-03-14 09:41 · Resolved' (time, a separator, then the status)",
        )
    return Block(
        line, match["time"], match["status"], match["changes"], body.strip("\n"), line + 1 + _blank_lines_above(body)
    )


def heading(time: str, status: str, changes: str | None = None) -> str:
    """The canonical heading line for an update, as commands write it."""
    suffix = f" ({changes})" if changes else ""
    return f"## {time} · {status}{suffix}"


def _outside_code(lines: list[str], start: int = 0) -> tuple[list[int], str | None]:
    """The indexes (from `start`) of the lines outside fenced code, fence lines left out, and
    the fence still open at the end (None when every fence closed): a heading inside a code
    block is code, not an update."""
    prose: list[int] = []
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        opener = _CODE_FENCE.match(line) if "```" in line or "~~~" in line else None
        if opener:
            marker = opener.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
        elif fence is None:
            prose.append(index)
    return prose, fence


def safe_body(text: str) -> str:
    """An update's text as it can go under a heading: a `## <digit>` line would start an update
    of its own (it becomes `###`), and an unclosed code fence would swallow the updates after it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    prose, fence = _outside_code(lines)
    for index in prose:
        if _LOOKS_LIKE_UPDATE.match(lines[index]):
            lines[index] = "#" + lines[index]
    if fence is not None:
        lines.append(fence)
    return "\n".join(lines)
