"""Upptime: sites from .upptimerc.yml, incidents and maintenance from the repository's GitHub issues.

A clone holds the config but not the issues, so they come from an export beside it
(`issues.json`, as `gh issue list --state all --json number,title,body,labels,state,createdAt,closedAt,comments`
or GitHub's REST API writes it), or from that export given directly. An issue labelled
`status` and a site's slug is an incident of that site: "🛑 … is down" a major outage,
"⚠️ … has degraded performance" degraded performance. Its body is the first update, its
comments the later ones ("**Resolved:** …" is Resolved), and its open and closed times are
the window. An issue labelled `maintenance` with Upptime's `<!-- start: … end: … -->` comment
is a maintenance of the sites in `expectedDown` and `expectedDegraded`.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.addresses import slugify
from ..core.model import ComponentStatus, Kind, UpdateStatus
from ..errors import display_path
from ..schema import type_name
from .fields import Fields, lower_keys, read_json, read_text, read_yaml, text_of, to_time
from .html import noted
from .records import Export, Options, SourceComponent, SourceError, SourceIncident, SourceUpdate

CONFIG = ".upptimerc.yml"
EXPORT = "issues.json"
_WINDOW = re.compile(r"<!--(?P<inside>.*?)-->", re.DOTALL)
_DOWN = re.compile(r"\bis down\s*$", re.IGNORECASE)
_DEGRADED = re.compile(r"\bhas degraded performance\s*$", re.IGNORECASE)
_RESOLVED = re.compile(r"^\s*\*\*Resolved:?\*\*", re.IGNORECASE)


def read(source: str, options: Options) -> Export:
    path = Path(source)
    folder = path if path.is_dir() else path.parent
    export = Export(label=f"Upptime {display_path(path)}")
    export.components = _sites(folder / CONFIG, export)
    issues_file = path / EXPORT if path.is_dir() else path
    if not issues_file.is_file():
        raise SourceError(
            f"{display_path(issues_file)} not found: a clone has no issues; export them beside {CONFIG} with "
            "gh issue list --state all --limit 100000 --json number,title,body,labels,state,createdAt,closedAt,comments"
        )
    shown = display_path(issues_file)
    data = lower_keys(read_json(read_text(issues_file, shown), shown))
    issues = data.get("issues") if isinstance(data, dict) else data
    if not isinstance(issues, list):
        raise SourceError(f"{shown} is not a list of issues")
    slugs = {c.key: c for c in export.components}
    skipped = 0
    for n, issue in enumerate(issues):
        if not isinstance(issue, dict):
            export.note(shown, f"entry {n + 1} is {type_name(issue)}, not an issue; skipped")
            continue
        if "pull_request" in issue:
            continue
        incident = _Issue(issue, options, export, slugs).read()
        if incident is None:
            skipped += 1
        else:
            export.incidents.append(incident)
    if skipped:
        export.note(shown, f"{skipped} issue(s) without the 'status' or 'maintenance' label are not incidents; skipped")
    return export


def site_slug(site: dict[str, Any]) -> str:
    """The slug Upptime labels a site's issues with: its `slug`, else its name, split at lower-to-upper case changes."""
    given = text_of(site.get("slug"))
    if given:
        return given
    name = text_of(site.get("name"))
    split = re.sub(r"([a-z\d])([A-Z])", r"\1-\2", re.sub(r"([A-Z]+)([A-Z][a-z\d]+)", r"\1-\2", name))
    return slugify(split)


def _sites(config: Path, export: Export) -> list[SourceComponent]:
    if not config.is_file():
        export.note(display_path(config), "not found; components come from the issues' titles")
        return []
    data = Fields(lower_keys(read_yaml(read_text(config, display_path(config)), CONFIG)), export, CONFIG)
    return [
        SourceComponent(site_slug(site.data), site.text("name")) for site in data.records("sites") if site.text("name")
    ]


class _Issue:
    def __init__(self, issue: dict[str, Any], options: Options, export: Export, sites: dict[str, SourceComponent]):
        self.options, self.export, self.sites = options, export, sites
        self.number = text_of(issue.get("number"))
        self.where = f"issue #{self.number}"
        self.issue = Fields(issue, export, self.where)
        self.labels = [
            text_of(label.get("name") if isinstance(label, dict) else label) for label in self.issue.items("labels")
        ]

    def time(self, value: object, what: str) -> datetime | None:
        return to_time(value, self.options.zone, self.export, self.where, what)

    def read(self) -> SourceIncident | None:
        if "maintenance" in self.labels:
            return self._maintenance()
        if "status" not in self.labels:
            return None
        opened = self.time(self.issue.raw("createdat") or self.issue.raw("created_at"), "created time")
        if opened is None:
            self.export.note(self.where, "has no creation time; skipped")
            return None
        title = self.issue.text("title")
        status = self._status(title)
        components = dict.fromkeys(self._sites(title), status)
        body = noted(self.issue.prose("body"), self.export, self.where)
        updates = [SourceUpdate(opened, UpdateStatus.INVESTIGATING, body)]
        updates += self._comments(Kind.INCIDENT)
        closed = self._closed()
        return SourceIncident(
            source_id=f"#{self.number}",
            where=self.where,
            title=re.sub(r"^[^\w]+", "", title, flags=re.UNICODE) or title,
            kind=Kind.INCIDENT,
            updates=tuple(updates),
            components=components,
            resolved=closed,
        )

    def _status(self, title: str) -> ComponentStatus:
        if _DEGRADED.search(title):
            return ComponentStatus.DEGRADED_PERFORMANCE
        if not _DOWN.search(title):
            self.export.note(
                self.where, "the title says neither 'is down' nor 'has degraded performance'; taken as down"
            )
        return ComponentStatus.MAJOR_OUTAGE

    def _sites(self, title: str) -> list[str]:
        """The sites by label; else by the name in Upptime's own title ("🛑 Google is down")."""
        found = [label for label in self.labels if label in self.sites]
        if found:
            return found
        name = _DEGRADED.sub("", _DOWN.sub("", re.sub(r"^[^\w]+", "", title))).strip()
        by_name = [key for key, site in self.sites.items() if site.name.casefold() == name.casefold()]
        if by_name:
            return by_name
        others = [label for label in self.labels if label not in ("status", "maintenance")]
        return others or [name]  # unknown: `plan` reports it

    def _comments(self, kind: Kind) -> list[SourceUpdate]:
        updates: list[SourceUpdate] = []
        counted = self.issue.raw("comments")
        if isinstance(counted, int) and not isinstance(counted, bool):
            if counted:
                self.export.note(
                    self.where, f"the export counts {counted} comment(s) but holds none; export with --json comments"
                )
            return updates
        for n, comment in enumerate(self.issue.records("comments"), start=1):
            at = self.time(comment.raw("createdat") or comment.raw("created_at"), "comment time")
            if at is None:
                self.export.note(self.where, "a comment without a time; skipped")
                continue
            body = noted(comment.prose("body"), self.export, f"{self.where}, comment {n}")
            if kind is Kind.MAINTENANCE:
                status = UpdateStatus.UPDATE
            else:
                status = UpdateStatus.RESOLVED if _RESOLVED.match(body) else UpdateStatus.UPDATE
            updates.append(SourceUpdate(at, status, body))
        return updates

    def _closed(self) -> datetime | None:
        if self.issue.text("state").lower() != "closed":
            return None
        closed = self.time(self.issue.raw("closedat") or self.issue.raw("closed_at"), "closed time")
        if closed is None:
            self.export.note(self.where, "is closed but the export has no closed time; imported as ongoing")
        return closed

    def _maintenance(self) -> SourceIncident | None:
        body = self.issue.prose("body")
        window = _WINDOW.search(body)
        fields: dict[str, str] = {}
        if window:
            for line in window["inside"].splitlines():
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip()
        start = self.time(fields.get("start"), "start")
        end = self.time(fields.get("end"), "end")
        if start is None or end is None or end <= start:
            self.export.note(
                self.where, "a maintenance issue needs '<!-- start: … end: … -->' with end after start; skipped"
            )
            return None
        opened = self.time(self.issue.raw("createdat") or self.issue.raw("created_at"), "created time") or start
        slugs = [s.strip() for key in ("expecteddown", "expecteddegraded") for s in fields.get(key, "").split(",")]
        text = noted(_WINDOW.sub("", body, count=1), self.export, self.where)
        updates = [SourceUpdate(min(opened, start), UpdateStatus.SCHEDULED, text), *self._comments(Kind.MAINTENANCE)]
        return SourceIncident(
            source_id=f"#{self.number}",
            where=self.where,
            title=self.issue.text("title") or f"Maintenance #{self.number}",
            kind=Kind.MAINTENANCE,
            updates=tuple(updates),
            components=dict.fromkeys([s for s in slugs if s], ComponentStatus.UNDER_MAINTENANCE),
            scheduled=start,
            until=end,
        )
