"""`statuspage probe --open-incident`: a draft note when a probe confirms a component down, resolved on recovery.

The notes themselves are the state, so this works the same in a loop and across `--once` runs
in CI: a component confirmed down gets a draft unless an open incident (draft or published)
already names it; a component seen up again has its open drafts resolved. A published note is
a person's: monitoring never posts to it. Notes are written through the authoring layer, which
reads every note back before it replaces anything. The notes are read once a run, and again
only when a note file was added, removed or changed (a stat of each, as git's index does).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .. import config as config_module
from ..authoring import posting
from ..core.clock import show
from ..core.config import Config, Probe
from ..core.model import ComponentStatus, Incident
from ..core.probes import Seen
from ..errors import EditError, StatusPageError, display_path
from ..fingerprint import code_fingerprint
from ..notes import load as notes_load
from ..notes.cache import RACY_NS, NoteCache
from ..notes.discover import Identity, discover, identify
from . import store

log = logging.getLogger(__name__)


def title(config: Config, component: str) -> str:
    return f"{config.component_names[component]} is down"


class IncidentOpener:
    """Follows each recorded check: opens a draft on a confirmed failure, resolves it on recovery."""

    def __init__(self, config_path: Path):
        self.config_path = config_path
        self._notes: _Notes | None = None

    def __call__(self, probe: Probe, check: store.Check) -> None:
        try:
            self._follow(probe, check)
        except StatusPageError as error:  # the check is recorded; the note can be written by hand
            log.error("%s: could not write the draft note: %s", probe.component, error)

    def _follow(self, probe: Probe, check: store.Check) -> None:
        if check.seen is Seen.DEGRADED:
            return
        if self._notes is None:
            self._notes = _Notes(config_module.load(self.config_path)[0])
        config, cid = self._notes.config, probe.component
        notes = self._notes.current()
        open_drafts = [i for i in notes if i.draft and _open(i, cid)]
        if check.seen is Seen.DOWN:
            if any(_open(i, cid) for i in notes):
                return  # somebody (or an earlier run) is on it already
            when = show(check.at, config.timezone)
            message = f"Detected by monitoring at {when} from {check.location}: {check.error or 'no answer'}."
            posted = self._create(config, cid, message, check)
            log.warning(
                "%s: opened the draft %s; publish it by removing its 'draft: true' line or posting an update",
                cid,
                display_path(posted.path),
            )
            return
        for draft in open_drafts:
            message = f"Monitoring sees {config.component_names[cid]} up again since {show(check.at, config.timezone)}."
            path = Path(draft.source)
            posting.resolve(config, path, message=message, ask=_no_editor, now=check.at, keep_draft=True)
            log.info("%s: resolved the draft %s", cid, display_path(path))

    def _create(self, config: Config, cid: str, message: str, check: store.Check) -> posting.Posted:
        """A draft titled "<name> is down"; a second one that day says since when, so its file is new."""
        stamp = check.at.astimezone(config.timezone).strftime("%H:%M")
        for name in (title(config, cid), f"{title(config, cid)} since {stamp}"):
            request = posting.NewNote(name, [f"{cid}={ComponentStatus.MAJOR_OUTAGE.value}"], draft=True)
            try:
                return posting.create(config, request, message, _no_editor, check.at)
            except EditError as error:
                last = error
        raise last


def _open(incident: Incident, component: str) -> bool:
    return not incident.is_maintenance and incident.end is None and component in incident.component_ids


def _no_editor(about: str) -> str:
    raise AssertionError("monitoring always gives the message")  # pragma: no cover


class _Notes:
    """Every note, drafts too: read once, and again only when a note file is not the one read."""

    def __init__(self, config: Config):
        self.config = config
        self._read: dict[str, Identity | None] | None = None
        self._notes: list[Incident] = []

    def current(self) -> list[Incident]:
        files = {note.name: identify(note.location) for note in discover(self.config.incidents_dir)}
        if files != self._read:
            started = time.time_ns()
            self._notes, _ = notes_load.load(self.config, NoteCache.open(self.config, code_fingerprint()))
            # A file changed within a clock tick of the read may change again unseen: read it next time too.
            racy = any(i is not None and max(i[1], i[2]) >= started - RACY_NS for i in files.values())
            self._read = None if racy else files
        return self._notes
