"""The summary and the visible notes are worked out by block (core/recall.py `ByBlock`): a
block of ended, posted incidents is kept, and only the blocks a change touched, or that are
still open, are worked out again. Whatever the edits and however `now` moves, the site must be
the one worked out afresh in one block, and a settled block must not be worked out again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_status import DEGRADED, MAJOR, PARTIAL, incident, maintenance, make_config, utc

from statuspage.core import recall, status, timeline
from statuspage.core.model import Incident
from statuspage.core.model import UpdateStatus as U
from statuspage.core.recall import ByBlock
from statuspage.core.site import Site, at

BASE = utc("2026-03-10 12:00")
CONFIG = make_config()
COMPONENTS = ("api", "web", "db")


def stamp(hours: int) -> str:
    return (BASE + timedelta(hours=hours)).isoformat()


@st.composite
def notes(draw: st.DrawFn, slug: str) -> Incident:
    """An incident or a maintenance from a year and a half ago to two days ahead: ended or not,
    some with a later update still to be posted, some reaching into the uptime window's start."""
    start = draw(st.integers(-550 * 24, 48))
    length = draw(st.one_of(st.none(), st.integers(1, 300)))
    cid = draw(st.sampled_from(COMPONENTS))
    if draw(st.booleans()):
        return maintenance(slug, stamp(start), stamp(start + (length or 4)), (cid,))
    first = draw(st.sampled_from((MAJOR, PARTIAL, DEGRADED)))
    updates = [(stamp(start), U.INVESTIGATING, {cid: first})]
    if draw(st.booleans()):
        updates.append((stamp(start + 1), U.MONITORING, {cid: DEGRADED}))
    if length is not None:
        updates.append((stamp(start + 1 + length), U.RESOLVED, {cid: status.ComponentStatus.OPERATIONAL}))
    end = None if length is None else stamp(start + 1 + length)
    return incident(slug, stamp(start), end, {cid: first}, updates)


def newest_first(notes: dict[str, Incident]) -> list[Incident]:
    return sorted(notes.values(), key=lambda i: (i.start, i.slug), reverse=True)


def afresh(incidents: list[Incident], now: datetime) -> Site:
    """The site worked out with nothing kept, in one block: what a first build makes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recall, "BLOCK", 10**9)
        patch.setattr(status, "_PARTS", ByBlock(status._part))
        patch.setattr(timeline, "_VISIBLE", ByBlock(timeline._visible_block))
        return at(CONFIG, incidents, now)


@settings(max_examples=30)
@given(data=st.data())
def test_a_site_worked_out_by_block_is_the_one_worked_out_afresh(data: st.DataObject) -> None:
    kept = {f"n{k}": data.draw(notes(f"n{k}")) for k in range(data.draw(st.integers(0, 24)))}
    now = 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recall, "BLOCK", 3)
        for step in range(data.draw(st.integers(1, 10))):
            move = data.draw(st.sampled_from(("clock", "edit", "add", "delete", "touch")))
            if move == "clock":
                now += data.draw(st.integers(-72, 72))
            elif move == "edit" and kept:
                slug = data.draw(st.sampled_from(sorted(kept)))
                kept[slug] = data.draw(notes(slug))
            elif move == "add":
                kept[f"a{step}"] = data.draw(notes(f"a{step}"))
            elif move == "delete" and kept:
                del kept[data.draw(st.sampled_from(sorted(kept)))]
            elif move == "touch" and kept:  # the same note read again: an equal, new object
                slug = data.draw(st.sampled_from(sorted(kept)))
                kept[slug] = replace(kept[slug])
            ordered = newest_first(kept)
            site = at(CONFIG, ordered, BASE + timedelta(hours=now))
            expected = afresh(ordered, BASE + timedelta(hours=now))
            assert site == expected
            assert [s.updates for s in site.summary.states.values()] == [
                s.updates for s in expected.summary.states.values()
            ]


def test_only_the_changed_and_the_open_blocks_are_worked_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twelve ended incidents in blocks of three, and one still going on, newest: a save by
    the clock works out only the open block, and an edit the edited block and the open one."""
    worked: list[tuple[Incident, ...]] = []

    def counted(block: tuple[Incident, ...], now):  # type: ignore[no-untyped-def]
        worked.append(block)
        return status._part(block, now)

    monkeypatch.setattr(recall, "BLOCK", 3)
    monkeypatch.setattr(status, "_PARTS", ByBlock(counted))
    ended = {f"n{k}": incident(f"n{k}", stamp(-24 * k - 30), stamp(-24 * k - 29), {"api": MAJOR}) for k in range(12)}
    ended["open"] = incident("open", stamp(-2), None, {"web": DEGRADED})
    ordered = newest_first(ended)
    at(CONFIG, ordered, BASE)
    assert len(worked) == 5  # 13 incidents: the open one alone, then four full blocks

    worked.clear()
    site = at(CONFIG, ordered, BASE + timedelta(minutes=10))
    assert worked == [(ended["open"],)]
    assert site.summary.components["web"].days[-1].seconds

    worked.clear()
    ended["n5"] = incident("n5", stamp(-24 * 5 - 30), stamp(-24 * 5 - 28), {"api": MAJOR})
    later = BASE + timedelta(minutes=20)
    site = at(CONFIG, newest_first(ended), later)
    assert worked == [(ended["open"],), (ended["n3"], ended["n4"], ended["n5"])]
    (march,) = [m for m in site.summary.components["api"].months if m.first_day.month == 3]
    assert [d.seconds for d in march.days if "n5" in d.incidents] == [{MAJOR: 7200}]
    assert site == afresh(newest_first(ended), later)
