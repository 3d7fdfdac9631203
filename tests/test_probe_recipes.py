"""The recipes in docs/probes.md that keep data/probes/ in git, run as written against a local
remote: every new month and component is committed, and nothing but the checks is."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, actionlint

from statuspage.core.probes import Seen
from statuspage.probes import store

DOCS = (ROOT / "docs" / "probes.md").read_text(encoding="utf-8")
GIT = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT, check=True, capture_output=True, text=True).stdout


def cron_commit() -> str:
    """The cron line's commands after the probe run (the git part)."""
    [line] = re.findall(r"```cron\n(.*?)\n```", DOCS, re.DOTALL)
    commands = line.split(None, 5)[5].split(" && ")
    return " && ".join(c for c in commands if c.startswith("git "))


def actions_commit() -> str:
    """The workflow's "Commit the checks" step."""
    step = DOCS.split("- name: Commit the checks", 1)[1].split("run: |\n", 1)[1]
    return "\n".join(line.strip() for line in step.split("```", 1)[0].splitlines() if line.strip())


def append(site: Path, component: str, at: datetime) -> None:
    store.append(site / "data" / "probes", component, [store.Check(at, "ci", Seen.UP, 300, 200, 80)])


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A site whose data/probes/ is a clone of a (bare, local) data branch."""
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", "-b", "probe-data", str(remote), cwd=tmp_path)
    seed = tmp_path / "seed"
    git("init", "-q", "-b", "probe-data", str(seed), cwd=tmp_path)
    (seed / "README.md").write_text("Checks recorded by statuspage probe.\n")
    git("add", "README.md", cwd=seed)
    git("commit", "-qm", "The data branch", cwd=seed)
    git("push", "-q", str(remote), "probe-data", cwd=seed)
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    git("clone", "-q", "-b", "probe-data", str(remote), str(site / "data" / "probes"), cwd=tmp_path)
    return site


@pytest.mark.parametrize("recipe", ["cron", "actions"])
def test_the_recipe_commits_new_months_and_components_and_nothing_else(clone: Path, recipe: str) -> None:
    command, where = (cron_commit(), clone) if recipe == "cron" else (actions_commit(), clone / "data" / "probes")
    remote = clone.parent / "remote.git"
    for month, component in ((datetime(2026, 3, 31, tzinfo=UTC), "api"), (datetime(2026, 4, 1, tzinfo=UTC), "web")):
        append(clone, component, month)  # a new month file, then a new component's folder too
        subprocess.run(["sh", "-ec", command], cwd=where, env=GIT, check=True, capture_output=True)
    files = git("ls-tree", "-r", "--name-only", "probe-data", cwd=remote).split()
    assert files == ["README.md", "api/2026-03.jsonl", "web/2026-04.jsonl"]
    assert git("status", "--porcelain", cwd=clone / "data" / "probes") == ""


def test_the_documented_workflow_passes_actionlint(tmp_path: Path) -> None:
    [workflow] = re.findall(r"```yaml\n(# \.github/workflows/probe\.yml\n.*?)```", DOCS, re.DOTALL)
    path = tmp_path / ".github" / "workflows" / "probe.yml"
    path.parent.mkdir(parents=True)
    path.write_text(workflow, encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 0, result.stdout + result.stderr
