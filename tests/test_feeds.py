"""Feeds read back with feedparser: valid, one entry per update, newest first, stable ids."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from conftest import CONFIG, Site
from fixtures.notes import FEED_NOTES
from hypothesis import given
from hypothesis import strategies as st
from test_status import incident, run

from statuspage.core import status
from statuspage.core.model import Update, UpdateStatus


@pytest.fixture
def feeds(site: Site) -> dict[str, feedparser.FeedParserDict]:
    for name, text in FEED_NOTES.items():
        site.note(name, text)
    assert site.build().code == 0
    return {kind: feedparser.parse((site.out / f"history.{kind}").read_bytes()) for kind in ("atom", "rss")}


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feed_is_valid_with_one_entry_per_posted_update(feeds: dict[str, feedparser.FeedParserDict], kind: str) -> None:
    feed = feeds[kind]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Test Status"
    assert feed.feed.link == "https://status.test/"
    assert [e.title for e in feed.entries] == [
        "Scheduled: Upgrade",
        'Monitoring: API "errors" & timeouts',
        'Investigating: API "errors" & timeouts',
        "Resolved: Login page offline",
        "Investigating: Login page offline",
    ]
    for entry in feed.entries:
        assert entry.id == entry.link
        assert entry.link.startswith("https://status.test/incidents/")
        assert "#update-" in entry.link
        assert entry.published_parsed is not None
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    first = feed.entries[0]
    assert first.link == "https://status.test/incidents/2026-03-30-future-maintenance/#update-20260319T0800Z"
    assert time.strftime("%Y-%m-%dT%H:%M:%SZ", first.published_parsed) == "2026-03-19T08:00:00Z"


def test_entry_content_is_the_update_and_its_components(feeds: dict[str, feedparser.FeedParserDict]) -> None:
    entry = feeds["atom"].entries[-1]
    assert entry.content[0].value == '<p>Some users cannot log in &amp; "quotes" <b>stay</b>.</p><p>Affected: Login</p>'
    assert feeds["atom"].feed.updated == "2026-03-19T08:00:00+00:00"


def test_feed_length_is_configurable(site: Site) -> None:
    site.config(CONFIG + "[feeds]\nentries = 2\n")
    for name, text in FEED_NOTES.items():
        site.note(name, text)
    assert site.build().code == 0
    feed = feedparser.parse((site.out / "history.atom").read_bytes())
    assert [e.title for e in feed.entries] == ["Scheduled: Upgrade", 'Monitoring: API "errors" & timeouts']


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.text("abc", min_size=1, max_size=3)),
        min_size=1,
        max_size=5,
        unique_by=lambda update: update[1],
    )
)
def test_an_incident_sorts_by_its_newest_posted_update_and_a_tie_by_the_anchor(updates: list[tuple[int, str]]) -> None:
    """The shortcut (updates are newest first, so the first one, unless the next has the same
    time) gives what the maximum over all posted updates gives, ties included."""
    start = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    posts = [
        Update(start + timedelta(minutes=minutes), UpdateStatus.INVESTIGATING, "", "", anchor)
        for minutes, anchor in sorted(updates, key=lambda update: update[0], reverse=True)
    ]
    note = replace(incident("login", "2026-03-09 10:00"), updates=tuple(posts))
    summary = run(note)
    expected = max((u.at, "login", u.anchor) for u in summary.states["login"].updates)
    assert status._latest_posted("login", summary.states["login"]) == expected
