"""What one channel is told in one run, and what it is not told, and why.

Pure: a function of the events found, the channel's ledger and the run's times. Of the events
a channel wants and was not told, each is due (in the run's window, from the channel's start
on), history (dated before the channel's start), stale (a maintenance's start found after its
window ended) or expired (never announced, and now older than the window: it never will be).
More than `CAP` announcements due at once is a backlog, for a person to decide about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .events import Event, IncidentEvent, stale
from .ledger import Ledger

#: The most announcements one run sends to one channel. More at once is nearly always a backlog
#: (imported notes, a renamed note, a lost ledger, notify not run for days), not news.
CAP = 10


@dataclass(frozen=True)
class Due:
    send: list[Event]  # oldest first
    history: list[Event]
    stale: list[Event]
    expired: list[Event]

    @property
    def backlog(self) -> bool:
        """More to announce than a run sends: component changes ride along with their updates, uncounted."""
        return sum(isinstance(event, IncidentEvent) for event in self.send) > CAP


def due(wanted: list[Event], ledger: Ledger, channel: str, window: datetime, now: datetime) -> Due:
    """`wanted`: the events the channel takes, oldest first; `window`: where this run's look back starts."""
    start = ledger.channels[channel].since
    new = [event for event in wanted if not ledger.has(channel, event.id)]
    fresh = [event for event in new if event.at >= max(start, window)]
    return Due(
        send=[event for event in fresh if not stale(event, now)],
        history=[event for event in new if window <= event.at < start],
        stale=[event for event in fresh if stale(event, now)],
        expired=[event for event in new if start <= event.at < window],
    )
