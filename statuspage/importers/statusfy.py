"""Statusfy: systems from its config and their titles from the default locale, incidents from content/*.md.

An incident's front matter (YAML, `---toml` or `---json`) has `severity` (the status of its
`affectedsystems`), `resolved`, and for maintenance `scheduled` and `duration` (minutes), as
Statusfy's own database reads them. Its updates are `::: update Title | date` containers;
the text before them is the first update, at the incident's `date`. Translations in
content/<language>/ are not imported: a site has one language.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.model import ComponentStatus, Kind, UpdateStatus
from ..core.words import brief
from ..errors import display_path
from ..schema import type_name
from .fields import (
    Fields,
    lower_keys,
    read_json,
    read_text,
    read_toml,
    read_yaml,
    split_front_matter,
    status_of,
    text_of,
    to_time,
)
from .html import noted
from .records import Export, Options, SourceComponent, SourceError, SourceIncident, SourceUpdate

SEVERITIES = {
    "under-maintenance": ComponentStatus.UNDER_MAINTENANCE,
    "major-outage": ComponentStatus.MAJOR_OUTAGE,
    "partial-outage": ComponentStatus.PARTIAL_OUTAGE,
    "degraded-performance": ComponentStatus.DEGRADED_PERFORMANCE,
}
#: Statusfy's defaults when the config says nothing.
DEFAULT_SYSTEMS = ("api", "cdn", "dns", "site-delivery")
_UPDATE = re.compile(r"^:::\s*update\s+(?P<title>[^|\n]*?)\s*(?:\|\s*(?P<date>[^\n]*?))?\s*$", re.MULTILINE)
_CLOSE = re.compile(r"^:::\s*$", re.MULTILINE)
_CONTAINER = re.compile(r"^:::\s*(?P<name>\w+)[^\n]*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LOCALE = re.compile(r"[A-Za-z0-9_-]{1,40}")
#: A maintenance window longer than a year is a mistake (or minutes taken for seconds).
_LONGEST_MINUTES = 366 * 24 * 60


def read(source: str, options: Options) -> Export:
    root = Path(source)
    if not root.is_dir():
        raise SourceError(f"{source} is not a folder; give the Statusfy site's folder")
    export = Export(label=f"Statusfy site {display_path(root)}")
    config = _config(root, export)
    content = config.table("content")
    locale = config.text("defaultlocale") or "en"
    if not _LOCALE.fullmatch(locale):
        export.note(config.where, f"defaultLocale {locale!r} is not a language code; en is assumed")
        locale = "en"
    export.components = _systems(root, content, locale)
    folder = _folder(root, content)
    if not folder.is_dir():
        raise SourceError(f"{display_path(folder)} not found; is this a Statusfy site?")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        export.note(display_path(sub), "translations are not imported: a site has one language")
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        incident = _Incident(path, options, export).read()
        if incident is not None:
            export.incidents.append(incident)
    return export


def _folder(root: Path, content: Fields) -> Path:
    """`content.dir`, which must be a folder inside the site."""
    name = content.text("dir") or "content"
    folder = root / name
    if "\x00" in name or not folder.resolve().is_relative_to(root.resolve()):
        content.export.note(content.where, f"content.dir {name!r} is not a folder inside the site; content is assumed")
        folder = root / "content"
    return folder


def _config(root: Path, export: Export) -> Fields:
    """config.yml, config.toml, or config.js (JavaScript: only its plain values are read)."""
    for name in ("config.yml", "config.yaml", "config.toml", "config.json"):
        path = root / name
        if path.is_file():
            text = read_text(path, display_path(path))
            suffix = name.rsplit(".", 1)[1]
            data = (
                read_toml(text, name)
                if suffix == "toml"
                else read_json(text, name)
                if suffix == "json"
                else read_yaml(text, name)
            )
            if not isinstance(data, dict):
                export.note(
                    name, f"expected a table of settings, got {type_name(data)}; Statusfy's defaults are assumed"
                )
            return Fields(lower_keys(data), export, name)
    path = root / "config.js"
    if path.is_file():
        return Fields(_javascript(read_text(path, display_path(path)), export), export, "config.js")
    export.note(display_path(root), "has no config; Statusfy's default systems are assumed")
    return Fields({}, export, "config")


def _javascript(text: str, export: Export) -> dict[str, Any]:
    """The values an import needs from `module.exports = {…}`, read as text: it is not run."""
    found: dict[str, Any] = {}
    systems = re.search(r"systems\s*:\s*\[(?P<items>[^\]]*)\]", text)
    if systems:
        found["content"] = {"systems": re.findall(r"[\"'`]([^\"'`]+)[\"'`]", systems["items"])}
    else:
        export.note("config.js", "no `systems: [...]` list found; Statusfy's default systems are assumed")
    for key, pattern in (
        ("defaultlocale", r"defaultLocale\s*:\s*[\"']([^\"']+)"),
        ("dir", r"\bdir\s*:\s*[\"']([^\"']+)"),
    ):
        match = re.search(pattern, text)
        if match and key == "dir":
            found.setdefault("content", {})["dir"] = match[1]
        elif match:
            found[key] = match[1]
    return found


def _systems(root: Path, content: Fields, locale: str) -> list[SourceComponent]:
    export = content.export
    listed = content.items("systems", otherwise="Statusfy's default systems are assumed")
    ids = [name for name in map(text_of, listed) if name] or list(DEFAULT_SYSTEMS)
    path = root / "locales" / f"{locale}.json"
    shown = display_path(path)
    if not path.is_file():
        export.note(shown, "not found; systems are named by their ids")
        return [SourceComponent(cid, cid) for cid in ids]
    data = lower_keys(read_json(read_text(path, shown), shown))
    if not isinstance(data, dict):
        export.note(shown, f"expected an object, got {type_name(data)}; systems are named by their ids")
    titles = Fields(data, export, shown).table("systems").table("items")
    found = []
    for cid in ids:
        item = titles.table(cid.lower())
        found.append(SourceComponent(cid, item.text("title") or cid, description=item.text("description")))
    return found


class _Incident:
    def __init__(self, path: Path, options: Options, export: Export):
        self.path, self.options, self.export = path, options, export
        self.where = f"content/{path.name}"

    def time(self, value: object, what: str) -> datetime | None:
        return to_time(value, self.options.zone, self.export, self.where, what)

    def read(self) -> SourceIncident | None:
        front, body = split_front_matter(read_text(self.path, display_path(self.path)), self.where)
        fields = Fields(lower_keys(front), self.export, self.where)
        start = self.time(fields.raw("date"), "date")
        if start is None:
            self.export.note(self.where, "has no date; skipped")
            return None
        severity = fields.text("severity").lower()
        status = SEVERITIES.get(severity)
        if status is None:
            self.export.note(self.where, f"unknown severity {severity!r}; its affected systems are not marked")
        scheduled = self.time(fields.raw("scheduled"), "scheduled")
        duration = fields.number("duration")
        maintenance = status is ComponentStatus.UNDER_MAINTENANCE
        kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT
        systems = [name for name in map(text_of, fields.items("affectedsystems", one=True)) if name]
        updates = self._updates(body, kind, start, fields.text("description"))
        incident = SourceIncident(
            source_id=fields.text("id") or self.path.name,
            where=self.where,
            title=fields.text("title") or self.path.stem,
            kind=kind,
            updates=tuple(updates),
            components=dict.fromkeys(systems, status) if status else {},
            started=start if start < min(u.at for u in updates) else None,
        )
        if maintenance:
            return self._window(incident, scheduled or start, duration, updates)
        return self._resolution(incident, fields.raw("resolved") is True, updates)

    def _updates(self, body: str, kind: Kind, start: datetime, description: str) -> list[SourceUpdate]:
        body = _COMMENT.sub("", body.replace("\r\n", "\n"))
        heads = list(_UPDATE.finditer(body))
        first_text = (body[: heads[0].start()] if heads else body).strip()
        first = UpdateStatus.SCHEDULED if kind is Kind.MAINTENANCE else UpdateStatus.INVESTIGATING
        updates = []
        if first_text or not heads:
            updates.append(SourceUpdate(start, first, self._plain(first_text or description)))
        for n, head in enumerate(heads):
            end = heads[n + 1].start() if n + 1 < len(heads) else len(body)
            closing = _CLOSE.search(body, head.end(), end)
            text = body[head.end() : closing.start() if closing else end].strip()
            word = head["title"]
            status = status_of(word, kind, self.export, self.where)
            if status is None:
                self.export.note(self.where, f"unknown update title {word!r}; posted as Update with the title kept")
                status, text = UpdateStatus.UPDATE, f"**{word}**\n\n{text}".strip()
            at = self.time(head["date"], "update date")
            if at is None:
                self.export.note(
                    self.where, f"the update {word!r} has no date it can read; dated at the incident's date"
                )
                at = start
            updates.append(SourceUpdate(at, status, self._plain(text), estimated=head["date"] is None))
        return updates

    def _plain(self, text: str) -> str:
        """Other `::: tip` containers keep their text (only the fences go); HTML becomes Markdown."""
        for name in sorted({m["name"] for m in _CONTAINER.finditer(text)}):
            self.export.note(self.where, f"the '::: {name}' container is kept as plain text")
        return noted(_CLOSE.sub("", _CONTAINER.sub("", text)), self.export, self.where)

    def _window(
        self, incident: SourceIncident, scheduled: datetime, minutes: float | None, updates: list[SourceUpdate]
    ) -> SourceIncident | None:
        if minutes is not None and minutes > _LONGEST_MINUTES:
            self.export.note(self.where, f"duration: {brief(minutes)} minutes is more than a year; ignored")
            minutes = None
        if minutes is None or minutes <= 0:
            done = [u.at for u in updates if u.status is UpdateStatus.COMPLETED]
            if not done or done[0] <= scheduled:
                self.export.note(self.where, "maintenance without a duration (minutes) or a Completed update; skipped")
                return None
            self.export.note(self.where, "maintenance without a duration; it ends at its Completed update")
            until = done[0]
        else:
            until = scheduled + timedelta(minutes=minutes)
        return replace(incident, started=None, scheduled=scheduled, until=until)

    def _resolution(self, incident: SourceIncident, resolved: bool, updates: list[SourceUpdate]) -> SourceIncident:
        ended = any(u.status is UpdateStatus.RESOLVED for u in updates)
        if resolved and not ended:
            last = max(u.at for u in updates)
            self.export.note(
                self.where, f"resolved: true without a Resolved update; it ends at its last update ({last.isoformat()})"
            )
            return replace(incident, resolved=last)
        if ended and not resolved:
            self.export.note(self.where, "has a Resolved update but resolved: false; it ends at the Resolved update")
        return incident
