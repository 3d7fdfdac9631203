"""Post incidents and their updates: what `new`, `update` and `resolve` write.

Times are stamped for the person in the site's zone; what they typed is checked against
the config before their editor opens. `edit` inserts the update into the note's exact
bytes, and `save` parses the result back before it replaces anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ..core import clock
from ..core.addresses import slugify
from ..core.clock import show, write_time
from ..core.config import Config
from ..core.model import COMPONENT_STATUSES, STATUSES_BY_KIND, ComponentStatus, Impact, Incident, Kind, UpdateStatus
from ..core.status import Phase, state
from ..core.timeline import as_of
from ..core.words import distance, one_of
from ..errors import ChangedError, ContentError, EditError, Problem, StatusPageError, display_path
from ..fingerprint import digest
from ..notes import layout
from ..notes.discover import discover
from ..notes.front_matter import parse_front_matter
from ..notes.reader import check_component
from ..schema import CONTROL_CHARACTERS
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


def refuse_ahead(
    now: datetime,
    config: Config,
    *,
    confirmed: bool,
    clock: datetime | None = None,
    named: str = "--now",
    confirm: str = "pass --yes to post it ahead",
) -> None:
    """Refuse to stamp an update later than the real clock unless the person confirmed it: it
    would not appear until then, which is rarely what someone posting during an outage means.
    `named` and `confirm` say where the time came from and how to confirm (flags, or a form's)."""
    real = clock or datetime.now(UTC)
    if now > real + SKEW and not confirmed:
        raise EditError(
            f"{named} {show(now, config.timezone)} is {distance(now - real)} after the current time, so the "
            f"update would not appear on the site until then; {confirm}",
            field="now",
        )


def _ahead(at: datetime, clock: datetime | None = None) -> str:
    real = clock or datetime.now(UTC)
    if at <= real + SKEW:
        return ""
    return f"It is dated {distance(at - real)} ahead: it appears on the site then."


def moment(given: str | None, zone: ZoneInfo, named: str = "--now") -> datetime:
    """The time to stamp: `--now`, else SOURCE_DATE_EPOCH, else the clock (as `build` does)."""
    try:
        return clock.build_time(given, zone)
    except clock.TimeError as error:
        raise EditError(f"{named}: {error}", field="now") from None


# -- new --------------------------------------------------------------------------------


def create(config: Config, request: NewNote, message: str | None, ask: Ask, now: datetime) -> Posted:
    """Write a new note whose first update is stamped `now`; never overwrite one."""
    kind = Kind.MAINTENANCE if request.maintenance else Kind.INCIDENT
    title = request.title.strip()
    if not title:
        raise EditError("the title must not be empty", field="title")
    with _about("status"):
        chosen = _status(request.status, kind)
    status = chosen or (UpdateStatus.SCHEDULED if kind is Kind.MAINTENANCE else UpdateStatus.INVESTIGATING)
    fields: dict[str, Any] = {"title": title}
    if kind is Kind.MAINTENANCE:
        if not (request.start and request.end):
            raise EditError(
                "--maintenance needs --start and --end, like --start '2026-12-02 22:00' --end '2026-12-02 23:30'",
                field="end" if request.start else "start",
            )
        if request.impact:
            raise EditError("--impact is for incidents; maintenance has no impact", field="impact")
        start = _time("--start", request.start, config)
        end = _time("--end", request.end, config)
        if end <= start:
            raise EditError(
                f"--end {show(end, config.timezone)} is not after --start {show(start, config.timezone)}; "
                "the maintenance must end after it starts",
                field="end",
            )
        fields.update(
            kind=kind.value, scheduled=write_time(start, config.timezone), until=write_time(end, config.timezone)
        )
        day = start
    else:
        if request.start or request.end:
            raise EditError(
                "--start and --end are for --maintenance; an incident starts with its first update",
                field="start" if request.start else "end",
            )
        if request.impact:
            fields["impact"] = _impact(request.impact)
        day = now
    with _about("components"):
        components = _components(config, request.components, kind, in_update=False)
    if components:
        fields["components"] = {cid: status.value for cid, status in components.items()}
    if request.draft:
        fields["draft"] = True

    path = config.incidents_dir / f"{day.astimezone(config.timezone).date().isoformat()}-{title_slug(title, kind)}.md"
    with _about("title"):
        _refuse_taken(config, path)
        _refuse_control_characters(title)
    at = now.replace(second=0)
    text = _message(message, ask, f"New {kind.value}: {title}\nFirst update: {status.label}")
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1_000_000)
    entry = entry_text(layout.heading(write_time(at, config.timezone), status.label), text, "\n")
    config.incidents_dir.mkdir(parents=True, exist_ok=True)
    with _about("message", ContentError):  # the rest is checked above: what can make it invalid is the message
        saved = save(path, f"{layout.FENCE}\n{front}{layout.FENCE}\n\n{entry}".encode(), config, original=None)
    return Posted(saved.path, status, show(at, config.timezone), saved.warnings, _ahead(at), title)


def title_slug(title: str, kind: Kind) -> str:
    """A note's file name after its date: the title as a slug, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0]
    return slug or kind.value


def _refuse_taken(config: Config, path: Path) -> None:
    shown = display_path(path)
    if path.exists():
        raise EditError(
            f"{shown} already exists; post to it with `statuspage update {path.stem}`, or choose another title"
        )
    slug = slugify(path.stem)
    for note in discover(config.incidents_dir):
        if note.slug == slug:
            raise EditError(
                f"{display_path(note.path)} already has the address /incidents/{slug}/; choose another title"
            )


def _refuse_control_characters(title: str) -> None:
    control = CONTROL_CHARACTERS.search(title)
    if control:
        raise EditError(f"the title contains the control character U+{ord(control.group()):04X}; delete it")


def _time(flag: str, text: str, config: Config) -> datetime:
    try:
        return clock.parse_time(text, config.timezone)
    except clock.TimeError as error:
        raise EditError(f"{flag}: {error}", field=flag.removeprefix("--")) from None


def _impact(text: str) -> str:
    impact = Impact.parse(text)
    if impact is None:
        raise EditError(f"--impact {text}: unknown impact; {one_of(i.value for i in Impact)}", field="impact")
    return impact.value


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
    with _about("status"):
        chosen = _status(status, kind) or default_status(note.incident, now)
    with _about("components"):
        component_changes = _components(config, changes, kind, in_update=True)
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
        word = "completed" if incident.is_maintenance else "resolved"
        assert incident.end is not None
        raise EditError(
            f"{shown} is already {word} ({show(incident.end, zone)}); nothing was changed. "
            "`statuspage update` adds to it"
        )
    if incident.is_maintenance and phase is Phase.UPCOMING:
        raise EditError(
            f"{shown} starts at {show(incident.start, zone)}, so it cannot be completed yet; "
            "to call it off, post an update and change or delete the note"
        )
    front = parse_front_matter(note.layout.front_matter, note.layout.front_line)
    if "resolved" in front:
        raise EditError(
            f"{shown} sets 'resolved: {front['resolved']}' in its front matter, which decides when it ends; "
            "remove that line, then run this again"
        )

    def ended(result: Incident) -> None:
        posted = as_of(result, now)
        if posted is None or posted.end is None or posted.end > now:
            raise EditError(f"{shown} would still be open; check the times of its updates")

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
            raise EditError(f"{shown}: cannot find its 'draft: true' line to publish it; remove that line by hand")
        if len(result.updates) != len(incident.updates) + 1:
            raise EditError(
                "the message would change the note's other updates (a line starting with '## ' and a date starts "
                "an update, and an unclosed ``` swallows what follows); use ### for headings; nothing was changed",
                field="message",
            )
        if check is not None:
            check(result)

    with _about("message", ContentError):  # the rest is checked: what can make it invalid now is the message
        saved = save(note.path, data, config, original=note.data, check=one_more_update)
    return Posted(saved.path, status, show(at, zone), warnings + saved.warnings, _ahead(at), incident.title)


# -- shared checks ---------------------------------------------------------------------


def _read(path: Path, config: Config, seen: str | None) -> EditableNote:
    note = EditableNote.read(path, config)
    if seen is not None and digest(note.data) != seen:
        raise ChangedError(
            f"{display_path(path)} changed after this form was opened (someone else posted to it or edited it); "
            "nothing was changed. Check what it says now, then post again"
        )
    return note


@contextmanager
def _about(field: str, *kinds: type[StatusPageError]) -> Iterator[None]:
    """Say which input an error raised inside concerns (for a form to show it there), unless the raiser did."""
    caught = kinds or (EditError, ContentError)
    try:
        yield
    except caught as error:
        error.field = error.field or field
        raise


def _message(given: str | None, ask: Ask, about: str) -> str:
    text = ask(about) if given is None else given
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise EditError("the message is empty; nothing was changed", field="message")
    return text


def _status(text: str | None, kind: Kind) -> UpdateStatus | None:
    if text is None:
        return None
    status = UpdateStatus.parse(text)
    if status not in STATUSES_BY_KIND[kind]:
        valid = one_of(s.value for s in STATUSES_BY_KIND[kind])  # as --status takes them
        raise EditError(f"--status {text}: not a status for {kind.value}; {valid}")
    return status


def _components(config: Config, given: Sequence[str], kind: Kind, *, in_update: bool) -> dict[str, ComponentStatus]:
    """Parse `--component login=major_outage` (repeated, or comma-separated) against the config."""
    allowed = (*COMPONENT_STATUSES[kind], ComponentStatus.OPERATIONAL) if in_update else COMPONENT_STATUSES[kind]
    result: dict[str, ComponentStatus] = {}
    for item in (part.strip() for value in given for part in value.split(",")):
        if not item:
            continue
        cid, _, text = (piece.strip() for piece in item.replace(":", "=").partition("="))
        if not text:
            if kind is not Kind.MAINTENANCE or in_update:
                raise EditError(f"--component {item}: give the status too, like --component {cid}=major_outage")
            text = ComponentStatus.UNDER_MAINTENANCE.value
        problem, status = check_component(config, cid, text, allowed)
        if problem or status is None:
            raise EditError(f"--component {item}: {problem}")
        result[cid] = status
    return result
