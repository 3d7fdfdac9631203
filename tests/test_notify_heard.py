"""Property: after every notify run, what a webhook receiver holds of each component (the last
change it heard) is what the status page shows, whatever was posted, re-opened or deleted."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from test_notify_events import drawn_incident

from statuspage.core.config import Channel, Config
from statuspage.core.model import Component, ComponentStatus, Incident, UpdateStatus
from statuspage.core.site import at
from statuspage.notify.events import changed_to, changes_of
from statuspage.notify.ledger import Ledger
from statuspage.notify.run import BASELINE, RETENTION, _Round

START = datetime(2026, 3, 20, tzinfo=UTC)
COMPONENTS = ("api", "web")
STATUSES = st.sampled_from(list(ComponentStatus))
#: An update: minutes after the one before, its status, and the components it changes.
NOTE_STATUSES = [UpdateStatus.INVESTIGATING, UpdateStatus.MONITORING, UpdateStatus.UPDATE, UpdateStatus.RESOLVED,
                 UpdateStatus.POSTMORTEM]  # fmt: skip
UPDATES = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.sampled_from(NOTE_STATUSES),
        st.dictionaries(st.sampled_from(COMPONENTS), STATUSES, max_size=1),
    ),
    min_size=1,
    max_size=5,
)
#: A note: its first update's minute, the components it starts with, its updates.
NOTES = st.tuples(st.integers(0, 400), st.dictionaries(st.sampled_from(COMPONENTS), STATUSES, min_size=1), UPDATES)
#: A run: minutes after the last, and before it a note posted, one deleted (by its index), or nothing.
RUNS = st.lists(st.tuples(st.integers(1, 90), st.one_of(st.none(), NOTES, st.integers(0, 5))), min_size=1, max_size=10)


def note(n: int, drawn: tuple) -> Incident:
    minute, components, steps = drawn
    incident = drawn_incident(f"n{n}", components, START + timedelta(minutes=minute), steps)
    assert incident is not None  # without `resolved:`, the reader takes any order of updates
    return incident


@settings(max_examples=80, deadline=None)
@given(first=NOTES, runs=RUNS)
def test_a_webhook_receiver_always_holds_the_pages_component_statuses(first: tuple, runs: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Config(
            root, "T", "https://t.test/", "", ZoneInfo("Europe/Berlin"), "en", None,
            tuple(Component(cid, cid.upper()) for cid in COMPONENTS),
            notify=(Channel("webhook", "hook", "HOOK_URL"),),
        )  # fmt: skip
        notes = {0: note(0, first)}
        ledger, heard, now = Ledger(root / "notify.json"), {}, START + timedelta(minutes=30)
        for n, (minutes, change) in enumerate(runs, start=1):
            now += timedelta(minutes=minutes)
            if isinstance(change, tuple):
                notes[n] = note(n, change)
            elif isinstance(change, int) and notes:
                del notes[sorted(notes)[change % len(notes)]]
            site = at(config, list(notes.values()), now)
            before = set(ledger.channels["hook"].sent) if "hook" in ledger.channels else set()
            _Round(site, now - RETENTION, BASELINE, ledger).mark()
            for event_id in ledger.channels["hook"].sent:  # in the order they were recorded
                heard.update(
                    (cid, changed_to(event_id))
                    for cid in COMPONENTS
                    if event_id not in before and event_id.startswith(changes_of(cid))
                )
            page = {cid: state.status for cid, state in site.summary.components.items()}
            assert heard == {cid: page[cid] for cid in heard}, (now, heard, page)
