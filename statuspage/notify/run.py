"""`statuspage notify`: send every channel the events it has not had yet, exactly once.

The site is read with the same pipeline as `build`, so a run announces what the site shows.
Then, under the ledger's lock (two runs at once never send an event twice), each channel gets
its new events oldest first, each recorded the moment it is delivered. A channel whose
service fails keeps its later events for the next run, so they arrive in order; the other
channels still go out.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .. import storage
from ..core.clock import show
from ..core.config import LEDGER_NAME, Channel
from ..core.site import Site
from ..errors import StatusPageError, display_path
from ..inputs import gather
from ..net import Client
from . import events
from .channels import TYPES
from .channels.base import DeliveryError, Endpoint, Message
from .endpoints import resolve
from .events import Event
from .ledger import Ledger
from .notice import Context

log = logging.getLogger(__name__)

#: What a first run, or a channel new to the ledger, announces: what happened this long before now.
BASELINE = timedelta(hours=1)
#: Events older than this are history: never announced, and forgotten by the ledger.
RETENTION = timedelta(days=7)
#: Seconds a run waits for another run of the same site to finish before it gives up.
LOCK_WAIT = 300.0
LOCK_NAME = "notify.lock"


class LockedError(StatusPageError):
    """Another run holds the ledger; nothing was sent."""


@dataclass(frozen=True)
class Preview:
    channel: Channel
    messages: list[Message]


@dataclass
class Report:
    sent: int = 0
    failed: int = 0  # tried, and not delivered
    waiting: int = 0  # not tried: their channel's service was failing
    marked: int = 0  # recorded as announced without being sent (--mark-sent)
    previews: list[Preview] = field(default_factory=list)  # with --dry-run

    @property
    def ok(self) -> bool:
        return not self.failed and not self.waiting

    def shown(self) -> str:
        """What --dry-run prints: per channel, each message as it would be sent."""
        lines = []
        for preview in self.previews:
            count = len(preview.messages)
            lines.append(f"== {preview.channel.id} ({preview.channel.type}): {count or 'no'} new message{_s(count)}")
            lines += [f"-- {m.title} [{m.event_id}]\n{m.shown}\n" for m in preview.messages]
        return "\n".join(lines)

    def summary(self, sent_nothing: bool = False) -> str:
        if sent_nothing:
            return "Nothing was sent."
        if not self.ok:
            return (
                f"Sent {self.sent} message{_s(self.sent)}; {self.failed} not delivered and {self.waiting} held back, "
                "for the next run to try again."
            )
        return f"Sent {self.sent} message{_s(self.sent)}." if self.sent else "Nothing new to announce."


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
    inputs = gather(config_path, now)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    site = inputs.site()
    config = site.config
    if not config.notify:
        log.info("%s has no [[notify]] channels: nothing to announce.", display_path(config_path))
        return Report()
    path = ledger_path or config.root / LEDGER_NAME
    # A baseline reaching further back than the retention widens the window for this run.
    since = site.now - max(RETENTION, baseline)
    round_ = _Round(site, since, events.find(site, since), baseline)
    if dry_run:
        return round_.preview(Ledger.read(path))
    endpoints = {} if mark_sent else resolve(config, config_path, os.environ if environ is None else environ)
    lock = config.cache_dir / LOCK_NAME
    try:
        with storage.locked(lock, wait=wait):
            ledger = Ledger.read(path)  # under the lock: what the last run left
            return round_.mark(ledger) if mark_sent else round_.send(ledger, endpoints, client or Client())
    except storage.Locked:
        raise LockedError(
            f"another `statuspage notify` of this site held {display_path(lock)} for {wait:.0f} s; "
            "nothing was sent (run again once it is done)"
        ) from None


class _Round:
    """One run's events, and what each channel gets of them."""

    def __init__(self, site: Site, since: datetime, found: list[Event], baseline: timedelta):
        self.site, self.since, self.found, self.baseline = site, since, found, baseline
        self.context = Context(site)

    def due(self, channel: Channel, ledger: Ledger) -> list[Event]:
        """The channel's events not yet delivered, oldest first; a new channel starts from the baseline."""
        kind = TYPES[channel.type]
        wanted = [e for e in self.found if e.kind in kind.WANTS and _concerns(channel, e)]
        start, new = ledger.start(channel.id, self.site.now - self.baseline)
        if new:
            older = sum(e.at < start for e in wanted)
            history = f"; {older} earlier event{'' if older == 1 else 's'} left as history" if older else ""
            since = show(start, self.site.config.timezone)
            log.info("%s: new channel: announcing what happened since %s%s", channel.id, since, history)
        return [e for e in wanted if e.at >= start and not ledger.has(channel.id, e.id)]

    def render(self, channel: Channel, event: Event) -> Message:
        return TYPES[channel.type].render(self.context.notice(event), channel, self.context)

    def preview(self, ledger: Ledger) -> Report:
        report = Report()
        for channel in self.site.config.notify:
            messages = [self.render(channel, event) for event in self.due(channel, ledger)]
            report.previews.append(Preview(channel, messages))
        return report

    def send(self, ledger: Ledger, endpoints: dict[str, Endpoint], client: Client) -> Report:
        report = Report()
        for channel in self.site.config.notify:
            self._send(channel, self.due(channel, ledger), ledger, endpoints[channel.id], client, report)
        ledger.forget(self.since)  # events before it are never found again
        _save(ledger)  # new channels' starting points, too
        return report

    def _send(
        self, channel: Channel, due: list[Event], ledger: Ledger, endpoint: Endpoint, client: Client, report: Report
    ) -> None:
        """Oldest first. After a failure that may pass, the channel's later events wait, to arrive in order;
        a message the service refuses as it is does not hold back the others."""
        for n, event in enumerate(due):
            message = self.render(channel, event)
            try:
                TYPES[channel.type].deliver(message, endpoint, client)
            except DeliveryError as error:
                report.failed += 1
                log.error(
                    "%s: not delivered: %s [%s]: %s; the next run tries again",
                    channel.id,
                    message.title,
                    event.id,
                    error,
                )
                if error.permanent:
                    continue
                later = len(due) - n - 1
                if later:
                    report.waiting += later
                    log.error("%s: %d later event%s wait for the next run", channel.id, later, _s(later))
                return
            ledger.record(channel.id, event)
            _save(ledger)  # at once: a run killed now sends this one again, and nothing else
            report.sent += 1
            log.info("%s: sent %s", channel.id, message.title)

    def mark(self, ledger: Ledger) -> Report:
        """Record every new event as announced without sending it (after importing old notes, say)."""
        report = Report()
        for channel in self.site.config.notify:
            due = self.due(channel, ledger)
            for event in due:
                ledger.record(channel.id, event)
            report.marked += len(due)
            log.info("%s: %d event%s recorded as announced, not sent", channel.id, len(due), _s(len(due)))
        ledger.forget(self.since)
        _save(ledger)
        return report


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _concerns(channel: Channel, event: Event) -> bool:
    """Whether the channel's `components` (none: all) include one the event is about."""
    return not channel.components or any(cid in channel.components for cid in event.component_ids)


def _save(ledger: Ledger) -> None:
    try:
        ledger.save()
    except OSError as error:
        raise StatusPageError(
            f"cannot write {display_path(ledger.path)}: {error.strerror}; stopped, so that nothing is sent twice"
        ) from None
