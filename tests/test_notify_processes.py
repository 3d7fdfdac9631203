"""Exactly once across processes: a run killed mid-delivery, and two runs at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import NOW, Site
from notify_site import PEOPLE_TITLES as TITLES
from notify_site import channel_table, write_site
from receivers import Receiver

pytest_plugins = ["notify_fixtures"]

pytestmark = pytest.mark.slow


def start(site: Site, receiver: Receiver) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"SLACK_URL": receiver.url}
    command = [sys.executable, "-m", "statuspage", "notify", "--config", str(site.config_path), "--now", NOW]
    return subprocess.Popen(command, cwd=site.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def titles(receiver: Receiver) -> list[str]:
    return [body["blocks"][0]["text"]["text"] for body in receiver.bodies()]


def wait_for(check: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_run_killed_mid_delivery_resends_at_most_the_event_in_flight(
    site: Site, receivers: dict[str, Receiver], tmp_path: Path
) -> None:
    write_site(site, channel_table("slack"))
    slack = receivers["slack"]
    slack.gate, slack.hold_from = threading.Event(), 2  # the third message is received, never answered
    killed = start(site, slack)
    wait_for(lambda: len(slack.requests) == 3)
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    slack.gate.set()
    ledger = (site.root / "notify.json").read_text()
    assert "update-20260320T1005Z" in ledger and "update-20260320T1020Z" in ledger  # the two answered
    assert "2026-03-20-api-slow" not in ledger  # the one in flight was not recorded

    slack.gate = None
    resumed = start(site, slack)
    _out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    seen = Counter(titles(slack))
    assert set(seen) == set(TITLES)  # nothing lost
    assert [title for title, n in seen.items() if n > 1] == [TITLES[2]]  # only the one in flight, once more
    assert sum(seen.values()) == len(TITLES) + 1


def test_two_runs_at_once_never_send_an_event_twice(site: Site, receivers: dict[str, Receiver]) -> None:
    write_site(site, channel_table("slack"))
    slack = receivers["slack"]
    slack.delay = 0.3  # a slow service: the second run starts while the first is sending
    runs = [start(site, slack), start(site, slack)]
    wait_for(lambda: len(slack.requests) >= 1)
    assert [run.poll() for run in runs] == [None, None]  # both running while the first sends
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert sorted(titles(slack)) == sorted(TITLES)
    errs = [err for _, err in results]
    assert sum("Sent 5 messages." in err for err in errs) == 1
    assert sum("Nothing new to announce." in err for err in errs) == 1
