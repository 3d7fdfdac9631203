"""Validate one note's front matter and update blocks into an `Incident`.

Every problem in the note is collected with its line number (front-matter keys are located
by the parse that read their values), so the author sees all of them in one run.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..core.addresses import unique
from ..core.clock import TimeError, parse_time, show, write_time
from ..core.config import Config
from ..core.model import (
    COMPONENT_STATUSES,
    STATUSES_BY_KIND,
    ComponentStatus,
    Impact,
    Incident,
    Kind,
    Reference,
    Update,
    UpdateStatus,
)
from ..core.timeline import window
from ..core.words import brief, suggest
from ..errors import NoteError
from ..schema import Reader
from .layout import Block, Layout
from .markdown import Markup, Rendered, TooDeep

_KEYS = {
    Kind.INCIDENT: ("title", "kind", "impact", "components", "started", "resolved", "status", "draft"),
    Kind.MAINTENANCE: ("title", "kind", "components", "scheduled", "until", "status", "draft"),
}
_TIME_KEYS = {Kind.INCIDENT: ("started", "resolved"), Kind.MAINTENANCE: ("scheduled", "until")}
_REQUIRED_TIMES = {"scheduled": "when the maintenance starts", "until": "when it is planned to end"}
_CHANGE = re.compile(r"\s*(?P<id>[^:=,\s]+)\s*[:=]\s*(?P<status>[^,]+?)\s*")


class NoteReader:
    """Validates one parsed note into an Incident, collecting problems with line numbers."""

    def __init__(
        self, slug: str, source: str, config: Config, markup: Markup, key_lines: dict[str, int], front_line: int
    ):
        self.slug = slug
        self.source = source
        self.config = config
        self.markup = markup
        self.key_lines = key_lines
        self.front_line = front_line
        self.reader = Reader()
        self.problems: list[tuple[int | None, str]] = []
        self.warnings: list[tuple[int | None, str]] = []  # besides the reader's, which know their key

    def read(self, front: dict[str, Any], layout: Layout) -> tuple[Incident, list[tuple[int | None, str]]]:
        reader = self.reader
        kind_text = reader.get(front, "kind", str, default="incident", check=_check_kind)
        kind = (Kind.parse(kind_text) if kind_text else None) or Kind.INCIDENT
        reader.known_keys(front, "", _KEYS[kind])
        title = reader.get(front, "title", str)
        components = self._components(front.get("components"), kind)
        impact = reader.get(front, "impact", str, default=None, check=_check_impact) if kind is Kind.INCIDENT else None
        times = {key: self._time(front, key) for key in _TIME_KEYS[kind]}
        draft = reader.get(front, "draft", bool, default=False)

        updates = self._updates(layout, kind, front, times, components)
        self._collect_reader()
        if self.problems or title is None:
            raise NoteError(self.problems, self._warnings())

        newest_first = _newest_first(updates)
        declared_start, declared_end = (
            (times["scheduled"], times["until"]) if kind is Kind.MAINTENANCE else (times["started"], times["resolved"])
        )
        start, end = window(kind, newest_first, declared_start, declared_end)
        self._check_window(kind, newest_first, start, end, declared_end)
        if self.problems:
            raise NoteError(self.problems, self._warnings())
        impact_value = Impact.NONE if kind is Kind.MAINTENANCE else _impact(impact, components, updates)
        incident = Incident(
            slug=self.slug,
            title=title.strip(),
            kind=kind,
            impact=impact_value,
            components=components,
            updates=newest_first,
            start=start,
            end=end,
            source=self.source,
            declared_start=declared_start,
            declared_end=declared_end,
            key_lines={key: self._line(key) or self.front_line for key in _TIME_KEYS[kind] if key in front},
            draft=bool(draft),
        )
        return incident, self._warnings()

    # -- front matter fields ------------------------------------------------------------

    def _components(self, value: object, kind: Kind) -> dict[str, ComponentStatus]:
        if value is None:
            return {}
        if kind is Kind.MAINTENANCE and isinstance(value, list) and all(isinstance(c, Hashable) for c in value):
            value = {cid: ComponentStatus.UNDER_MAINTENANCE.value for cid in value}
        if not isinstance(value, dict):
            example = (
                "components: [database, api]" if kind is Kind.MAINTENANCE else "components:\\n  login: major_outage"
            )
            self.reader.error("components", f"expected component ids with their status, like '{example}'")
            return {}
        allowed = COMPONENT_STATUSES[kind]
        result = {}
        for cid, status_text in value.items():
            status = self._component_status(f"components.{cid}", cid, status_text, allowed)
            if status is not None:
                result[str(cid)] = status
        return result

    def _component_status(
        self, key: str, cid: object, text: object, allowed: tuple[ComponentStatus, ...]
    ) -> ComponentStatus | None:
        problem, status = check_component(self.config, cid, text, allowed)
        if problem:
            self.reader.error(key, problem)
        return status

    def _time(self, front: dict[str, Any], key: str) -> datetime | None:
        value = front.get(key)
        if value is None:
            if key in _REQUIRED_TIMES:
                self.reader.error(key, f"is required for maintenance: {_REQUIRED_TIMES[key]} (like 2026-03-14 22:00)")
            return None
        try:
            return parse_time(value, self.config.timezone)
        except TimeError as error:
            self.reader.error(key, str(error))
            return None

    # -- updates -------------------------------------------------------------------------

    def _updates(
        self,
        layout: Layout,
        kind: Kind,
        front: dict[str, Any],
        times: Mapping[str, datetime | None],
        components: Mapping[str, ComponentStatus],
    ) -> list[Update]:
        if not layout.blocks:
            return self._single_update(layout, kind, front, times)
        if layout.preamble.strip():
            self.problems.append(
                (
                    layout.preamble_line,
                    "text before the first update heading; put it under a '## <time> · <status>' heading",
                )
            )
        if "status" in front:
            self.reader.warn("status", "ignored: the note has update headings, whose statuses count")
        for line, meant in layout.near_misses:
            self.warnings.append((line, f"this heading reads like an update, but updates use '##': {meant!r}"))
        updates = []
        anchors: set[str] = set()
        for block in layout.blocks:
            update = self._update(block, kind, anchors)
            if update is not None:
                updates.append(update)
        self._check_order(updates)
        return updates

    def _check_order(self, updates: list[Update]) -> None:
        """Warn where one heading breaks the note's order (newest first, or oldest first)."""
        if len(updates) < 2:
            return
        newest_first = updates[0].at >= updates[-1].at
        zone = self.config.timezone
        for before, after in itertools.pairwise(updates):
            if (after.at > before.at) if newest_first else (after.at < before.at):
                order, relation = ("newest", "after") if newest_first else ("oldest", "before")
                self.warnings.append(
                    (
                        after.line,
                        f"dated {write_time(after.at, zone)}, {relation} the update on line {before.line} above it "
                        f"({write_time(before.at, zone)}), but this note lists its updates {order} first: "
                        "check the order or the date",
                    )
                )

    def _update(self, block: Block, kind: Kind, anchors: set[str]) -> Update | None:
        at = None
        try:
            at = parse_time(block.time, self.config.timezone)
        except TimeError as error:
            self.problems.append((block.line, str(error)))
        status = UpdateStatus.parse(block.status)
        if status not in STATUSES_BY_KIND[kind]:
            word = block.status.strip()
            hint = suggest(word, (s.label for s in STATUSES_BY_KIND[kind]))  # as headings spell them
            self.problems.append((block.line, f"unknown {kind.value} status {word!r}; {hint}"))
            status = None
        changes = self._changes(block, kind)
        rendered = self._render(block.body, block.body_line)
        if at is None or status is None or changes is None or rendered is None:
            return None
        return Update(
            at,
            status,
            rendered.html,
            rendered.text,
            _anchor(at, anchors),
            changes,
            line=block.line,
            references=_placed(rendered.references, block.body_line),
        )

    def _changes(self, block: Block, kind: Kind) -> dict[str, ComponentStatus] | None:
        """Parse "(login: degraded_performance, api: operational)" after an update's status."""
        if block.changes is None:
            return {}
        changes: dict[str, ComponentStatus] = {}
        allowed = (*COMPONENT_STATUSES[kind], ComponentStatus.OPERATIONAL)
        ok = True
        for part in block.changes.split(","):
            match = _CHANGE.fullmatch(part)
            if not match:
                self.problems.append(
                    (
                        block.line,
                        f"cannot read the component change {part.strip()!r}; write it like '(login: degraded_performance)'",
                    )
                )
                ok = False
                continue
            problem, status = check_component(self.config, match["id"], match["status"], allowed)
            if problem or status is None:
                self.problems.append((block.line, problem or ""))
                ok = False
                continue
            changes[match["id"]] = status
        return changes if ok else None

    def _single_update(
        self, layout: Layout, kind: Kind, front: dict[str, Any], times: Mapping[str, datetime | None]
    ) -> list[Update]:
        """A note without update headings is one update, dated by its front matter."""
        default = (
            UpdateStatus.SCHEDULED
            if kind is Kind.MAINTENANCE
            else (UpdateStatus.RESOLVED if times.get("resolved") else UpdateStatus.INVESTIGATING)
        )
        text = self.reader.get(front, "status", str, default=default.value)
        status = UpdateStatus.parse(text) if text else default
        if status not in STATUSES_BY_KIND[kind]:
            self.reader.error(
                "status",
                f"unknown {kind.value} status {text!r}; {suggest(str(text), (s.value for s in STATUSES_BY_KIND[kind]))}",
            )
            return []
        if kind is Kind.MAINTENANCE:
            dated_by = "scheduled"
        elif status in (UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM) and times.get("resolved"):
            dated_by = "resolved"
        else:
            dated_by = "started"
        at = times.get(dated_by)
        if at is None:
            if kind is Kind.INCIDENT and front.get("started") is None:
                self.problems.append(
                    (
                        layout.preamble_line,
                        "no update headings and no 'started:' time; add 'started: 2026-03-14 09:05' or a '## <time> · <status>' heading",
                    )
                )
            return []
        rendered = self._render(layout.preamble, layout.preamble_text_line)
        if rendered is None:
            return []
        return [
            Update(
                at,
                status,
                rendered.html,
                rendered.text,
                _anchor(at, set()),
                {},
                line=self._line(dated_by),
                always_posted=kind is Kind.MAINTENANCE,  # the note is the announcement
                references=_placed(rendered.references, layout.preamble_text_line),
            )
        ]

    def _render(self, text: str, first_line: int) -> Rendered | None:
        try:
            return self.markup.render(text)
        except TooDeep as error:
            self.problems.append((first_line + error.line, str(error)))
            return None

    # -- time windows --------------------------------------------------------------------

    def _check_window(
        self, kind: Kind, updates: tuple[Update, ...], start: datetime, end: datetime | None, until: datetime | None
    ) -> None:
        zone = self.config.timezone
        if kind is Kind.MAINTENANCE:
            if until is not None and until <= start:
                self.problems.append(
                    (self._line("until"), f"until ({show(until, zone)}) must be after scheduled ({show(start, zone)})")
                )
            return
        if end is None and any(u.status is UpdateStatus.POSTMORTEM for u in updates):
            self.problems.append(
                (
                    self._line("resolved"),
                    "has a postmortem but was never resolved; add a Resolved update or 'resolved:'",
                )
            )
        if end is not None and end < start:
            self.problems.append(
                (self._line("resolved"), f"resolved ({show(end, zone)}) is before the start ({show(start, zone)})")
            )

    # -- problems ------------------------------------------------------------------------

    def _collect_reader(self) -> None:
        self.problems.extend(
            (self._line(key), message if key in ("", None) else f"{key}: {message}")
            for key, message in self.reader.errors
        )
        self.reader.errors.clear()

    def _warnings(self) -> list[tuple[int | None, str]]:
        keyed = [(self._line(key), f"{key}: {message}") for key, message in self.reader.warnings]
        return keyed + self.warnings

    def _line(self, key: str) -> int | None:
        """The line of a front-matter key like "components.login" (else of "components"), for messages."""
        return self.key_lines.get(key, self.key_lines.get(key.partition(".")[0], self.front_line))


def check_component(
    config: Config, cid: object, text: object, allowed: tuple[ComponentStatus, ...]
) -> tuple[str | None, ComponentStatus | None]:
    """Validate one "component: status" pair; return (problem, status)."""
    if cid not in config.component_ids:
        hint = suggest(str(cid), config.component_ids, otherwise="known components")
        return f"unknown component {brief(cid)}; {hint}", None
    status = ComponentStatus.parse(text) if isinstance(text, str) else None
    if status not in allowed:
        return f"unknown component status {brief(text)}; {suggest(str(text), (s.value for s in allowed))}", None
    return None, status


def _anchor(at: datetime, taken: set[str]) -> str:
    base = "update-" + at.strftime("%Y%m%dT%H%M%SZ" if at.second else "%Y%m%dT%H%MZ")
    anchor = unique(base, taken)
    taken.add(anchor)
    return anchor


def _impact(given: str | None, components: Mapping[str, ComponentStatus], updates: Iterable[Update]) -> Impact:
    """The stated impact, else the worst one implied by any component status in the note."""
    if given:
        return Impact.parse(given)  # type: ignore[return-value]
    statuses = list(components.values()) + [s for u in updates for s in u.changes.values()]
    return max((s.impact for s in statuses), default=Impact.NONE)


def _check_kind(value: str) -> str | None:
    return None if Kind.parse(value) else f"unknown kind {value!r}; {suggest(value, (k.value for k in Kind))}"


def _check_impact(value: str) -> str | None:
    return None if Impact.parse(value) else f"unknown impact {value!r}; {suggest(value, (i.value for i in Impact))}"


def _newest_first(updates: list[Update]) -> tuple[Update, ...]:
    """Newest first; updates with the same time keep the note's own order between them (the
    one nearer the top of a newest-first note is the newer), so two posts in one second stay
    in the order they were posted."""
    oldest_first = len(updates) > 1 and updates[0].at < updates[-1].at
    ranked = [(u.at, n if oldest_first else -n, u) for n, u in enumerate(updates)]
    return tuple(u for _, _, u in sorted(ranked, key=lambda item: item[:2], reverse=True))


def _placed(references: tuple[Reference, ...], first_line: int) -> tuple[Reference, ...]:
    """References with the note's own line numbers."""
    return tuple(replace(r, line=None if r.line is None else first_line + r.line) for r in references)
