"""Read a note for editing, and insert one update into its exact bytes.

Only the inserted lines are new: the rest of the file (comments, wording, the front
matter's layout, CRLF line endings, a BOM) is kept byte for byte. The update goes where
the note's order puts it: on top when it is written newest-first, at the end when
oldest-first.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core import clock
from ..core.addresses import slugify
from ..core.clock import write_time
from ..core.config import Config
from ..core.model import Incident
from ..core.words import N_
from ..errors import ContentError, EditError, NoteError, display_path
from ..notes.discover import NoteFile
from ..notes.layout import Layout, LayoutError, split
from ..notes.load import load_note
from ..notes.markdown import Markup

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass(frozen=True)
class EditableNote:
    """A note as read for editing: its exact bytes, its layout and what it means."""

    path: Path
    data: bytes
    layout: Layout
    incident: Incident

    @classmethod
    def read(cls, path: Path, config: Config) -> EditableNote:
        shown = display_path(path)
        try:
            data = path.read_bytes()
            incident, _ = load_note(NoteFile(str(path.parent), path.name, slugify(path.stem)), config, Markup())
            parts = split(_text(data).replace("\r\n", "\n").replace("\r", "\n"))
        except OSError as error:
            raise EditError(
                N_("%(path)s: cannot be read: %(reason)s"), values={"path": shown, "reason": error.strerror or ""}
            ) from None
        except NoteError as error:
            raise ContentError(error.for_file(shown)) from None
        except (LayoutError, UnicodeDecodeError):
            raise EditError(N_("%(path)s changed while it was being read; try again"), values={"path": shown}) from None
        if not parts.blocks:
            heading = f"## {write_time(incident.start, config.timezone)} · {incident.latest.status.label}"
            raise EditError(
                N_(
                    "%(path)s has no update headings, so there is nowhere to add one; put a heading like "
                    "'%(heading)s' above its text, then try again"
                ),
                values={"path": shown, "heading": heading},
            )
        return cls(path, data, parts, incident)

    def with_update(self, heading: str, message: str, zone: ZoneInfo) -> bytes:
        """The note's bytes with one update inserted, everything else exactly as it was."""
        bom = codecs.BOM_UTF8 if self.data.startswith(codecs.BOM_UTF8) else b""
        lines = _LINES.findall(_text(self.data))
        newline = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith(("\n", "\r"))), "\n")
        entry = entry_text(heading, message, newline)
        if self._oldest_first(zone):
            ending = "" if lines[-1].endswith(("\n", "\r")) else newline
            gap = "" if not lines[-1].strip() else newline
            text = "".join(lines) + ending + gap + entry
        else:
            index = self.layout.blocks[0].line - 1
            text = "".join(lines[:index]) + entry + newline + "".join(lines[index:])
        return bom + text.encode("utf-8")

    def _oldest_first(self, zone: ZoneInfo) -> bool:
        """Whether the note lists its updates oldest-first (a single update counts as newest-first)."""
        first, last = self.layout.blocks[0], self.layout.blocks[-1]
        return clock.parse_time(first.time, zone) < clock.parse_time(last.time, zone)


_DRAFT_LINE = re.compile(r"draft\s*:\s*(?:true|yes|on)\s*(?:#.*)?(?:\r\n|\r|\n)?", re.IGNORECASE)


def without_draft(data: bytes) -> bytes:
    """The note's bytes without its front matter's `draft: true` line: published, all else as it was."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    lines = _LINES.findall(_text(data))
    fences = [n for n, line in enumerate(lines) if line.strip() == "---"][:2]
    if len(fences) == 2 and fences[0] == 0:
        lines = (
            lines[:1] + [line for line in lines[1 : fences[1]] if not _DRAFT_LINE.fullmatch(line)] + lines[fences[1] :]
        )
    return bom + "".join(lines).encode("utf-8")


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig")


def entry_text(heading: str, message: str, newline: str) -> str:
    """An update as lines: its heading, then its message."""
    return "".join(line + newline for line in [heading, *message.split("\n")])
