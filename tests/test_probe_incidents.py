"""`statuspage probe --open-incident` reads the notes once a run, and again only when one changed,
however many checks it follows; what it decides stays right when a person edits a note."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CONFIG, Site
from fixtures.servers import http_server

from statuspage import config as config_module
from statuspage.notes import load as notes_load
from statuspage.probes import incidents
from statuspage.probes.incidents import IncidentOpener
from statuspage.probes.runner import Runner

OPEN_BY_A_PERSON = """\
---
title: API errors
components:
  api: partial_outage
---

## 2020-01-01 10:05 · Investigating
We are looking into it.
"""


def test_the_notes_are_read_once_and_again_only_when_one_changed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        incidents, "RACY_NS", 0, raising=False
    )  # no file here is modified within a clock tick of a read
    reads: list[Path] = []
    real = notes_load.load
    monkeypatch.setattr(notes_load, "load", lambda config, *rest: reads.append(config.root) or real(config, *rest))
    notes = site.root / "incidents"
    with http_server() as (url, cue, _):
        config_path = site.config(
            CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {{ type = "http", url = "{url}/" }}\n')
        )
        config, _ = config_module.load(config_path)
        runner = Runner(config, dict(os.environ), "ci", IncidentOpener(config_path), pause=0.01)
        for _ in range(5):
            runner.run(once=True)
        assert len(reads) == 1  # five checks, nothing to do, one read

        cue.status = 500
        for _ in range(3):
            runner.run(once=True)
        [draft] = notes.glob("*.md")
        assert len(reads) == 2  # the draft it wrote is a change: read once more, then no more

        cue.status = 200
        runner.run(once=True)
        assert "· Resolved" in draft.read_text() and len(reads) == 2
        runner.run(once=True)
        assert len(reads) == 3  # its own resolution changed the note

        # A person opens an incident for the API by hand: seen at the next check, so no draft.
        site.note("2020-01-01-api-errors.md", OPEN_BY_A_PERSON)
        cue.status = 500
        runner.run(once=True)
        runner.run(once=True)
    assert len(reads) == 4
    assert sorted(p.name for p in notes.glob("*.md")) == sorted([draft.name, "2020-01-01-api-errors.md"])
