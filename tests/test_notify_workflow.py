"""The `notify` job of the workflow `init` writes, its shell steps run for real against git
repositories on this machine: it announces what the deployed commit shows, and records the
ledger on top of the branch as it is by then."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, NOW
from notify_site import API_NOTE, LOGIN_NOTE
from receivers import Receiver, serve

from statuspage.authoring import init

WORKFLOW = Path(init.__file__).parent / "scaffold" / "github-pages.yml"
CHANNEL = '\n[[notify]]\ntype = "slack"\nid = "ops"\nurl_env = "SLACK_WEBHOOK_URL"\n'


@pytest.fixture
def slack() -> Iterator[Receiver]:
    for receivers in serve("slack"):
        yield receivers["slack"]


def steps() -> dict[str, str]:
    """The notify job's shell steps by name (the one that runs notify is named by its command)."""
    job = yaml.safe_load(WORKFLOW.read_text())["jobs"]["notify"]
    return {step.get("name", step.get("run", "")): step["run"] for step in job["steps"] if "run" in step}


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.org", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def job(origin: Path, sha: str, work: Path, slack: Receiver) -> subprocess.CompletedProcess[str]:
    """The notify job for the deployed commit `sha`: checked out as actions/checkout would, then its steps."""
    subprocess.run(["git", "clone", "--quiet", str(origin), str(work)], check=True)
    git(work, "checkout", "--quiet", sha)
    temp = work.parent / f"{work.name}-temp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env |= {"GITHUB_REF_NAME": "main", "RUNNER_TEMP": str(temp), "SLACK_WEBHOOK_URL": slack.url}
    shown = steps()
    notify = f"{sys.executable} -m statuspage notify --now {NOW}"
    assert "statuspage notify" in shown  # the step the line above stands in for, with the test's time
    script = "\n".join(["set -e", shown["Take the newest ledger from the branch"], notify])
    ran = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    return subprocess.run(
        ["bash", "-e", "-c", shown["Commit the ledger"]], cwd=work, env=env, capture_output=True, text=True
    )


def titles(slack: Receiver) -> list[str]:
    return [body["blocks"][0]["text"]["text"] for body in slack.bodies()]


def repositories(tmp_path: Path) -> tuple[Path, Path]:
    """A bare `origin` whose main branch has a site with one incident, and a clone of it to work in."""
    origin, dev = tmp_path / "origin.git", tmp_path / "dev"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(origin)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(origin), str(dev)], check=True)
    (dev / "statuspage.toml").write_text(CONFIG + CHANNEL)
    (dev / "incidents").mkdir()
    (dev / "incidents/2026-03-20-login-down.md").write_text(textwrap.dedent(LOGIN_NOTE).lstrip())
    git(dev, "add", ".")
    git(dev, "commit", "--quiet", "-m", "Login incident")
    git(dev, "push", "--quiet", "origin", "HEAD:main")
    return origin, dev


def test_the_job_announces_the_deployed_commit_and_records_on_the_branch(tmp_path: Path, slack: Receiver) -> None:
    origin, dev = repositories(tmp_path)
    deployed = git(dev, "rev-parse", "HEAD")
    # While that deploy runs, someone posts another incident: the branch moves on.
    (dev / "incidents/2026-03-20-api-slow.md").write_text(textwrap.dedent(API_NOTE).lstrip())
    git(dev, "add", ".")
    git(dev, "commit", "--quiet", "-m", "API incident")
    git(dev, "push", "--quiet", "origin", "HEAD:main")

    first = job(origin, deployed, tmp_path / "job1", slack)
    assert first.returncode == 0, first.stderr
    # Only what the deployed site shows: the API incident is announced once its own deploy is live.
    assert titles(slack) == [
        "Investigating: Login page offline",
        "Identified: Login page offline",
        "Resolved: Login page offline",
    ]
    git(dev, "pull", "--quiet", "origin", "main")
    assert git(dev, "log", "--format=%s", "-3").splitlines() == [
        "Record the status updates announced [skip ci]",
        "API incident",
        "Login incident",
    ]
    assert sorted(json.loads((dev / "notify.json").read_text())["channels"]["ops"]["sent"]) == [
        "2026-03-20-login-down#update-20260320T1005Z",
        "2026-03-20-login-down#update-20260320T1020Z",
        "2026-03-20-login-down#update-20260320T1040Z",
    ]

    second = job(origin, git(dev, "rev-parse", "HEAD~1"), tmp_path / "job2", slack)  # the API incident's deploy
    assert second.returncode == 0, second.stderr
    assert titles(slack)[3:] == ["Investigating: Slow API responses"]


def test_the_job_does_not_overwrite_a_ledger_changed_meanwhile(tmp_path: Path) -> None:
    origin, dev = repositories(tmp_path)
    work = tmp_path / "job"
    subprocess.run(["git", "clone", "--quiet", str(origin), str(work)], check=True)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = os.environ | {"GITHUB_REF_NAME": "main", "RUNNER_TEMP": str(temp)}
    shown = steps()
    subprocess.run(["bash", "-e", "-c", shown["Take the newest ledger from the branch"]], cwd=work, env=env, check=True)
    (work / "notify.json").write_text('{"version": 1, "channels": {}}\n')  # what this run sent
    # Meanwhile someone records a backlog as announced (`notify --mark-sent`) and pushes it.
    (dev / "notify.json").write_text('{"version": 1, "channels": {"ops": {"since": "…", "sent": {}}}}\n')
    git(dev, "add", ".")
    git(dev, "commit", "--quiet", "-m", "Mark the backlog sent")
    git(dev, "push", "--quiet", "origin", "HEAD:main")
    commit = subprocess.run(
        ["bash", "-e", "-c", shown["Commit the ledger"]], cwd=work, env=env, capture_output=True, text=True
    )
    assert commit.returncode == 1
    assert "notify.json changed on the branch while this run sent; not overwritten" in commit.stdout
    assert git(dev, "ls-remote", "origin", "main").split()[0] == git(dev, "rev-parse", "HEAD")
