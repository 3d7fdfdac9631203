"""What notify does not send, and says so once: a backlog, a maintenance start found after its window,
events dated before a channel's start, events that grew too old unannounced."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from conftest import CONFIG, NOW, Run, Site
from notify_site import PEOPLE_TITLES, channel_table, write_site
from receivers import Receiver

from statuspage.notify.due import CAP

pytest_plugins = ["notify_fixtures"]


def notify(site: Site, *args: str, now: str | None = NOW) -> Run:
    return site.run("notify", "--config", str(site.config_path), *(("--now", now) if now else ()), *args)


def titles(receiver: Receiver) -> list[str]:
    return [body["blocks"][0]["text"]["text"] for body in receiver.bodies()]


def slack_site(site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch, notes: bool = True) -> None:
    write_site(site, channel_table("slack"), notes=notes)
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)


def flood_note(site: Site, count: int) -> None:
    """An incident with `count` updates, one every 4 minutes from 11:04 on."""
    updates = "".join(
        f"## 2026-03-20 11:{4 * n:02d} · Update\nStill working on it ({n}).\n\n" for n in range(count, 0, -1)
    )
    site.note("2026-03-20-flood.md", f"---\ntitle: Flood\ncomponents:\n  api: major_outage\n---\n\n{updates}")


def test_a_backlog_is_held_back_whole_and_the_log_says_how_to_let_it_go(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_site(site, receivers, monkeypatch, notes=False)
    flood_note(site, CAP + 2)  # 11:04 … 11:48
    result = notify(site)
    assert result.code == 1 and receivers["slack"].requests == []
    assert (
        f"slack-channel: {CAP + 2} events due, more than the {CAP} a run sends to one channel: a backlog "
        "(imported notes, a renamed note, a lost ledger, notify not run for a while?), so none was sent. "
        "See them with `statuspage notify --dry-run`; record them as announced with `statuspage notify --mark-sent` "
        "(add --now TIME to record only those up to TIME), and the next run sends only what comes after"
    ) in result.err
    assert f"Sent 0 messages; {CAP + 2} held back as a backlog (see above)." in result.err
    dry = notify(site, "--dry-run")
    assert f"== slack-channel (slack): {CAP + 2} new messages: more than {CAP}, so a run would send none" in dry.out

    # Recorded as announced up to 11:40; the two after it are news, and go.
    marked = notify(site, "--mark-sent", now="2026-03-20T11:40:00+01:00")
    assert marked.code == 0 and f"slack-channel: {CAP} events recorded as announced, not sent" in marked.err
    assert notify(site).code == 0
    assert titles(receivers["slack"]) == ["Update: Flood", "Update: Flood"]
    texts = [body["blocks"][1]["text"]["text"] for body in receivers["slack"].bodies()]
    assert texts == [f"Still working on it ({CAP + 1}).", f"Still working on it ({CAP + 2})."]


def test_component_changes_do_not_count_towards_the_backlog(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A webhook hears each update and each status change it makes: still one announcement each."""
    write_site(site, channel_table("webhook"), notes=False)
    monkeypatch.setenv("WEBHOOK_URL", receivers["webhook"].url)
    flood_note(site, CAP)
    assert notify(site).code == 0
    assert len(receivers["webhook"].requests) == CAP + 1  # the ten updates and the API's change of status


def test_a_maintenance_start_is_announced_while_it_is_on_not_once_it_is_over(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_site(site, receivers, monkeypatch)
    during = notify(site, now="2026-03-20T11:50:00+01:00")
    assert during.code == 0 and titles(receivers["slack"])[-1] == "In progress: Database upgrade"
    colour = receivers["slack"].bodies()[-1]["attachments"][0]["color"]
    assert colour == "#0969da"  # the maintenance's blue
    after = notify(site)
    assert titles(receivers["slack"])[-1] == "Completed: Database upgrade" and "not announcing" not in after.err


def test_a_maintenance_start_found_after_the_window_is_skipped_and_said_once(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_site(site, receivers, monkeypatch)
    first = notify(site)
    assert titles(receivers["slack"]) == PEOPLE_TITLES  # "Completed", without a stale "In progress" before it
    skipped = (
        "slack-channel: not announcing the start of Database upgrade [2026-03-20-db-upgrade@started]: "
        "its window ended before this run"
    )
    assert skipped in first.err
    ledger = json.loads((site.root / "notify.json").read_text())
    assert ledger["channels"]["slack-channel"]["skipped"] == {
        "2026-03-20-db-upgrade#update-20260319T0800Z": "2026-03-19T08:00:00+00:00",  # before the baseline
        "2026-03-20-db-upgrade@started": "2026-03-20T10:45:00+00:00",
    }
    again = notify(site, now="2026-03-20T12:15:00+01:00")
    assert again.code == 0 and "not announcing" not in again.err and len(receivers["slack"].requests) == 5


def test_an_event_dated_before_the_channels_start_is_not_announced_and_the_log_says_so_once(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_site(site, receivers, monkeypatch)
    assert notify(site).code == 0  # the channel starts from 11:00
    note = (site.root / "incidents/2026-03-20-api-slow.md").read_text()
    # Someone adds, later, an update they backdate to 10:50: the channel's history, not news.
    site.note("2026-03-20-api-slow.md", note + "\n## 2026-03-20 10:50 · Investigating\nFirst seen by a customer.\n")
    later = notify(site, now="2026-03-20T12:20:00+01:00")
    assert later.code == 0 and len(receivers["slack"].requests) == 5
    assert (
        "slack-channel: not announcing 1 event dated before the channel's start (2026-03-20 11:00 CET): "
        "2026-03-20-api-slow#update-20260320T0950Z"
    ) in later.err
    assert "dated before" not in notify(site, now="2026-03-20T12:40:00+01:00").err


def test_events_that_grew_too_old_unannounced_are_a_warning_once(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notify did not run for nine days: what happened meanwhile is too old to announce, and the log says so."""
    slack_site(site, receivers, monkeypatch)
    assert notify(site).code == 0
    site.note("2026-03-20-evening.md", "---\ntitle: Evening\n---\n\n## 2026-03-20 18:00 · Investigating\nSlow.\n")
    late = notify(site, now="2026-03-29T12:00:00+01:00")
    assert late.code == 0 and len(receivers["slack"].requests) == 5
    assert (
        "slack-channel: 1 event from 2026-03-20 18:00 CET to 2026-03-20 18:00 CET never announced, and now older "
        "than the 7 days a run looks back, so they never will be (was notify not run, or the channel failing, "
        "all that time?): 2026-03-20-evening#update-20260320T1700Z"
    ) in late.err
    assert "never announced" not in notify(site, now="2026-03-29T12:15:00+01:00").err


def test_a_baseline_longer_than_any_history_means_everything(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_site(site, receivers, monkeypatch)
    result = notify(site, "--baseline", "99999999d")
    assert result.code == 0, result.err
    assert "new channel: announcing what happened since 1970-01-01 01:00 CET" in result.err
    assert titles(receivers["slack"])[:3] == [
        "Investigating: An old outage",
        "Resolved: An old outage",
        "Scheduled: Database upgrade",
    ]


def test_source_date_epoch_far_from_the_clock_is_a_warning(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set for reproducible builds, it also freezes notify's time: maintenance would never start."""
    slack_site(site, receivers, monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2020, 1, 1).timestamp())))
    result = notify(site, "--dry-run", now=None)
    assert "SOURCE_DATE_EPOCH sets the time to 2020-01-01" in result.err
    assert "before this machine's clock: notify announces what the site shows then" in result.err
    assert "unset it for notify, or pass --now" in result.err
    assert "SOURCE_DATE_EPOCH" not in notify(site, "--dry-run").err  # --now says it is meant


def test_an_import_says_to_mark_its_updates_announced(site: Site) -> None:
    site.config(CONFIG + channel_table("slack"))
    export = site.root / "incidents.json"
    export.write_text(
        json.dumps(
            {
                "incidents": [
                    {
                        "id": "abc",
                        "name": "Imported outage",
                        "status": "resolved",
                        "impact": "minor",
                        "created_at": "2026-03-20T10:00:00Z",
                        "incident_updates": [
                            {"status": "investigating", "body": "Down.", "created_at": "2026-03-20T10:00:00Z"}
                        ],
                    }
                ]
            }
        )
    )
    result = site.run("import", "statuspage", str(export), "--config", str(site.config_path))
    assert result.code == 0, result.err
    assert "run `statuspage notify --mark-sent` next, or notify announces these." in result.out
