"""cState (a Hugo theme): systems and categories from config.yml, issues from content/issues/*.md.

cState's own window of an issue is `date` to `resolvedWhen` (its pages count the downtime
between them), so those become `started:` and `resolved:`. The body's updates are written
`*Investigating* - text {{< track "2018-04-13 15:54:00" >}}`, newest first, between blank
lines or `---`; they are split into updates, tolerating a missing time, a missing status
word, and either order. Severity `down`, `disrupted` and `notice` put the `affected` systems
in major outage, partial outage and degraded performance. cState has no maintenance type:
its maintainers use `severity: notice` for it, so a notice with a `resolvedWhen` is taken as
maintenance, and so is an issue dated in the future (`buildFuture` exists for that).
Front matter keys may be in any case, as Hugo reads them; naive times are in --timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.model import ComponentStatus, Impact, Kind, UpdateStatus
from ..core.words import distance
from ..errors import display_path
from .fields import Fields, lower_keys, read_text, read_toml, read_yaml, split_front_matter, status_of, text_of, to_time
from .html import noted
from .records import Export, Options, SourceComponent, SourceError, SourceIncident, SourceUpdate

CONFIG_NAMES = ("config.yml", "config.yaml", "config.toml", "hugo.yml", "hugo.yaml", "hugo.toml")
SEVERITIES = {
    "down": ComponentStatus.MAJOR_OUTAGE,
    "disrupted": ComponentStatus.PARTIAL_OUTAGE,
    "notice": ComponentStatus.DEGRADED_PERFORMANCE,
}
_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"?(?P<time>[^\"}]*?)\"?\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*(?P<name>[\w-]+)[^}]*[>%]\}\}")
#: `*Investigating* - ` or `**Update** —` at the start of a line, or a status alone on its line.
_MARKER = re.compile(
    r"[ \t]*\*{1,2}(?P<word>[^*\n]{1,40}?)\*{1,2}(?:(?P<dash>[ \t]*[-–—:])(?=\s|$)|[ \t]*$)", re.MULTILINE
)
_RULE = re.compile(r"\s{0,3}([-*_])(?:\s*\1){2,}\s*")


def read(source: str, options: Options) -> Export:
    root = Path(source)
    if not root.is_dir():
        raise SourceError(f"{source} is not a folder; give the cState site's folder (with config.yml)")
    export = Export(label=f"cState site {display_path(root)}")
    name, data = _config(root)
    export.components = _systems(Fields(lower_keys(data), export, name).table("params"))
    systems = {component.key for component in export.components}
    issues = root / "content" / "issues"
    if not issues.is_dir():
        export.note(display_path(root), "has no content/issues/ folder; no incidents imported")
        return export
    for path in sorted(issues.rglob("*.md")):
        if path.name.startswith(("_", ".")):
            continue
        incident = _Issue(path, issues, options, export, systems).read()
        if incident is not None:
            export.incidents.append(incident)
    return export


def _config(root: Path) -> tuple[str, dict[str, Any]]:
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            text = read_text(path, display_path(path))
            return name, read_toml(text, name) if name.endswith(".toml") else read_yaml(text, name)
    raise SourceError(f"{display_path(root)} has no {' or '.join(CONFIG_NAMES[:3])}; is it a cState site?")


def _systems(params: Fields) -> list[SourceComponent]:
    """`systems` in order, grouped by `category` (an `untitled` category shows no name, so no group)."""
    untitled = {c.text("name") for c in params.records("categories") if _true(c.raw("untitled"))}
    found = []
    for n, item in enumerate(params.items("systems")):
        system = Fields(
            item if isinstance(item, dict) else {"name": item}, params.export, params.where, f"params.systems[{n}]"
        )
        name = system.text("name")
        if not name:
            params.export.note(params.where, "a system without a name; skipped")
            continue
        category = system.text("category")
        found.append(
            SourceComponent(
                key=name,
                name=system.text("displayname") or name,
                group=category if category and category not in untitled else None,
                description=system.text("description"),
            )
        )
    if not found:
        params.export.note(params.where, "lists no systems (params.systems); no components imported")
    return found


@dataclass
class _Block:
    word: str | None  # the status word as written
    status: UpdateStatus | None
    text: str
    at: datetime | None


class _Issue:
    """One issue file read into an incident or a maintenance."""

    def __init__(self, path: Path, folder: Path, options: Options, export: Export, systems: set[str]):
        self.path, self.options, self.export, self.systems = path, options, export, systems
        self.id = path.relative_to(folder).as_posix()
        self.where = f"content/issues/{self.id}"

    def note(self, message: str) -> None:
        self.export.note(self.where, message)

    def time(self, value: object, what: str) -> datetime | None:
        return to_time(value, self.options.zone, self.export, self.where, what)

    def read(self) -> SourceIncident | None:
        front, body = split_front_matter(read_text(self.path, display_path(self.path)), self.where)
        fields = Fields(lower_keys(front), self.export, self.where)
        if _true(fields.raw("draft")):
            self.note("is a draft (draft: true), which cState does not show; skipped")
            return None
        section = fields.text("section").lower()
        if section != "issue":
            self.note(f"has section {section or '(none)'!r}, not 'issue', so cState does not list it; skipped")
            return None
        start = self.time(fields.raw("date"), "date")
        if start is None:
            self.note("has no date; skipped")
            return None
        resolved = _true(fields.raw("resolved"))
        until = self.time(fields.raw("resolvedwhen"), "resolvedWhen")
        severity = fields.text("severity").lower()
        informational = _true(fields.raw("informational"))
        if _true(fields.raw("pin")):
            self.note("is pinned (pin: true); notes are not pinned, it is listed by its date")
        maintenance = not informational and (start > self.options.now or (severity == "notice" and until is not None))
        kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT
        updates = self._updates(body, kind, start, until if resolved or maintenance else None, informational)
        title = fields.text("title") or self.path.stem
        components = {} if informational else self._components(fields.items("affected", one=True), severity, kind)
        incident = SourceIncident(
            source_id=self.id,
            where=self.where,
            title=title,
            kind=kind,
            updates=tuple(updates),
            components=components,
            impact=Impact.NONE if informational else None,
        )
        if maintenance:
            return self._maintenance(incident, start, until)
        return self._window(incident, start, until if resolved else None, resolved or informational, informational)

    def _components(self, affected: list[Any], severity: str, kind: Kind) -> dict[str, ComponentStatus]:
        names = [name for name in map(text_of, affected) if name]
        if kind is Kind.MAINTENANCE:
            return dict.fromkeys(names, ComponentStatus.UNDER_MAINTENANCE)
        status = SEVERITIES.get(severity)
        if status is None:
            if names:
                shown = repr(severity) if severity else "no severity"
                self.note(f"has {shown} (use down, disrupted or notice); its affected systems are not marked")
            return {}
        return dict.fromkeys(names, status)

    def _maintenance(self, incident: SourceIncident, start: datetime, until: datetime | None) -> SourceIncident | None:
        if until is None:
            self.note("is dated in the future, so it is maintenance, which needs an end (resolvedWhen); skipped")
            return None
        if until <= start:
            self.note("is maintenance whose resolvedWhen is not after its date; skipped")
            return None
        return replace(incident, started=None, scheduled=start, until=until)

    def _window(
        self, incident: SourceIncident, start: datetime, until: datetime | None, resolved: bool, informational: bool
    ) -> SourceIncident:
        """`started:` and `resolved:` from date and resolvedWhen, where the updates do not say it themselves.

        Both the window and the track times are typed by hand, and cState's own example has each
        one wrong (track times copied from another issue; a date a month off). When they cannot
        both be right (every track time outside the window), the note keeps the updates as
        written and reports the window: nothing is lost, and a typo cannot become months of outage.
        """
        if not resolved and until is not None:
            self.note("is not resolved (resolved: false), so it is imported as ongoing, as cState shows it")
        until = until if resolved else None
        if until is not None and until < start:
            self.note("has a resolvedWhen before its date; it ends at its date")
            until = start
        tracked = sorted(u.at for u in incident.updates if not u.estimated)
        first, last = min(u.at for u in incident.updates), max(u.at for u in incident.updates)
        ends = [u.at for u in incident.updates if u.status is UpdateStatus.RESOLVED]
        if tracked and (tracked[-1] < start or (until is not None and tracked[0] > until)):
            self._apart(tracked, start, until)
            start = first
            if until is not None and not ends:
                self.note(f"is resolved, and without its resolvedWhen it ends at its last update ({last.isoformat()})")
            until = last if until is not None else None
        started = start if start < first else None
        if not resolved or ends:
            if until is not None and ends and until != ends[-1]:
                relation = "after" if until > ends[-1] else "before"
                self.note(
                    f"its resolvedWhen ({until.isoformat()}) is {distance(until - ends[-1])} {relation} its Resolved "
                    f"update ({ends[-1].isoformat()}); the note ends at the Resolved update"
                )
            return replace(incident, started=started)
        if until is None:
            if not informational:
                self.note(f"is resolved but has no resolvedWhen; it ends at its last update ({last.isoformat()})")
            until = last
        if until < last:
            self.note("has updates dated after its resolvedWhen; check the times in the source")
        return replace(incident, started=started, resolved=until)

    def _apart(self, tracked: list[datetime], start: datetime, until: datetime | None) -> None:
        times = tracked[0].isoformat() + (f" to {tracked[-1].isoformat()}" if tracked[-1] != tracked[0] else "")
        if tracked[-1] < start:
            gap, relation = distance(start - tracked[-1]), "before"
        else:
            assert until is not None
            gap, relation = distance(tracked[0] - until), "after"
        window = start.isoformat() + (f" to {until.isoformat()}" if until is not None and until != start else "")
        fields = "date and resolvedWhen" if until is not None else "date"
        self.note(
            f"its {{{{< track >}}}} times ({times}) are {gap} {relation} its {fields} ({window}), so one of them is "
            f"wrong; the note keeps the track times and ignores {fields}: check which is right"
        )

    # -- the body --------------------------------------------------------------------------

    def _updates(
        self, body: str, kind: Kind, start: datetime, until: datetime | None, informational: bool
    ) -> list[SourceUpdate]:
        blocks = self._blocks(body, kind)
        plain = len(blocks) == 1 and blocks[0].word is None
        ordered = list(reversed(blocks)) if _newest_first(blocks) else blocks
        first = UpdateStatus.SCHEDULED if kind is Kind.MAINTENANCE else UpdateStatus.INVESTIGATING
        if informational:
            first = UpdateStatus.UPDATE
        updates: list[SourceUpdate] = []
        for index, block in enumerate(ordered):
            status = block.status
            if status is None:
                status = first if index == 0 else UpdateStatus.UPDATE
                if not plain and block.word is None:
                    self.note(f"an update without a status word is posted as {status.label}")
            at, estimated = block.at, False
            if at is None:
                at, estimated = self._missing_time(index, len(ordered), start, until, updates, plain, kind)
            updates.append(SourceUpdate(at, status, block.text, estimated=estimated))
        return updates

    def _missing_time(
        self,
        index: int,
        count: int,
        start: datetime,
        until: datetime | None,
        before: list[SourceUpdate],
        plain: bool,
        kind: Kind,
    ) -> tuple[datetime, bool]:
        """A time for an update that has no {{< track >}}: the issue's date for the first, its
        resolvedWhen for the last of a resolved one, else the update before it; all but the first said."""
        if index == 0:
            if kind is Kind.MAINTENANCE and start > self.options.now:
                return self.options.now, True  # announced now, for a window still to come
            return start, not plain
        if index == count - 1 and until is not None:
            moment, why = until, "its resolvedWhen"
        else:
            moment, why = before[-1].at, "the update before it"
        self.note(f"an update without a {{{{< track >}}}} time is dated {moment.isoformat()} ({why})")
        return moment, True

    def _blocks(self, body: str, kind: Kind) -> list[_Block]:
        """The body cut at `---` rules and at status words; a body with neither is one post, rules and all."""
        lines = body.replace("\r\n", "\n").split("\n")
        if not _TRACK.search(body) and not any(_MARKER.match(line) and self._is_marker(line, kind) for line in lines):
            return [self._block(body, kind)]
        sections: list[list[str]] = [[]]
        for line in lines:
            if _RULE.fullmatch(line):
                sections.append([])
            elif _MARKER.match(line) and self._is_marker(line, kind) and any(s.strip() for s in sections[-1]):
                sections.append([line])
            else:
                sections[-1].append(line)
        blocks = [self._block("\n".join(lines), kind) for lines in sections if "\n".join(lines).strip()]
        return blocks or [_Block(None, None, "", None)]

    def _is_marker(self, line: str, kind: Kind) -> bool:
        """A line starting an update: `*Word* - …` with any word, or a known status alone (`*Post-mortem*`)."""
        match = _MARKER.match(line)
        assert match is not None
        return bool(match["dash"]) or status_of(match["word"], kind, Export(), "") is not None

    def _block(self, raw: str, kind: Kind) -> _Block:
        times = [m["time"] for m in _TRACK.finditer(raw)]
        text = _TRACK.sub("", raw)
        for name in sorted({m["name"] for m in _SHORTCODE.finditer(text)}):
            self.note(f"the Hugo shortcode {{{{< {name} >}}}} is dropped")
        text = noted(_SHORTCODE.sub("", text), self.export, self.where)
        at = self.time(times[0], "track time") if times else None
        match = _MARKER.match(text)
        if match is None or not self._is_marker(text.split("\n", 1)[0], kind):
            return _Block(None, None, text, at)
        word = match["word"].strip()
        status = status_of(word, kind, self.export, self.where)
        if status is None:
            self.note(f"unknown status {word!r}; posted as Update with the word kept in its text")
            return _Block(word, UpdateStatus.UPDATE, text, at)
        return _Block(word, status, text[match.end() :].strip(), at)


_OPENING = (UpdateStatus.INVESTIGATING, UpdateStatus.SCHEDULED)
_CLOSING = (UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM, UpdateStatus.COMPLETED)


def _newest_first(blocks: list[_Block]) -> bool:
    """cState's convention, unless the times say otherwise, or (without times, or with one time
    for all) an Investigating on top or a Resolved at the bottom does."""
    timed = [b.at for b in blocks if b.at is not None]
    if len(timed) >= 2 and timed[0] != timed[-1]:
        return timed[0] > timed[-1]
    return not (len(blocks) > 1 and (blocks[0].status in _OPENING or blocks[-1].status in _CLOSING))


def _true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes"))
