"""Carry out a plan: append the new components to statuspage.toml, then write the notes.

statuspage.toml is only appended to: its bytes up to the old end stay exactly as they were
(comments, layout, line endings), and the result is read back with the config reader before
it replaces the file, through a temporary file and a rename, refused if the file changed
meanwhile. Notes go through authoring's `save`, which writes a temporary file, reads it back
with the build's loader, and never overwrites a note; updates are added to an imported note
with the same insertion `statuspage update` uses.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import config as config_module
from ..authoring.insert import EditableNote
from ..authoring.save import save
from ..core.config import Config
from ..core.model import Component, Incident
from ..errors import ConfigError, EditError, display_path
from .plan import Addition, Plan
from .render import entry, heading

#: Introduces the appended tables, so a reader of statuspage.toml knows where they came from.
COMMENT = "# Components found by `statuspage import {kind}`; ids were made from their names."


@dataclass
class Written:
    config_text: str = ""  # what statuspage.toml got (or would get)
    notes: list[Path] = field(default_factory=list)
    additions: list[tuple[Path, int]] = field(default_factory=list)


def write(plan: Plan, config_path: Path, kind: str) -> Written:
    written = Written()
    config = plan.config
    if plan.components:
        written.config_text = append_components(config_path, plan.components, kind)
        config, _ = config_module.load(config_path)
    config.incidents_dir.mkdir(parents=True, exist_ok=True)
    for note in plan.notes:
        save(note.path, note.text.encode("utf-8"), config, original=None, check=_updates(note.updates))
        written.notes.append(note.path)
    for addition in plan.additions:
        _add(addition, config, plan.ids)
        written.additions.append((addition.path, len(addition.updates)))
    return written


def _updates(expected: int):  # type: ignore[no-untyped-def]
    def check(incident: Incident) -> None:
        if len(incident.updates) != expected:
            raise EditError("the note would not read back with all its updates; nothing was written")

    return check


def _add(addition: Addition, config: Config, ids: dict[str, str]) -> None:
    """The new updates, oldest first, each through the insertion and read-back `statuspage update` uses."""
    for update in addition.updates:
        note = EditableNote.read(addition.path, config)
        body = entry(update, ids, config.timezone).split("\n", 1)[1].rstrip("\n")
        data = note.with_update(heading(update, ids, config.timezone), body, config.timezone)
        save(addition.path, data, config, original=note.data, check=_updates(len(note.incident.updates) + 1))


# -- statuspage.toml -------------------------------------------------------------------------


def component_tables(components: list[Component], kind: str, newline: str = "\n") -> str:
    """The `[[components]]` tables for new components, as TOML text."""
    lines = ["", COMMENT.format(kind=kind)]
    for component in components:
        lines += ["", "[[components]]", f"id = {_string(component.id)}", f"name = {_string(component.name)}"]
        if component.group:
            lines.append(f"group = {_string(component.group)}")
        if component.description:
            lines.append(f"description = {_string(component.description)}")
        if component.since:
            lines.append(f"since = {component.since.isoformat()}")
    return newline.join(lines) + newline


def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML also escapes DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def append_components(path: Path, components: list[Component], kind: str) -> str:
    """Append the tables to the config, keeping every existing byte; return the text appended."""
    shown = display_path(path)
    original = path.read_bytes()
    newline = "\r\n" if b"\r\n" in original else "\n"
    text = component_tables(components, kind, newline)
    gap = newline.encode() if original and not original.endswith(b"\n") else b""
    data = original + gap + text.encode("utf-8")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _check(temp, shown, text)
        os.chmod(temp, path.stat().st_mode & 0o7777)
        if path.read_bytes() != original:
            raise EditError(f"{shown} was changed while the import ran; nothing was written, run it again")
        os.replace(temp, path)
    except OSError as error:
        raise EditError(f"cannot write {shown}: {error.strerror or error}; nothing was written") from None
    finally:
        temp.unlink(missing_ok=True)
    return gap.decode() + text


def _check(temp: Path, shown: str, text: str) -> None:
    """The config as it would be must load, with the new components in it."""
    try:
        config_module.load(temp)
    except ConfigError as error:
        reasons = "; ".join(p.message for p in error.problems if not p.warning)
        raise EditError(
            f"{shown} would not be valid with the imported components appended ({reasons}); nothing was written. "
            f"If it lists components inline (components = [...]), add these tables yourself:\n{text}"
        ) from None
