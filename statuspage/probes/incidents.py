"""`statuspage probe --open-incident`: a draft note when a probe confirms a component down, resolved on recovery.

The notes themselves are the state, so this works the same in a loop and across `--once` runs
in CI: a component confirmed down gets a draft unless an open incident (draft or published)
already names it; a component seen up again has its open drafts resolved. A published note is
a person's: monitoring never posts to it. Notes are written through the authoring layer, which
reads every note back before it replaces anything.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..authoring import posting
from ..core.clock import show
from ..core.config import Config, Probe
from ..core.model import ComponentStatus, Incident
from ..core.probes import Seen
from ..errors import EditError, StatusPageError, display_path
from ..inputs import gather
from . import store

log = logging.getLogger(__name__)


def title(config: Config, component: str) -> str:
    return f"{config.component_names[component]} is down"


class IncidentOpener:
    """Follows each recorded check: opens a draft on a confirmed failure, resolves it on recovery."""

    def __init__(self, config_path: Path):
        self.config_path = config_path

    def __call__(self, probe: Probe, check: store.Check) -> None:
        try:
            self._follow(probe, check)
        except StatusPageError as error:  # the check is recorded; the note can be written by hand
            log.error("%s: could not write the draft note: %s", probe.component, error)

    def _follow(self, probe: Probe, check: store.Check) -> None:
        if check.seen is Seen.DEGRADED:
            return
        inputs = gather(self.config_path, now=check.at.isoformat())
        config, cid = inputs.config, probe.component
        open_drafts = [i for i in inputs.drafts if _open(i, cid)]
        if check.seen is Seen.DOWN:
            if open_drafts or any(_open(i, cid) for i in inputs.incidents):
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
