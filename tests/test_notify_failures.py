"""When a service misbehaves: a garbled answer, no answer, a channel refused, a URL that cannot be
sent. No traceback, no secret in the output, nothing sent twice, and the other channels still go."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from conftest import NOW, Run, Site
from notify_site import PEOPLE_TITLES, channel_table, write_site
from receivers import TOKEN, Raw, Receiver, raw_server

from statuspage.net import Client, Retry
from statuspage.notify import run

pytest_plugins = ["notify_fixtures"]


@pytest.fixture
def raw() -> Iterator[Callable[..., Raw]]:
    yield from raw_server()


def notify(site: Site, *args: str) -> Run:
    return site.run("notify", "--config", str(site.config_path), "--now", NOW, *args)


def slack_titles(receiver: Receiver) -> list[str]:
    return [body["blocks"][0]["text"]["text"] for body in receiver.bodies()]


def sent(site: Site, channel: str) -> dict[str, str]:
    ledger: dict[str, dict[str, dict[str, dict[str, str]]]] = json.loads((site.root / "notify.json").read_text())
    return ledger["channels"][channel]["sent"]


@pytest.mark.parametrize(
    "answer",
    [b"SSH-2.0-OpenSSH_9.6\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", b""],
    ids=["not-http", "truncated", "closed"],
)
def test_a_garbled_answer_fails_its_channel_without_a_traceback_and_the_others_still_go(
    site: Site, receivers: dict[str, Receiver], raw: Callable[..., Raw], monkeypatch: pytest.MonkeyPatch, answer: bytes
) -> None:
    write_site(site, channel_table("slack"), channel_table("discord"))
    server = raw(answer)
    monkeypatch.setenv("SLACK_URL", f"http://127.0.0.1:{server.port}/services/T0/B0/{TOKEN}")
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url)
    result = notify(site)
    assert result.code == 1
    assert "Traceback" not in result.err and TOKEN not in result.err
    # The request went out: Slack may have posted it, so it is not sent again in this run.
    assert server.connections == 1
    assert "slack-channel: not confirmed: Investigating: Login page offline" in result.err
    assert "POST http://127.0.0.1: sent, but" in result.err and "it may have arrived" in result.err
    assert "the next run sends it again, which may show it twice" in result.err
    assert "slack-channel: 4 later events wait for the next run" in result.err
    assert len(receivers["discord"].requests) == len(PEOPLE_TITLES)
    assert sent(site, "slack-channel") == {}


def test_a_post_whose_answer_never_comes_is_sent_once_in_a_run_and_again_by_the_next_run(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A read timeout after the request went out: Slack may have posted it, so no retry within the
    run (a busy service would post it once per try); the next run, which finds the service answering,
    sends it again. The webhook's receiver can drop that repeat: it has the same webhook-id."""
    write_site(site, channel_table("slack"), channel_table("webhook"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    monkeypatch.setenv("WEBHOOK_URL", receivers["webhook"].url)
    receivers["slack"].delay = receivers["webhook"].delay = 1.0  # longer than the client waits
    quick = Client(timeout=0.3, retry=Retry(first_pause=0.0), sleep=lambda s: None)
    with caplog.at_level(logging.INFO):
        first = run.notify(site.config_path, now=NOW, client=quick)
    assert (first.sent, first.failed) == (0, 2)
    assert len(receivers["slack"].requests) == len(receivers["webhook"].requests) == 1
    assert "with the same webhook-id, by which a repeat is dropped" in caplog.text
    receivers["slack"].delay = receivers["webhook"].delay = 0.0
    second = run.notify(site.config_path, now=NOW, client=quick)
    assert second.ok and slack_titles(receivers["slack"]) == [PEOPLE_TITLES[0], *PEOPLE_TITLES]
    ids = [r.headers["webhook-id"] for r in receivers["webhook"].requests]
    assert ids[0] == ids[1] == "2026-03-20-login-down#update-20260320T1005Z"


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_refused_channel_stops_for_the_run_says_so_once_and_keeps_its_events(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """A revoked or deleted webhook: one try, one line, and every event waits until it is fixed."""
    write_site(site, channel_table("slack"), channel_table("discord"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url)
    receivers["slack"].default = (status, {}, b"no_service")
    result = notify(site)
    assert result.code == 1
    assert len(receivers["slack"].requests) == 1
    failing = ("refuse", "not delivered", "wait")
    refused = [line for line in result.err.splitlines() if line.startswith("slack") and any(w in line for w in failing)]
    assert len(refused) == 1 and refused[0].startswith(
        f"slack-channel: the service refuses this channel: POST http://127.0.0.1: HTTP {status} (no_service); "
        "check SLACK_URL (revoked, deleted, or wrong?). Nothing more is sent to it this run; its 5 events wait"
    )
    assert len(receivers["discord"].requests) == len(PEOPLE_TITLES)
    assert sent(site, "slack-channel") == {}
    receivers["slack"].default = (200, {}, b"ok")
    assert notify(site).code == 0 and slack_titles(receivers["slack"])[1:] == PEOPLE_TITLES


def test_a_url_with_a_space_is_refused_before_anything_is_sent_and_not_shown(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(site, channel_table("slack"), channel_table("discord"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url + " SECRET")
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url + "\tSECRET")
    result = notify(site)
    assert result.code == 2 and "Traceback" not in result.err
    assert "notify[0].url_env: SLACK_URL has a space or a control character in it" in result.err
    assert "notify[1].url_env: DISCORD_URL has a space or a control character in it" in result.err
    assert "SECRET" not in result.err and TOKEN not in result.err
    assert receivers["slack"].requests == receivers["discord"].requests == []


def test_a_redirect_refuses_the_channel_and_follows_nothing(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """urllib would follow a 301 with a GET and no body, and the message would look delivered."""
    write_site(site, channel_table("slack"))
    monkeypatch.setenv("SLACK_URL", receivers["slack"].url)
    receivers["slack"].default = (301, {"Location": receivers["second"].url}, b"")
    result = notify(site)
    assert result.code == 1 and "HTTP 301" in result.err and "the service refuses this channel" in result.err
    assert receivers["second"].requests == [] and len(receivers["slack"].requests) == 1
    assert sent(site, "slack-channel") == {}
