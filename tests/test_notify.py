"""`statuspage notify` end to end: the real CLI, real notes, a receiver per service on 127.0.0.1.

The site (tests/notify_site.py) has, as of conftest's NOW (2026-03-20 12:00 CET): a login
incident with three updates in the last hour, an API incident touching only `api`, a
maintenance window that started and ended by the clock, and an old incident from March 10.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from conftest import NOW, Run, Site
from notify_site import HTTP_TYPES, LOGIN_NOTE, PEOPLE_TITLES, SECRET, channel_table, write_site
from receivers import TOKEN, Receiver
from standardwebhooks import Webhook

from statuspage import storage
from statuspage.inputs import gather
from statuspage.notify import run

pytest_plugins = ["notify_fixtures"]


LATER = "2026-03-20T12:30:00+01:00"


def notify(site: Site, *args: str, now: str = NOW) -> Run:
    return site.run("notify", "--config", str(site.config_path), "--now", now, *args)


def titles(receiver: Receiver) -> list[str]:
    """The title each message carries, read the way each service shows it."""
    shown = []
    for body in receiver.bodies():
        if receiver.name == "slack":
            shown.append(body["blocks"][0]["text"]["text"])
        elif receiver.name == "discord":
            shown.append(body["embeds"][0]["title"])
        elif receiver.name == "teams":
            shown.append(body["attachments"][0]["content"]["body"][0]["items"][0]["text"])
        elif receiver.name == "mattermost":
            shown.append(body["attachments"][0]["title"])
        elif receiver.name == "google_chat":
            shown.append(body["cardsV2"][0]["card"]["header"]["title"])
        elif receiver.name == "apprise":
            shown.append(body["title"])
    return shown


def test_every_channel_hears_each_new_event_once_in_order(every_channel: Site, receivers: dict[str, Receiver]) -> None:
    first = notify(every_channel)
    assert first.code == 0, first.err
    for name in ("slack", "discord", "teams", "mattermost", "google_chat", "apprise"):
        assert titles(receivers[name]) == PEOPLE_TITLES, name
    # The maintenance's announcement of March 19 is older than the baseline (an hour before the
    # first run): history, never re-broadcast, and the log says so. March 10 is past the retention.
    assert (
        "slack-channel: new channel: announcing what happened since 2026-03-20 11:00 CET; 1 earlier event left as history"
        in first.err
    )
    assert all(r.method == "POST" for name in HTTP_TYPES for r in receivers[name].requests)

    second = notify(every_channel)
    assert second.code == 0 and "Nothing new to announce." in second.err
    assert all(len(receivers[name].requests) == 5 for name in ("slack", "discord", "teams", "google_chat"))

    every_channel.note(
        "2026-03-20-api-slow.md",
        (every_channel.root / "incidents/2026-03-20-api-slow.md")
        .read_text()
        .replace("---\n\n", "---\n\n## 2026-03-20 12:10 · Monitoring\nA fix is out; we are watching.\n\n", 1),
    )
    third = notify(every_channel, now=LATER)
    assert third.code == 0, third.err
    for name in ("slack", "discord", "teams", "mattermost", "google_chat", "apprise"):
        assert titles(receivers[name])[5:] == ["Monitoring: Slow API responses"], name
    assert len(receivers["webhook"].requests) == 11 + 1  # the webhook also had the component changes


def test_the_webhook_is_statuspages_envelope_signed_per_standard_webhooks(
    every_channel: Site, receivers: dict[str, Receiver]
) -> None:
    assert notify(every_channel).code == 0
    hook = receivers["webhook"]
    verifier = Webhook(SECRET)
    bodies = [verifier.verify(r.body, r.headers) for r in hook.requests]  # raises on a bad signature
    assert [r.headers["webhook-id"] for r in hook.requests] == [
        "2026-03-20-login-down#update-20260320T1005Z",
        "component/login@20260320T100500Z:major_outage",
        "2026-03-20-login-down#update-20260320T1020Z",
        "component/login@20260320T102000Z:partial_outage",
        "2026-03-20-api-slow#update-20260320T1030Z",
        "component/api@20260320T103000Z:degraded_performance",
        "2026-03-20-login-down#update-20260320T1040Z",
        "component/login@20260320T104000Z:operational",
        "component/web@20260320T104500Z:under_maintenance",
        "2026-03-20-db-upgrade@ended",
        "component/web@20260320T105500Z:operational",
    ]
    identified = bodies[2]["incident"]
    # The incident as it stood at that update: its updates so far, newest first, and its status then.
    assert identified["status"] == "identified" and identified["resolved_at"] is None
    assert [u["status"] for u in identified["incident_updates"]] == ["identified", "investigating"]
    assert identified["incident_updates"][0]["body"] == "A bad deploy; we are rolling it back."
    resolved = bodies[6]["incident"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"] == "2026-03-20T11:40:00+01:00"
    change = bodies[3]
    assert change["component_update"] | {"id": None} == {
        "old_status": "major_outage",
        "new_status": "partial_outage",
        "created_at": "2026-03-20T11:20:00+01:00",
        "component_type": "Component",
        "id": None,
        "component_id": "login",
    }
    assert change["component"]["id"] == "login" and change["component"]["status"] == "partial_outage"
    assert bodies[9]["incident"]["status"] == "completed"
    for body in bodies:
        # The page as the API shows it now: the API incident is still open.
        assert body["page"] == {
            "id": "status-test",
            "status_indicator": "minor",
            "status_description": "Partially Degraded Service",
        }
        assert set(body["meta"]) == {"unsubscribe", "documentation", "generated_at"}
    # A tampered body fails the receiver's check: the signature covers it.
    tampered = dict(hook.requests[0].headers)
    with pytest.raises(Exception, match="signature"):
        verifier.verify(hook.requests[0].body.replace(b"Login", b"Logon"), tampered)


def test_a_channel_hears_only_its_components(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack", components=["api"]), channel_table("webhook", components=["web"]))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    monkeypatch.setenv("WEBHOOK_URL", receivers["webhook"].url)
    assert notify(site).code == 0
    assert titles(receivers["slack"]) == ["Investigating: Slow API responses"]
    assert [r.headers["webhook-id"] for r in receivers["webhook"].requests] == [
        "component/web@20260320T104500Z:under_maintenance",
        "2026-03-20-db-upgrade@ended",
        "component/web@20260320T105500Z:operational",
    ]
    assert "webhook-signature" not in receivers["webhook"].requests[0].headers  # no secret_env: unsigned


def told(receiver: Receiver) -> dict[str, str]:
    """Each component's status as a receiver keeping it from the webhook's component changes holds it."""
    states = {}
    for body in receiver.bodies():
        if "component_update" in body:
            states[body["component"]["id"]] = body["component_update"]["new_status"]
    return states


def shown(site: Site, now: str) -> dict[str, str]:
    """Each component's status as the status page shows it at `now`."""
    summary = gather(site.config_path, now).site().summary
    return {cid: state.status.value for cid, state in summary.components.items()}


def test_a_reopened_incident_reaches_the_webhook_as_a_component_change(
    webhook_only: Site, receivers: dict[str, Receiver]
) -> None:
    site = webhook_only
    assert notify(site).code == 0
    assert told(receivers["webhook"])["login"] == "operational"  # resolved at 11:40
    site.note(
        "2026-03-20-login-down.md",
        LOGIN_NOTE.replace(
            "## 2026-03-20 11:40", "## 2026-03-20 12:10 · Investigating\nBack again.\n\n## 2026-03-20 11:40"
        ),
    )
    again = notify(site, now=LATER)
    assert again.code == 0, again.err
    assert [r.headers["webhook-id"] for r in receivers["webhook"].requests[11:]] == [
        "2026-03-20-login-down#update-20260320T1110Z",
        "component/login@20260320T111000Z:partial_outage",
    ]
    assert told(receivers["webhook"]) == shown(site, LATER)


def test_a_component_change_older_than_one_told_is_not_sent_as_it_would_undo_it(
    webhook_only: Site, receivers: dict[str, Receiver]
) -> None:
    """The API has been slow since 11:30 and the webhook was told so. A note posted afterwards about
    an outage from 11:10 to 11:20 is announced, but not its component changes: a receiver that
    heard "operational" last would hold the API as fine while the page shows it slow."""
    site = webhook_only
    assert notify(site).code == 0
    site.note(
        "2026-03-20-api-down.md",
        "---\ntitle: API down\ncomponents: {api: major_outage}\n---\n"
        "## 2026-03-20 11:20 · Resolved\nBack.\n\n## 2026-03-20 11:10 · Investigating\nDown.\n",
    )
    later = notify(site, now=LATER)
    assert later.code == 0, later.err
    assert [r.headers["webhook-id"] for r in receivers["webhook"].requests[11:]] == [
        "2026-03-20-api-down#update-20260320T1010Z",
        "2026-03-20-api-down#update-20260320T1020Z",
    ]
    assert told(receivers["webhook"]) == shown(site, LATER)
    assert (
        "webhook-channel: not announcing 2 component events older than a change of the same component it was "
        "told of" in later.err
    )
    assert "component/api@20260320T101000Z:major_outage" in later.err
    quiet = notify(site, now=LATER)  # said once
    assert "not announcing" not in quiet.err and "Nothing new to announce." in quiet.err


def test_a_component_whose_note_was_deleted_is_told_what_the_page_shows_now(
    webhook_only: Site, receivers: dict[str, Receiver]
) -> None:
    """Told "major outage" by a note posted by mistake and then deleted, the webhook hears the
    component is operational again, once, dated when a run found out."""
    site = webhook_only
    assert notify(site, now="2026-03-20T11:10:00+01:00").code == 0
    assert told(receivers["webhook"])["login"] == "major_outage"
    (site.root / "incidents/2026-03-20-login-down.md").unlink()
    later = notify(site, now=LATER)
    assert later.code == 0, later.err
    ids = [r.headers["webhook-id"] for r in receivers["webhook"].requests]
    assert ids[-1] == "component/login@20260320T113000Z:operational"
    assert receivers["webhook"].bodies()[-1]["component_update"]["old_status"] == "major_outage"
    assert told(receivers["webhook"]) == shown(site, LATER)
    again = notify(site, now="2026-03-20T12:40:00+01:00")
    assert "Nothing new to announce." in again.err and len(receivers["webhook"].requests) == len(ids)


def test_the_baseline_bounds_a_first_run_and_a_channel_added_later_starts_from_its_own(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url)
    assert notify(site, "--baseline", "30m").code == 0  # since 11:30
    assert titles(receivers["slack"]) == PEOPLE_TITLES[2:]
    ledger = json.loads((site.root / "notify.json").read_text())
    assert ledger["channels"]["slack-channel"]["since"] == "2026-03-20T10:30:00+00:00"

    # Later, a Discord channel joins with a baseline of 11 days: it hears the last 11 days
    # (the old incident included), the Slack channel keeps its own start and hears nothing.
    write_site(site, channel_table("slack"), channel_table("discord"), notes=False)
    later = notify(site, "--baseline", "11d")
    assert later.code == 0, later.err
    assert titles(receivers["discord"]) == [
        "Investigating: An old outage",
        "Resolved: An old outage",
        "Scheduled: Database upgrade",
        *PEOPLE_TITLES,
    ]
    assert len(receivers["slack"].requests) == 3
    assert "discord-channel: new channel" in later.err and "slack-channel: new channel" not in later.err


def test_a_failure_is_retried_in_the_run_then_on_the_next_and_the_rest_still_go_out(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"), channel_table("discord"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url)
    # Slack: a 500 then a 429 (Retry-After honoured), then it takes the first message.
    receivers["slack"].answers = [(500, {"Retry-After": "0"}, b"oops"), (429, {"Retry-After": "0"}, b"slow down")]
    # Discord is down for the whole run: every attempt of its first message fails.
    receivers["discord"].default = (503, {"Retry-After": "0"}, b"unavailable")
    first = notify(site)
    assert first.code == 1
    assert titles(receivers["slack"])[2:] == PEOPLE_TITLES  # two refused attempts, then all six
    assert len(receivers["discord"].requests) == 4  # the client's attempts at the first message, no more
    assert "discord-channel: not delivered: Investigating: Login page offline" in first.err
    assert "discord-channel: 4 later events wait for the next run" in first.err
    assert "Sent 5 messages; 1 not delivered and 4 held back, for the next run to try again." in first.err
    assert TOKEN not in first.err and "HTTP 503" in first.err

    receivers["discord"].default = (200, {}, b"{}")
    second = notify(site)
    assert second.code == 0, second.err
    assert titles(receivers["discord"])[4:] == PEOPLE_TITLES and len(receivers["slack"].requests) == 7


def test_a_rejected_message_does_not_hold_back_the_rest(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    # A 400 would fail again as it is: the other messages still go, that one is tried next run.
    receivers["slack"].answers = [(400, {}, f"invalid_blocks at /hooks/slack/{TOKEN}".encode())]
    first = notify(site)
    assert first.code == 1 and titles(receivers["slack"]) == PEOPLE_TITLES
    assert "HTTP 400 (invalid_blocks at [redacted])" in first.err
    assert notify(site).code == 0 and titles(receivers["slack"])[5:] == PEOPLE_TITLES[:1]


def test_dry_run_needs_no_secret_sends_nothing_and_shows_each_message(
    every_channel: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [*HTTP_TYPES, "apprise"]:
        monkeypatch.delenv(f"{name.upper()}_URL")
    monkeypatch.delenv("WEBHOOK_SECRET")
    result = notify(every_channel, "--dry-run")
    assert result.code == 0, result.err
    assert all(r.requests == [] for r in receivers.values())
    assert not (every_channel.root / "notify.json").exists()
    assert "== slack-channel (slack): 5 new messages" in result.out
    assert "== webhook-channel (webhook): 11 new messages" in result.out
    assert "POST $DISCORD_URL?wait=true" in result.out and "signed with $WEBHOOK_SECRET" in result.out
    slack_body = result.out.split("POST $SLACK_URL\n", 1)[1].split("\n\n-- ", 1)[0]
    assert json.loads(slack_body)["blocks"][0]["text"]["text"] == "Investigating: Login page offline"


def test_a_missing_secret_is_named_and_nothing_is_sent(
    every_channel: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_URL")
    monkeypatch.setenv("WEBHOOK_SECRET", "not-a-secret")
    result = notify(every_channel)
    assert result.code == 2
    assert (
        "statuspage.toml: notify[1].url_env: the environment variable DISCORD_URL is not set; "
        "set it to the URL of a Discord webhook (https://discord.com/api/webhooks/…) (in CI, as a secret)"
    ) in result.err
    assert "notify[5].secret_env: WEBHOOK_SECRET is not a Standard Webhooks secret" in result.err
    assert "not-a-secret" not in result.err
    assert all(r.requests == [] for r in receivers.values())


def test_a_plain_http_url_is_refused_unless_it_is_this_machine(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", f"http://hooks.example.com/services/{TOKEN}")
    result = notify(site)
    assert result.code == 2 and "SLACK_URL must hold a https:// URL" in result.err and TOKEN not in result.err


def test_secrets_never_reach_the_output_the_log_or_the_ledger(
    every_channel: Site, receivers: dict[str, Receiver], caplog: pytest.LogCaptureFixture
) -> None:
    receivers["teams"].answers = [(502, {"Retry-After": "0"}, f"bad gateway for /hooks/teams/{TOKEN}".encode())] * 4
    with caplog.at_level(logging.DEBUG):
        result = notify(every_channel)
        again = notify(every_channel, "--dry-run")
    assert result.code == 1
    written = (every_channel.root / "notify.json").read_text()
    seen = result.out + result.err + again.out + again.err + caplog.text + written
    for secret in (TOKEN, SECRET, SECRET.removeprefix("whsec_")):
        assert secret not in seen
    assert "teams-channel: not delivered" in result.err and "http://127.0.0.1" in result.err


def test_a_run_that_cannot_get_the_lock_in_time_sends_nothing_and_says_why(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    lock = site.root / ".statuspage-cache" / run.LOCK_NAME
    with storage.locked(lock), pytest.raises(run.LockedError, match="nothing was sent"):
        run.notify(site.config_path, now=NOW, wait=0.2)
    assert receivers["slack"].requests == []
    result = notify(site)
    assert result.code == 0 and len(receivers["slack"].requests) == 5


def test_an_unreadable_ledger_stops_the_run(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read as empty, a ledger with a merge conflict would announce the last hour again."""
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    (site.root / "notify.json").write_text('{\n<<<<<<< HEAD\n  "version": 1\n}\n')
    result = notify(site)
    assert result.code == 2 and receivers["slack"].requests == []
    assert "notify.json:2: is not valid JSON (a merge conflict?)" in result.err


def test_a_ledger_that_cannot_be_written_stops_the_run(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)

    def disk_full(path: Path, data: object, readable: bool = False) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "replace_json", disk_full)
    result = notify(site)
    assert result.code == 1
    assert "cannot write notify.json: No space left on device; stopped, so that nothing is sent twice" in result.err
    assert len(receivers["slack"].requests) == 1  # the one whose delivery could not be recorded


def test_a_site_without_channels_has_nothing_to_announce(site: Site) -> None:
    result = notify(site)
    assert result.code == 0 and "has no [[notify]] channels" in result.err


def test_a_bad_baseline_or_note_is_an_input_error(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    assert notify(site, "--baseline", "soon").code == 2
    site.note("2026-03-20-broken.md", "---\ntitle: Broken\n---\n\n## yesterday · Investigating\nHm.\n")
    result = notify(site)
    assert result.code == 2 and "2026-03-20-broken.md" in result.err and "Nothing was sent." in result.err
    assert receivers["slack"].requests == []


def test_mark_sent_records_the_backlog_without_sending_or_needing_a_secret(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After importing old notes, say: they are history, and only what comes next is announced."""
    write_site(site, channel_table("slack"))
    marked = notify(site, "--mark-sent", "--baseline", "2d")
    assert marked.code == 0 and "slack-channel: 6 events recorded as announced, not sent" in marked.err
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    assert notify(site).code == 0 and receivers["slack"].requests == []
    note = (site.root / "incidents/2026-03-20-api-slow.md").read_text()
    site.note(
        "2026-03-20-api-slow.md", note.replace("---\n\n", "---\n\n## 2026-03-20 12:10 · Resolved\nFast again.\n\n", 1)
    )
    assert notify(site, now=LATER).code == 0
    assert titles(receivers["slack"]) == ["Resolved: Slow API responses"]


def test_without_apprise_installed_the_run_says_what_to_install(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(site, channel_table("apprise"))
    monkeypatch.setenv("APPRISE_URL", "ntfys://ntfy.sh/some-topic")
    monkeypatch.setitem(sys.modules, "apprise", None)  # as if it were not installed: importing it fails
    result = notify(site)
    assert result.code == 2
    assert "notify[0]: the apprise package is not installed: install the `apprise` extra of statuspage" in result.err
    assert notify(site, "--dry-run").code == 0  # a preview needs no Apprise
