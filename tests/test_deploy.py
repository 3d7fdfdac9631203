"""A first deploy that works: the workflows lint clean, and what `init` writes installs the
released distribution and builds the site in a fresh virtual environment.

The install is offline: a wheelhouse (`STATUSPAGE_WHEELHOUSE`, which `.ci/run` fills with the
dependencies' wheels) stands in for PyPI through `pip --no-index --find-links`, and this
checkout's own wheel is built into it, as the release workflow builds the one it publishes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, actionlint, text_of, unavailable

from statuspage import __version__
from statuspage.cli import main

NOW = "2026-03-14T10:00Z"


def new_site(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "site"), "--now", NOW, "-q"]) == 0
    return tmp_path / "site"


def test_the_workflows_pass_actionlint(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    result = actionlint(site / ".github/workflows/statuspage.yml", *sorted((ROOT / ".github/workflows").glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_is_not_blind(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n"
    )
    assert actionlint(broken).returncode != 0


def test_requirements_pin_the_distribution_at_the_running_version(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    pins = [line for line in (site / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert pins == [f"{name}=={__version__}"]
    assert name != "statuspage"  # that name on PyPI belongs to an unrelated project


def test_the_release_workflow_builds_and_publishes_on_a_tag() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as true
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no stored token
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    assert any(step.get("run") == "python -m build" for step in workflow["jobs"]["build"]["steps"])


@pytest.mark.slow
def test_the_generated_workflow_installs_and_builds_offline(tmp_path: Path) -> None:
    wheelhouse = os.environ.get("STATUSPAGE_WHEELHOUSE")
    if not wheelhouse or not Path(wheelhouse).is_dir():
        unavailable("no STATUSPAGE_WHEELHOUSE with the dependencies' wheels (.ci/run makes one)")
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": f"{wheelhouse} {tmp_path / 'dist'}", "PIP_NO_CACHE_DIR": "1"}
    # The wheel the release workflow would publish, built from this checkout without the network.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, **offline},
        timeout=300,
    )
    site = new_site(tmp_path)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=120)
    workflow = yaml.safe_load((site / ".github/workflows/statuspage.yml").read_text())
    steps = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert steps[:2] == ["pip install -r requirements.txt", "statuspage build"]
    bin_dir = tmp_path / "venv" / "bin"
    environment = {**os.environ, **offline, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("PYTHONPATH", None)
    environment["VIRTUAL_ENV"] = str(tmp_path / "venv")
    for command in steps[:2]:
        done = subprocess.run(
            ["bash", "-c", command], cwd=site, env=environment, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    installed = subprocess.run(
        [str(bin_dir / "statuspage"), "--version"], capture_output=True, text=True, env=environment, timeout=60
    )
    assert installed.stdout.strip() == f"statuspage {__version__}"
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import statuspage; print(statuspage.__file__)"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert str(tmp_path / "venv") in located.stdout  # the installed wheel, not this checkout
    page = BeautifulSoup((site / "site/index.html").read_bytes(), "html5lib")
    assert text_of(page.select_one("#banner-text")) == "All Systems Operational"
