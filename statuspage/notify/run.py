"""`statuspage notify`: send every channel the events it has not had yet, exactly once.

The site is read with the same pipeline as `build`, so a run announces what the site shows.
Then, under the ledger's lock (two runs at once never send an event twice), each channel gets
its new events oldest first, each recorded the moment it is delivered. A channel whose
service fails keeps its later events for the next run, so they arrive in order; the other
channels still go out. What a channel is not told is said in the log, once (`due`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from .. import storage
from ..core.clock import YEARS, show
from ..core.config import LEDGER_NAME, Channel
from ..core.model import Component, ComponentStatus
from ..core.site import Site
from ..core.words import distance
from ..errors import StatusPageError, display_path
from ..inputs import gather
from ..net import Client
from . import events
from .channels import TYPES
from .channels.base import DeliveryError, Endpoint, Failure, Message, Parts
from .due import CAP, Due, due
from .endpoints import resolve
from .events import Event
from .ledger import Ledger
from .notice import Context

log = logging.getLogger(__name__)

#: What a first run, or a channel new to the ledger, announces: what happened this long before now.
BASELINE = timedelta(hours=1)
#: Events older than this are history: never announced, and forgotten by the ledger.
RETENTION = timedelta(days=7)
#: Nothing of a status page is older: a longer --baseline means "everything".
EARLIEST = datetime(YEARS[0], 1, 1, tzinfo=UTC)
#: A clock set by SOURCE_DATE_EPOCH this far from the machine's is worth a warning.
CLOCK_DRIFT = timedelta(minutes=15)
#: Seconds a run waits for another run of the same site to finish before it gives up.
LOCK_WAIT = 300.0
LOCK_NAME = "notify.lock"


class LockedError(StatusPageError):
    """Another run holds the ledger; nothing was sent."""


@dataclass(frozen=True)
class Preview:
    channel: Channel
    messages: list[Message]
    backlog: bool = False


@dataclass
class Report:
    sent: int = 0
    failed: int = 0  # tried, and not delivered
    waiting: int = 0  # not tried: their channel's service was failing
    backlog: int = 0  # not tried: more were due than a run sends (CAP)
    marked: int = 0  # recorded as announced without being sent (--mark-sent)
    previews: list[Preview] = field(default_factory=list)  # with --dry-run

    @property
    def ok(self) -> bool:
        return not self.failed and not self.waiting and not self.backlog

    def shown(self) -> str:
        """What --dry-run prints: per channel, each message as it would be sent."""
        lines = []
        for preview in self.previews:
            count = len(preview.messages)
            held = f": more than {CAP}, so a run would send none (a backlog)" if preview.backlog else ""
            lines.append(
                f"== {preview.channel.id} ({preview.channel.type}): {count or 'no'} new message{_s(count)}{held}"
            )
            lines += [f"-- {m.title} [{m.event_id}]\n{m.shown}\n" for m in preview.messages]
        return "\n".join(lines)

    def summary(self, sent_nothing: bool = False) -> str:
        if sent_nothing:
            return "Nothing was sent."
        if self.ok and not self.sent:
            return "Nothing new to announce."
        text = f"Sent {self.sent} message{_s(self.sent)}"
        if self.failed or self.waiting:
            text += f"; {self.failed} not delivered and {self.waiting} held back, for the next run to try again"
        if self.backlog:
            text += f"; {self.backlog} held back as a backlog (see above)"
        return text + "."


def notify(
    config_path: Path,
    *,
    now: str | None = None,
    baseline: timedelta = BASELINE,
    dry_run: bool = False,
    mark_sent: bool = False,
    ledger_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    client: Client | None = None,
    wait: float = LOCK_WAIT,
) -> Report:
    """Announce what is new. With `dry_run`, only say what would be sent; with `mark_sent`, record it as
    announced without sending it. Neither needs a secret."""
    environ = os.environ if environ is None else environ
    inputs = gather(config_path, now)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    site = inputs.site()
    config = site.config
    if not config.notify:
        log.info("%s has no [[notify]] channels: nothing to announce.", display_path(config_path))
        return Report()
    if now is None and environ.get("SOURCE_DATE_EPOCH", "").strip():
        _check_clock(site)
    path = ledger_path or config.root / LEDGER_NAME
    baseline = min(baseline, site.now - EARLIEST)
    # A baseline reaching further back than the retention widens the window for this run.
    window = site.now - max(RETENTION, baseline)
    if dry_run:
        return _Round(site, window, baseline, Ledger.read(path)).preview()
    endpoints = {} if mark_sent else resolve(config, config_path, environ)
    lock = config.cache_dir / LOCK_NAME
    try:
        with storage.locked(lock, wait=wait):
            round_ = _Round(site, window, baseline, Ledger.read(path))  # under the lock: what the last run left
            return round_.mark() if mark_sent else round_.send(endpoints, client or Client())
    except storage.Locked:
        raise LockedError(
            f"another `statuspage notify` of this site held {display_path(lock)} for {wait:.0f} s; "
            "nothing was sent (run again once it is done)"
        ) from None


def _check_clock(site: Site) -> None:
    """SOURCE_DATE_EPOCH (there for reproducible builds) also sets notify's time: say so when it is far off."""
    off = site.now - datetime.now(UTC)
    if abs(off) > CLOCK_DRIFT:
        log.warning(
            "SOURCE_DATE_EPOCH sets the time to %s, %s %s this machine's clock: notify announces what the site "
            "shows then, and maintenance starts and ends by that time; unset it for notify, or pass --now",
            show(site.now, site.config.timezone),
            distance(off),
            "before" if off < timedelta(0) else "after",
        )


class _Round:
    """One run's events, and what each channel gets of them."""

    def __init__(self, site: Site, window: datetime, baseline: timedelta, ledger: Ledger):
        self.site, self.window, self.baseline, self.ledger = site, window, baseline, ledger
        # From the earliest start of a channel too: what expired unannounced is said once.
        self.found = events.find(site, min([window, *(r.since for r in ledger.channels.values())]))
        self.context = Context(site)

    def due(self, channel: Channel) -> Due:
        """The channel's events not yet delivered, oldest first; what it is not told is logged."""
        kind = TYPES[channel.type]
        wanted = [e for e in self.found if e.kind in kind.WANTS and _concerns(channel, e)]
        start, new = self.ledger.start(channel.id, self.site.now - self.baseline)
        found = due(wanted, self.ledger, channel.id, self.window, self.site.now, self.shown(channel))
        zone = self.site.config.timezone
        if new:
            older = len(found.history)
            history = f"; {older} earlier event{_s(older)} left as history" if older else ""
            log.info("%s: new channel: announcing what happened since %s%s", channel.id, show(start, zone), history)
        elif found.history:
            log.info(
                "%s: not announcing %s dated before the channel's start (%s): %s",
                channel.id,
                _events(len(found.history)),
                show(start, zone),
                _ids(found.history),
            )
        for event in found.stale:
            log.info(
                "%s: not announcing the start of %s [%s]: its window ended before this run",
                channel.id,
                event.incident.title if isinstance(event, events.IncidentEvent) else event.id,
                event.id,
            )
        if found.superseded:
            log.info(
                "%s: not announcing %s older than a change of the same component it was told of, which they "
                "would undo (a note posted or re-dated after it): %s",
                channel.id,
                _events(len(found.superseded), "component "),
                _ids(found.superseded),
            )
        if found.expired:
            log.warning(
                "%s: %s from %s to %s never announced, and now older than the %d days a run looks back, "
                "so they never will be (was notify not run, or the channel failing, all that time?): %s",
                channel.id,
                _events(len(found.expired)),
                show(found.expired[0].at, zone),
                show(found.expired[-1].at, zone),
                RETENTION.days,
                _ids(found.expired),
            )
        return found

    def shown(self, channel: Channel) -> dict[str, tuple[Component, ComponentStatus]]:
        """Each component whose changes the channel hears, with the status the page shows now."""
        if events.Kind.COMPONENT not in TYPES[channel.type].WANTS:
            return {}
        states = self.site.summary.components
        return {c.id: (c, states[c.id].status) for c in self.site.config.components if _takes(channel, c.id)}

    def settle(self, channel: Channel, found: Due) -> None:
        """Record what the channel is never told, so that the log says it once."""
        for event in found.history + found.stale + found.superseded:
            self.ledger.skip(channel.id, event)
        if found.expired:
            self.ledger.move_start(channel.id, self.window)

    def render(self, channel: Channel, event: Event) -> Message:
        return TYPES[channel.type].render(self.context.notice(event), channel, self.context)

    def preview(self) -> Report:
        report = Report()
        for channel in self.site.config.notify:
            found = self.due(channel)
            report.previews.append(Preview(channel, [self.render(channel, e) for e in found.send], found.backlog))
        return report

    def send(self, endpoints: dict[str, Endpoint], client: Client) -> Report:
        report = Report()
        for channel in self.site.config.notify:
            found = self.due(channel)
            self.settle(channel, found)
            if found.backlog:
                report.backlog += len(found.send)
                _refuse_backlog(channel, found.send)
                continue
            self._send(channel, found.send, endpoints[channel.id], client, report)
        self.ledger.forget(self.window)  # events before it are never found again
        _save(self.ledger)  # new channels' starting points and what was skipped, too
        return report

    def _send(self, channel: Channel, due: list[Event], endpoint: Endpoint, client: Client, report: Report) -> None:
        """Oldest first. After a failure that may pass, the channel's later events wait, to arrive in order;
        a message the service refuses as it is does not hold back the others; a channel it refuses stops."""
        for n, event in enumerate(due):
            message = self.render(channel, event)
            parts = Parts(self.ledger.parts(channel.id, event.id), partial(self._record_part, channel, event))
            try:
                TYPES[channel.type].deliver(message, endpoint, client, parts)
            except DeliveryError as error:
                report.failed += 1
                waiting = len(due) - n - 1
                if error.failure is Failure.MESSAGE:
                    log.error("%s: not delivered: %s [%s]: %s", channel.id, message.title, event.id, error)
                    continue
                if error.failure is Failure.CHANNEL:
                    log.error(
                        "%s: the service refuses this channel: %s; check %s (revoked, deleted, or wrong?). "
                        "Nothing more is sent to it this run; its %s wait",
                        channel.id,
                        error,
                        channel.url_env,
                        _events(waiting + 1),
                    )
                else:
                    said = "not confirmed" if error.unsure else "not delivered"
                    again = "" if error.unsure else "; the next run tries again"
                    log.error("%s: %s: %s [%s]: %s%s", channel.id, said, message.title, event.id, error, again)
                    if waiting:
                        log.error("%s: %s wait for the next run", channel.id, _events(waiting, "later "))
                report.waiting += waiting
                return
            self.ledger.record(channel.id, event)
            _save(self.ledger)  # at once: a run killed now sends this one again, and nothing else
            report.sent += 1
            log.info("%s: sent %s", channel.id, message.title)

    def _record_part(self, channel: Channel, event: Event, part: str) -> None:
        self.ledger.record_part(channel.id, event, part)
        _save(self.ledger)

    def mark(self) -> Report:
        """Record every new event as announced without sending it (after importing old notes, say)."""
        report = Report()
        for channel in self.site.config.notify:
            found = self.due(channel)
            self.settle(channel, found)
            for event in found.send:
                self.ledger.record(channel.id, event)
            report.marked += len(found.send)
            log.info("%s: %s recorded as announced, not sent", channel.id, _events(len(found.send)))
        self.ledger.forget(self.window)
        _save(self.ledger)
        return report


def _refuse_backlog(channel: Channel, due: list[Event]) -> None:
    log.error(
        "%s: %s due, more than the %d a run sends to one channel: a backlog (imported notes, a renamed "
        "note, a lost ledger, notify not run for a while?), so none was sent. See them with "
        "`statuspage notify --dry-run`; record them as announced with `statuspage notify --mark-sent` "
        "(add --now TIME to record only those up to TIME), and the next run sends only what comes after",
        channel.id,
        _events(len(due)),
        CAP,
    )


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _events(count: int, kind: str = "") -> str:
    return f"{count} {kind}event{_s(count)}"


def _ids(found: list[Event], most: int = 5) -> str:
    shown = ", ".join(event.id for event in found[:most])
    return shown + (f" and {len(found) - most} more" if len(found) > most else "")


def _concerns(channel: Channel, event: Event) -> bool:
    """Whether the channel's `components` (none: all) include one the event is about."""
    return not channel.components or any(cid in channel.components for cid in event.component_ids)


def _takes(channel: Channel, component_id: str) -> bool:
    """Whether the channel's `components` (none: all) include the component."""
    return not channel.components or component_id in channel.components


def _save(ledger: Ledger) -> None:
    try:
        ledger.save()
    except OSError as error:
        raise StatusPageError(
            f"cannot write {display_path(ledger.path)}: {error.strerror}; stopped, so that nothing is sent twice"
        ) from None
