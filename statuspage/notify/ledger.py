"""`notify.json`: per channel, the events already delivered and the moment it started from.

Committed beside the config and read in diffs, so it is one key a line. It is replaced
atomically after every delivery, so a run killed halfway sends again at most the event that
was in flight. Unlike a cache it is never guessed at: an unreadable ledger (a merge conflict,
say) stops the run, since reading it as empty would announce the last hour again.
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
        record = self.channels.get(channel)
        return record is not None and event_id in record.sent

    def record(self, channel: str, event: Event) -> None:
        self.channels[channel].sent[event.id] = event.at

    def forget(self, before: datetime) -> None:
        """Drop events older than any run still announces: the ledger stays small forever."""
        for record in self.channels.values():
            record.sent = {eid: at for eid, at in record.sent.items() if at >= before}

    def save(self) -> None:
        """Replace the file atomically; OSError if it cannot be written (the caller must stop sending)."""
        data = {
            "version": VERSION,
            "channels": {
                cid: {"since": _time(r.since), "sent": {eid: _time(at) for eid, at in r.sent.items()}}
                for cid, r in self.channels.items()
            },
        }
        storage.replace_json(self.path, data, readable=True)


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _channels(path: Path, data: Any) -> dict[str, ChannelRecord]:
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("channels"), dict):
        raise _error(path, None, f'is not a notify ledger (expected {{"version": {VERSION}, "channels": {{…}}}})')
    channels = {}
    for cid, record in data["channels"].items():
        try:
            since = datetime.fromisoformat(record["since"])
            sent = {str(eid): datetime.fromisoformat(at) for eid, at in record["sent"].items()}
        except (TypeError, KeyError, ValueError, AttributeError):
            raise _error(
                path, None, f"channels.{cid}: expected a since time and the sent events with their times"
            ) from None
        if since.tzinfo is None or any(at.tzinfo is None for at in sent.values()):
            raise _error(path, None, f"channels.{cid}: times must have an offset")
        channels[str(cid)] = ChannelRecord(since, sent)
    return channels


def _error(path: Path, line: int | None, message: str) -> LedgerError:
    advice = "fix it, or delete it to start again from --baseline (which may announce the last hour again)"
    return LedgerError([Problem(display_path(path), line, f"{message}; {advice}")])
