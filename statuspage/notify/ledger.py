"""`notify.json`: per channel, the events already delivered, those deliberately not, and the
moment it starts from.

Committed beside the config and read in diffs, so it is one key a line. It is replaced
atomically after every delivery, so a run killed halfway sends again at most the event that
was in flight. Unlike a cache it is never guessed at: an unreadable ledger (a merge conflict,
say) stops the run, since reading it as empty would announce the last hour again.

`since` only moves forward, and moves up to the window's start whenever events before it
are forgotten: so every event a channel was told of, at or after its `since`, is still
listed, and an event in that span that is not listed was never announced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import storage
from ..errors import Problem, ProblemsError, display_path
from .events import Event

VERSION = 1


class LedgerError(ProblemsError):
    """The ledger cannot be read; nothing was sent."""


@dataclass
class ChannelRecord:
    #: Nothing that happened before this is announced: the channel's first run minus --baseline.
    since: datetime
    #: Delivered event ids, each with the event's time (which says when it may be forgotten).
    sent: dict[str, datetime] = field(default_factory=dict)
    #: Events never to be announced (dated before `since`, a maintenance's start found after
    #: its end), recorded so that the log says so once.
    skipped: dict[str, datetime] = field(default_factory=dict)
    #: Events delivered in part (email's batches): the event's time and the parts delivered.
    parts: dict[str, tuple[datetime, set[str]]] = field(default_factory=dict)


@dataclass
class Ledger:
    path: Path
    channels: dict[str, ChannelRecord] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Ledger:
        """The ledger at `path`; empty when there is none yet."""
        storage.remove_orphans(path)
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path)
        except OSError as error:
            raise _error(path, None, f"cannot be read: {error.strerror}") from None
        except ValueError as error:
            line = getattr(error, "lineno", None)
            raise _error(path, line, f"is not valid JSON (a merge conflict?): {error}") from None
        return cls(path, _channels(path, data))

    def start(self, channel: str, default: datetime) -> tuple[datetime, bool]:
        """When the channel's announcements start, and whether it is new (then from `default` on)."""
        record = self.channels.get(channel)
        if record is not None:
            return record.since, False
        self.channels[channel] = ChannelRecord(default)
        return default, True

    def has(self, channel: str, event_id: str) -> bool:
        """Whether the event was announced to the channel, or deliberately not."""
        record = self.channels.get(channel)
        return record is not None and (event_id in record.sent or event_id in record.skipped)

    def latest(self, channel: str, prefix: str) -> tuple[datetime, str] | None:
        """The time and id of the newest event delivered to the channel whose id begins with `prefix`."""
        record = self.channels.get(channel)
        sent = record.sent.items() if record else ()
        return max(((at, eid) for eid, at in sent if eid.startswith(prefix)), default=None)

    def record(self, channel: str, event: Event) -> None:
        record = self.channels[channel]
        record.sent[event.id] = event.at
        record.parts.pop(event.id, None)

    def skip(self, channel: str, event: Event) -> None:
        self.channels[channel].skipped[event.id] = event.at

    def parts(self, channel: str, event_id: str) -> frozenset[str]:
        """The parts of the event's message already delivered to the channel."""
        return frozenset(self.channels[channel].parts.get(event_id, (None, ()))[1])

    def record_part(self, channel: str, event: Event, part: str) -> None:
        self.channels[channel].parts.setdefault(event.id, (event.at, set()))[1].add(part)

    def move_start(self, channel: str, to: datetime) -> None:
        """Nothing before `to` is announced to the channel any more."""
        record = self.channels[channel]
        record.since = max(record.since, to)

    def forget(self, before: datetime) -> None:
        """Drop events older than any run still announces: the ledger stays small forever. A channel
        that forgets one starts from `before`, so that what it lists stays all it was told since."""
        for cid, record in self.channels.items():
            kept = _after(record.sent, before), _after(record.skipped, before)
            parts = {eid: part for eid, part in record.parts.items() if part[0] >= before}
            if (len(kept[0]), len(kept[1]), len(parts)) != (len(record.sent), len(record.skipped), len(record.parts)):
                record.sent, record.skipped, record.parts = *kept, parts
                self.move_start(cid, before)

    def save(self) -> None:
        """Replace the file atomically; OSError if it cannot be written (the caller must stop sending)."""
        data = {"version": VERSION, "channels": {cid: _written(record) for cid, record in self.channels.items()}}
        storage.replace_json(self.path, data, readable=True)


def _after(events: dict[str, datetime], before: datetime) -> dict[str, datetime]:
    return {eid: at for eid, at in events.items() if at >= before}


def _written(record: ChannelRecord) -> dict[str, Any]:
    """A channel's record as the file has it: `skipped` and `parts` only when there are some."""
    data: dict[str, Any] = {"since": _time(record.since), "sent": _times(record.sent)}
    if record.skipped:
        data["skipped"] = _times(record.skipped)
    if record.parts:
        data["parts"] = {eid: {"at": _time(at), "done": sorted(done)} for eid, (at, done) in record.parts.items()}
    return data


def _times(events: dict[str, datetime]) -> dict[str, str]:
    return {eid: _time(at) for eid, at in events.items()}


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _channels(path: Path, data: Any) -> dict[str, ChannelRecord]:
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("channels"), dict):
        raise _error(path, None, f'is not a notify ledger (expected {{"version": {VERSION}, "channels": {{…}}}})')
    channels = {}
    for cid, record in data["channels"].items():
        try:
            since = datetime.fromisoformat(record["since"])
            sent = _read_times(record["sent"])
            skipped = _read_times(record.get("skipped", {}))
            parts = {
                str(eid): (datetime.fromisoformat(part["at"]), {str(done) for done in part["done"]})
                for eid, part in record.get("parts", {}).items()
            }
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _error(
                path, None, f"channels.{cid}: expected a since time and the sent events with their times"
            ) from None
        times = [since, *sent.values(), *skipped.values(), *(at for at, _ in parts.values())]
        if any(at.tzinfo is None for at in times):
            raise _error(path, None, f"channels.{cid}: times must have an offset")
        channels[str(cid)] = ChannelRecord(since, sent, skipped, parts)
    return channels


def _read_times(events: Any) -> dict[str, datetime]:
    return {str(eid): datetime.fromisoformat(at) for eid, at in events.items()}


def _error(path: Path, line: int | None, message: str) -> LedgerError:
    advice = "fix it, or delete it to start again from --baseline (which may announce the last hour again)"
    return LedgerError([Problem(display_path(path), line, f"{message}; {advice}")])
