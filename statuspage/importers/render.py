"""A source incident as a note in our format: front matter, then `## <time> · <status> (changes)` newest first.

Times are written in the site's zone with their offset, so a note reads the same wherever
it is opened and never depends on a zone rule. The first line of the front matter names
where the note came from; it is how the next import recognises it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ..core.model import ComponentStatus, Kind
from ..notes import layout
from .records import SourceIncident, SourceUpdate

#: `# imported from statuspage: 9tpgqq1h4bs7`: a YAML comment, so the note's fields are untouched.
MARKER = re.compile(r"#\s*imported from (?P<kind>[a-z0-9_-]+): (?P<id>.+?)\s*$")


def marker(kind: str, source_id: str) -> str:
    return f"# imported from {kind}: {' '.join(source_id.split())}"


def stamp(moment: datetime, zone: ZoneInfo) -> str:
    """ "2026-03-14 09:41 +01:00", with seconds when the source had them."""
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
    offset = local.strftime("%z")
    return f"{text} {offset[:3]}:{offset[3:]}"


def note_text(incident: SourceIncident, kind: str, ids: Mapping[str, str], zone: ZoneInfo) -> str:
    fields: dict[str, Any] = {"title": incident.title}
    if incident.kind is Kind.MAINTENANCE:
        assert incident.scheduled is not None and incident.until is not None
        fields.update(kind="maintenance", scheduled=stamp(incident.scheduled, zone), until=stamp(incident.until, zone))
    elif incident.impact is not None:
        fields["impact"] = incident.impact.value
    operational = ComponentStatus.OPERATIONAL.value
    components = {cid: s for cid, s in changes_of(incident.components, ids).items() if s != operational}
    if components:
        fields["components"] = components
    if incident.kind is Kind.INCIDENT:
        if incident.started is not None:
            fields["started"] = stamp(incident.started, zone)
        if incident.resolved is not None:
            fields["resolved"] = stamp(incident.resolved, zone)
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1_000_000)
    updates = sorted(reversed(incident.updates), key=lambda u: u.at, reverse=True)  # ties: the later listed on top
    blocks = [entry(update, ids, zone) for update in updates]
    return f"{layout.FENCE}\n{marker(kind, incident.source_id)}\n{front}{layout.FENCE}\n\n" + "\n".join(blocks)


def changes_of(changes: Mapping[str, ComponentStatus], ids: Mapping[str, str]) -> dict[str, str]:
    """Component changes by our ids (those the import could not map are left out; `plan` reports them)."""
    return {ids[key]: status.value for key, status in changes.items() if key in ids}


def heading(update: SourceUpdate, ids: Mapping[str, str], zone: ZoneInfo) -> str:
    changes = ", ".join(f"{cid}: {status}" for cid, status in changes_of(update.changes, ids).items())
    return layout.heading(stamp(update.at, zone), update.status.label, changes or None)


def entry(update: SourceUpdate, ids: Mapping[str, str], zone: ZoneInfo) -> str:
    """One update: its heading, its text, and the blank line that ends it."""
    body = layout.safe_body(update.body)
    return f"{heading(update, ids, zone)}\n{body}\n" if body else f"{heading(update, ids, zone)}\n"
