"""Post incidents and their updates: what `new`, `update` and `resolve` write.

Times are stamped for the person in the site's zone; what they typed is checked against
the config (`typed`) before their editor opens. `insert` puts the update into the note's
exact bytes, and `save` parses the result back before it replaces anything. Refusals are
templates naming the inputs, so the command line and the console each word them (errors.NAMES).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ..core.addresses import slugify
from ..core.clock import show, write_time
from ..core.config import Config
from ..core.model import ComponentStatus, Incident, Kind, UpdateStatus
from ..core.status import Phase, state
from ..core.timeline import as_of
from ..core.words import N_, distance
from ..errors import ChangedError, ContentError, EditError, Problem, display_path
from ..fingerprint import digest
from ..notes import layout
from ..notes.discover import discover
from ..notes.front_matter import parse_front_matter
from . import typed
from .insert import EditableNote, entry_text, without_draft
from .save import save

#: Asks the person for a message (their editor), given a few lines about what is being posted.
Ask = Callable[[str], str]

#: Long titles make unwieldy file names and addresses; the slug is cut at a word boundary.
MAX_SLUG = 60


@dataclass(frozen=True)
class NewNote:
    """What `statuspage new` was asked for, as typed."""

    title: str
    components: Sequence[str] = ()  # "login=major_outage"; for maintenance a bare id means under maintenance
    impact: str | None = None
    status: str | None = None
    maintenance: bool = False
    start: str | None = None
    end: str | None = None
    #: Written with `draft: true`: never shown until a person publishes it (monitoring's notes).
    draft: bool = False


@dataclass(frozen=True)
class Posted:
    path: Path
    status: UpdateStatus
    when: str  # the stamped time as the site shows it, "2026-03-14 09:05 CET"
    warnings: list[Problem]
    ahead: str = ""  # "It is dated 3 days ahead: it appears on the site then." when it is
    title: str = ""  # the incident's, for whoever reports or commits the post


#: Clocks disagree by seconds; a posting time up to this far ahead is "now".
SKEW = timedelta(minutes=1)
#: An ended note, by kind: it cannot be ended again.
_ENDED = {
    Kind.INCIDENT: N_("%(path)s is already resolved (%(time)s); nothing was changed. Add to it with %(update)s"),
    Kind.MAINTENANCE: N_("%(path)s is already completed (%(time)s); nothing was changed. Add to it with %(update)s"),
}


def refuse_ahead(now: datetime, config: Config, *, confirmed: bool, clock: datetime | None = None) -> None:
    """Refuse to stamp an update later than the real clock unless the person confirmed it: it
    would not appear until then, which is rarely what someone posting during an outage means."""
    real = clock or datetime.now(UTC)
    if now > real + SKEW and not confirmed:
        raise EditError(
            N_(
                "%(now)s %(time)s is %(distance)s after the current time, so the update would not appear on the "
                "site until then; %(confirm)s"
            ),
            field="now",
            values={"time": show(now, config.timezone), "distance": distance(now - real)},
        )


def _ahead(at: datetime, clock: datetime | None = None) -> str:
    real = clock or datetime.now(UTC)
    if at <= real + SKEW:
        return ""
    return f"It is dated {distance(at - real)} ahead: it appears on the site then."


def moment(given: str | None, zone: ZoneInfo) -> datetime:
    """The time to stamp: the one given (`--now`, a form's Time), else SOURCE_DATE_EPOCH, else the clock."""
    return typed.time("now", given, zone)


# -- new --------------------------------------------------------------------------------


def create(config: Config, request: NewNote, message: str | None, ask: Ask, now: datetime) -> Posted:
    """Write a new note whose first update is stamped `now`; never overwrite one."""
    kind = Kind.MAINTENANCE if request.maintenance else Kind.INCIDENT
    title = typed.title(request.title)
    chosen = typed.status(request.status, kind)
    status = chosen or (UpdateStatus.SCHEDULED if kind is Kind.MAINTENANCE else UpdateStatus.INVESTIGATING)
    fields: dict[str, Any] = {"title": title}
    if kind is Kind.MAINTENANCE:
        day = _schedule(config, request, fields)
    else:
        if request.start or request.end:
            raise EditError(
                N_("%(start)s and %(end)s are for maintenance; an incident starts with its first update"),
                field="start" if request.start else "end",
                values={},
            )
        if request.impact:
            fields["impact"] = typed.impact(request.impact)
        day = now
    components = typed.components(config, request.components, kind, in_update=False)
    if components:
        fields["components"] = {cid: status.value for cid, status in components.items()}
    if request.draft:
        fields["draft"] = True

    path = config.incidents_dir / f"{day.astimezone(config.timezone).date().isoformat()}-{title_slug(title, kind)}.md"
    with typed.about("title"):
        _refuse_taken(config, path)
    at = now.replace(second=0)
    text = _message(message, ask, f"New {kind.value}: {title}\nFirst update: {status.label}")
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1_000_000)
    entry = entry_text(layout.heading(write_time(at, config.timezone), status.label), text, "\n")
    with typed.about("message", ContentError):  # the rest is checked above: what can make it invalid is the message
        saved = save(path, f"{layout.FENCE}\n{front}{layout.FENCE}\n\n{entry}".encode(), config, original=None)
    return Posted(saved.path, status, show(at, config.timezone), saved.warnings, _ahead(at), title)


def _schedule(config: Config, request: NewNote, fields: dict[str, Any]) -> datetime:
    """Put when a maintenance is scheduled, and until when, into its front matter; return its start."""
    if not (request.start and request.end):
        raise EditError(
            N_("a maintenance needs a time for %(start)s and for %(end)s, like 2026-12-02 22:00 and 2026-12-02 23:30"),
            field="end" if request.start else "start",
            values={},
        )
    if request.impact:
        raise EditError(N_("%(impact)s is for incidents; maintenance has no impact"), field="impact", values={})
    zone = config.timezone
    start, end = typed.time("start", request.start, zone), typed.time("end", request.end, zone)
    if end <= start:
        raise EditError(
            N_("%(end)s %(end_time)s is not after %(start)s %(start_time)s; the maintenance must end after it starts"),
            field="end",
            values={"end_time": show(end, zone), "start_time": show(start, zone)},
        )
    fields.update(kind=Kind.MAINTENANCE.value, scheduled=write_time(start, zone), until=write_time(end, zone))
    return start


def title_slug(title: str, kind: Kind) -> str:
    """A note's file name after its date: the title as a slug, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0]
    return slug or kind.value


def _refuse_taken(config: Config, path: Path) -> None:
    if path.exists():
        raise EditError(
            N_("%(path)s already exists; post to it with %(update)s, or choose another title"),
            values={"path": display_path(path), "slug": path.stem},
        )
    slug = slugify(path.stem)
    for note in discover(config.incidents_dir):
        if note.slug == slug:
            raise EditError(
                N_("%(path)s already has the address /incidents/%(slug)s/; choose another title"),
                values={"path": display_path(note.path), "slug": slug},
            )


# -- update and resolve -----------------------------------------------------------------


def update(
    config: Config,
    path: Path,
    *,
    status: str | None,
    changes: Sequence[str],
    message: str | None,
    ask: Ask,
    now: datetime,
    seen: str | None = None,
) -> Posted:
    """Add an update; without a status it keeps the note's current one (or "Update" once it has ended).

    `seen`: the digest of the note as the person last saw it (a form's); if it changed since, nothing is written.
    """
    note = _read(path, config, seen)
    kind = note.incident.kind
    chosen = typed.status(status, kind) or default_status(note.incident, now)
    component_changes = typed.components(config, changes, kind, in_update=True)
    return _post(config, note, chosen, component_changes, message, ask, now)


def default_status(incident: Incident, now: datetime) -> UpdateStatus:
    """An update's status when none is given: the current one as readers see it, or "Update" once it ended."""
    current = state(as_of(incident, now) or incident, now).status
    return current if current.is_open else UpdateStatus.UPDATE


def resolve(
    config: Config,
    path: Path,
    *,
    message: str | None,
    ask: Ask,
    now: datetime,
    keep_draft: bool = False,
    seen: str | None = None,
) -> Posted:
    """Add the Resolved (for maintenance: Completed) update, which ends the impact at its time.

    The front matter is left alone: the loader ends an incident at its Resolved update, and a
    later Investigating update can still re-open it, which a written `resolved:` would prevent.
    A person resolving a draft publishes it; monitoring resolving its own draft (`keep_draft`) does not.
    """
    note = _read(path, config, seen)
    incident, shown, zone = note.incident, display_path(path), config.timezone
    phase = state(as_of(incident, now) or incident, now).phase
    if phase is Phase.ENDED:
        assert incident.end is not None
        raise EditError(
            _ENDED[incident.kind], values={"path": shown, "time": show(incident.end, zone), "slug": path.stem}
        )
    if incident.is_maintenance and phase is Phase.UPCOMING:
        raise EditError(
            N_(
                "%(path)s starts at %(time)s, so it cannot be completed yet; to call it off, post an update and "
                "change or delete the note"
            ),
            values={"path": shown, "time": show(incident.start, zone)},
        )
    front = parse_front_matter(note.layout.front_matter, note.layout.front_line).fields
    if "resolved" in front:
        raise EditError(
            N_(
                "%(path)s sets 'resolved: %(value)s' in its front matter, which decides when it ends; remove that "
                "line, then try again"
            ),
            values={"path": shown, "value": str(front["resolved"])},
        )

    def ended(result: Incident) -> None:
        posted = as_of(result, now)
        if posted is None or posted.end is None or posted.end > now:
            raise EditError(N_("%(path)s would still be open; check the times of its updates"), values={"path": shown})

    final = UpdateStatus.COMPLETED if incident.is_maintenance else UpdateStatus.RESOLVED
    return _post(config, note, final, {}, message, ask, now, check=ended, publish=not keep_draft)


def _post(
    config: Config,
    note: EditableNote,
    status: UpdateStatus,
    changes: dict[str, ComponentStatus],
    message: str | None,
    ask: Ask,
    now: datetime,
    check: Callable[[Incident], None] | None = None,
    publish: bool = True,
) -> Posted:
    """Insert one update; a person posting to a draft publishes it (its `draft: true` line goes)."""
    incident, shown, zone = note.incident, display_path(note.path), config.timezone
    latest = max(u.at for u in incident.updates)
    at = now.replace(second=0)
    stamp = write_time(at, zone)
    if at <= latest:  # two updates in one minute: the seconds keep them in order
        at, stamp = now, write_time(now, zone, seconds=True)
    warnings = []  # in the same second, the note's order keeps them apart; earlier is a clock to check
    if at < latest:
        dated = f"the latest update is dated {show(latest, zone)}, not before now; check the times"
        warnings.append(Problem(shown, None, dated, warning=True))
    summary = ", ".join(f"{cid}: {s.value}" for cid, s in changes.items())
    about = (
        f"{incident.title} ({shown})\nThis update: {status.label}{f' ({summary})' if summary else ''}\n"
        f"Latest update: {incident.latest.status.label}, {show(incident.latest.at, zone)}"
        + "".join(f"\nWarning: {w.message}" for w in warnings)
    )
    text = _message(message, ask, about)
    data = note.with_update(layout.heading(stamp, status.label, summary or None), text, zone)
    if publish and incident.draft:
        data = without_draft(data)

    def one_more_update(result: Incident) -> None:
        if result.draft and publish:
            raise EditError(
                N_("%(path)s: cannot find its 'draft: true' line to publish it; remove that line by hand"),
                values={"path": shown},
            )
        if len(result.updates) != len(incident.updates) + 1:
            raise EditError(
                N_(
                    "the message would change the note's other updates (a line starting with '## ' and a date starts "
                    "an update, and an unclosed ``` swallows what follows); use ### for headings; nothing was changed"
                ),
                field="message",
                values={},
            )
        if check is not None:
            check(result)

    with typed.about("message", ContentError):  # the rest is checked: what can make it invalid now is the message
        saved = save(note.path, data, config, original=note.data, check=one_more_update)
    return Posted(saved.path, status, show(at, zone), warnings + saved.warnings, _ahead(at), incident.title)


def _read(path: Path, config: Config, seen: str | None) -> EditableNote:
    note = EditableNote.read(path, config)
    if seen is not None and digest(note.data) != seen:
        raise ChangedError(
            N_(
                "%(path)s changed after this form was opened (someone else posted to it or edited it); nothing was "
                "changed. Check what it says now, then post again"
            ),
            values={"path": display_path(path)},
        )
    return note


def _message(given: str | None, ask: Ask, about: str) -> str:
    return typed.message(ask(about) if given is None else given)
