"""What every importer turns its source into: neutral records, and what could not be mapped exactly.

An importer only reads. It names components the way its source does (`key`: an id, a name or
a slug), gives every time as an aware datetime, and lists each thing it had to drop or
decide (an unknown status word, a missing time, HTML it could not keep) as a `Finding`
with the file or id it came from. `plan` and `write` turn the records into notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..core.model import ComponentStatus, Impact, Kind, UpdateStatus
from ..errors import StatusPageError
from ..net import Client


@dataclass(frozen=True)
class Finding:
    """One thing that could not be mapped exactly; `where` is the source file or id."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class SourceComponent:
    key: str  # how the source's incidents refer to it
    name: str
    group: str | None = None
    description: str = ""
    since: date | None = None


@dataclass(frozen=True)
class SourceUpdate:
    at: datetime
    status: UpdateStatus
    body: str  # Markdown
    #: Component statuses that change from this update on, by source key.
    changes: Mapping[str, ComponentStatus] = field(default_factory=dict)
    #: The source had no time for this update and the importer chose one (and reported it).
    estimated: bool = False


@dataclass(frozen=True)
class SourceIncident:
    """An incident or maintenance as the source has it; `source_id` is what recognises it next time."""

    source_id: str
    where: str  # for findings: the file, or the document and id
    title: str
    kind: Kind
    updates: tuple[SourceUpdate, ...]  # any order, but oldest first among updates of one time
    #: Component statuses from the start, by source key.
    components: Mapping[str, ComponentStatus] = field(default_factory=dict)
    impact: Impact | None = None
    started: datetime | None = None  # when it began, if before its first update
    resolved: datetime | None = None  # when it ended, if no Resolved update says so
    scheduled: datetime | None = None  # maintenance window
    until: datetime | None = None


@dataclass
class Export:
    """Everything one source holds, in the order it shows it."""

    components: list[SourceComponent] = field(default_factory=list)
    incidents: list[SourceIncident] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: How the source is named in messages and in the notes' `# imported from` line.
    label: str = ""

    def note(self, where: str, message: str) -> None:
        self.findings.append(Finding(where, message))


@dataclass(frozen=True)
class Options:
    """What the command line gives every importer; only the Statuspage one uses the management options."""

    zone: ZoneInfo  # for times without an offset
    now: datetime
    client: Client = field(default_factory=Client)
    environ: Mapping[str, str] = field(default_factory=dict)
    api_key_env: str | None = None
    page_id: str | None = None
    api_url: str = "https://api.statuspage.io/v1"
    #: Seconds between two requests to the management API (its documented limit is one a second).
    pace: float = 1.0


class SourceError(StatusPageError):
    """The source cannot be read at all (missing, not the format, unreachable); nothing is written."""


#: An importer: read SOURCE (an address, a file or a folder) into records. What stops it is a
#: SourceError naming the file; everything merely imperfect is a Finding.
Read = Callable[[str, Options], Export]
