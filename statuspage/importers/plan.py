"""Decide what an import writes, before anything is written: component ids, new notes, new updates.

A source incident is recognised by the `# imported from KIND: ID` line of the note made from
it, so renaming or editing an imported note does not make it new again. A new one gets
`incidents/<date>-<title>.md`, with `-2`, `-3`, … when that address is taken (two incidents
with one title on one day), in the order of their start, so a newer export of the same
source numbers them the same way. An already imported incident gets the source's updates
that are newer than the note's newest one, and nothing else. Every note is parsed with the
build's own reader before the plan is accepted: one that would not be valid is reported and
left out, never written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..authoring.posting import title_slug
from ..core.addresses import slugify, unique
from ..core.config import Config
from ..core.model import Component, Incident, Kind
from ..errors import NoteError, display_path
from ..notes.discover import NoteFile, decode, discover, read_bytes
from ..notes.load import parse_note
from ..notes.markdown import Markup
from .records import Export, Finding, SourceIncident, SourceUpdate
from .render import MARKER, note_text

#: The front matter is short; the marker is on its first lines.
_MARKER_LINES = 40


@dataclass(frozen=True)
class Mapped:
    """How one source component is named here."""

    name: str
    id: str
    new: bool


@dataclass(frozen=True)
class NewNote:
    path: Path
    text: str
    kind: Kind
    updates: int


@dataclass(frozen=True)
class Addition:
    """Updates the source has that an imported note does not have yet."""

    path: Path
    updates: tuple[SourceUpdate, ...]


@dataclass
class Plan:
    config: Config  # with the new components, as statuspage.toml will have them
    mapping: list[Mapped] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)  # to append to statuspage.toml
    notes: list[NewNote] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    unchanged: int = 0  # already imported, nothing new
    findings: list[Finding] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # source key -> our id


def plan(config: Config, kind: str, export: Export) -> Plan:
    result = Plan(config, findings=list(export.findings))
    _components(result, export)
    imported, taken = _existing(config, kind)
    markup = Markup()
    for incident in sorted(export.incidents, key=lambda i: (_start(i), i.source_id)):
        _report_unknown(result, incident)
        path = imported.get(incident.source_id)
        if path is not None:
            _addition(result, path, incident)
            continue
        note = _new_note(result, kind, incident, taken, markup)
        if note is not None:
            result.notes.append(note)
            taken.add(slugify(note.path.stem))
    return result


# -- components ----------------------------------------------------------------------------


def _components(result: Plan, export: Export) -> None:
    """Each source component to an id: the existing one of that name, else a new id made from the name."""
    config = result.config
    names = [c.name.casefold() for c in export.components]
    by_name = {(c.name.casefold(), c.group): c.id for c in config.components}
    by_name.update({(c.name.casefold(), None): c.id for c in reversed(config.components)})
    taken = set(config.component_ids)
    for source in export.components:
        twin = names.count(source.name.casefold()) > 1  # one name in two groups: tell them apart by group
        key = (source.name.casefold(), source.group if twin else None)
        cid = by_name.get(key)
        if cid is None:
            cid = _free(slugify(f"{source.group} {source.name}" if twin and source.group else source.name), taken)
            by_name[key] = cid
            component = Component(cid, source.name, source.group, source.description, source.since)
            result.components.append(component)
            result.mapping.append(Mapped(source.name, cid, new=True))
        elif cid not in result.ids.values():
            result.mapping.append(Mapped(source.name, cid, new=False))
        result.ids[source.key] = cid
    result.config = dataclasses.replace(config, components=(*config.components, *result.components))


def _free(wanted: str, taken: set[str]) -> str:
    candidate = unique(wanted or "component", taken)
    taken.add(candidate)
    return candidate


def _report_unknown(result: Plan, incident: SourceIncident) -> None:
    keys = dict.fromkeys([*incident.components, *(key for u in incident.updates for key in u.changes)])
    for key in keys:
        if key not in result.ids:
            result.findings.append(
                Finding(incident.where, f"names the component {key!r}, which matches none; left out of the note")
            )


# -- notes ---------------------------------------------------------------------------------


def _existing(config: Config, kind: str) -> tuple[dict[str, Path], set[str]]:
    """The notes imported from this kind of source before (by source id), and every address in use."""
    imported: dict[str, Path] = {}
    taken: set[str] = set()
    for note in discover(config.incidents_dir):
        taken.add(note.slug)
        try:
            head = decode(read_bytes(note.location)).split("\n", _MARKER_LINES)[:_MARKER_LINES]
        except NoteError:
            continue
        for line in head[1:]:
            if line.strip() == "---":
                break
            found = MARKER.match(line.strip())
            if found and found["kind"] == kind:
                imported.setdefault(found["id"], note.path)
    return imported, taken


def _start(incident: SourceIncident) -> datetime:
    """What orders incidents and dates a note's file name: the window's start, else the first news of it."""
    return incident.scheduled or incident.started or min(u.at for u in incident.updates)


def _new_note(result: Plan, kind: str, incident: SourceIncident, taken: set[str], markup: Markup) -> NewNote | None:
    config = result.config
    day = _start(incident).astimezone(config.timezone)
    base = f"{day.date().isoformat()}-{title_slug(incident.title, incident.kind)}"
    name = unique(base, taken, key=slugify)
    path = config.incidents_dir / f"{name}.md"
    text = note_text(incident, kind, result.ids, config.timezone)
    parsed = _parse(result, path, text, markup, incident.where)
    if parsed is None:
        return None
    if len(parsed.updates) != len(incident.updates):
        result.findings.append(Finding(incident.where, "its text would change the note's updates; not imported"))
        return None
    return NewNote(path, text, incident.kind, len(parsed.updates))


def _parse(result: Plan, path: Path, text: str, markup: Markup, where: str) -> Incident | None:
    note = NoteFile(str(path.parent), path.name, slugify(path.stem))
    try:
        incident, _ = parse_note(note, text.encode("utf-8"), result.config, markup)
    except NoteError as error:
        problems = "; ".join(message for _, message in error.problems)
        result.findings.append(Finding(where, f"would not make a valid note ({problems}); not imported"))
        return None
    return incident


def _addition(result: Plan, path: Path, incident: SourceIncident) -> None:
    try:
        incident_now, _ = parse_note(
            NoteFile(str(path.parent), path.name, slugify(path.stem)), read_bytes(str(path)), result.config, Markup()
        )
    except NoteError as error:
        shown = display_path(path)
        problems = "; ".join(message for _, message in error.problems)
        result.findings.append(Finding(incident.where, f"{shown} is not valid now ({problems}); nothing added to it"))
        return
    newest = max(u.at for u in incident_now.updates)
    new = tuple(u for u in sorted(incident.updates, key=lambda u: u.at) if u.at > newest and not u.estimated)
    if not new:
        result.unchanged += 1
        return
    result.additions.append(Addition(path, new))
