"""Drafts (`draft: true`): never shown anywhere, listed by `statuspage list`, published by a person;
and `statuspage probe --open-incident`, which writes one when a probe confirms a component down."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import CONFIG, Site
from fixtures.servers import http_server

from statuspage import config as config_module
from statuspage.probes.incidents import IncidentOpener
from statuspage.probes.runner import Runner

DRAFT = """\
---
title: Database failover
draft: true
components:
  api: major_outage
---

## 2026-03-20 10:05 · Investigating
The primary database stopped answering.
"""


def every_output(site: Site) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(site.out.rglob("*")) if p.is_file())


def test_a_draft_is_never_shown_anywhere(site: Site) -> None:
    site.note("2026-03-20-failover.md", DRAFT)
    result = site.build()
    assert result.code == 0, result.err
    everything = every_output(site)
    assert b"failover" not in everything.lower()
    assert b"The primary database" not in everything
    summary = json.loads((site.out / "api" / "v2" / "summary.json").read_bytes())
    assert summary["status"]["indicator"] == "none"
    assert {c["id"]: c["status"] for c in summary["components"]}["api"] == "operational"


def test_a_draft_is_listed_and_validated(site: Site) -> None:
    site.note("2026-03-20-failover.md", DRAFT)
    listed = site.run("list", "--config", str(site.config_path), "--now", "2026-03-20T12:00+01:00")
    assert listed.code == 0
    assert "2026-03-20-failover" in listed.out and "Draft: Investigating" in listed.out
    site.note("2026-03-20-failover.md", DRAFT.replace("draft: true", "draft: maybe"))
    checked = site.check()
    assert checked.code == 1 and "draft: expected true/false" in checked.err


def test_a_person_posting_to_a_draft_publishes_it_and_keeps_the_rest_byte_for_byte(site: Site) -> None:
    path = site.note("2026-03-20-failover.md", DRAFT)
    result = site.run(
        "update", "2026-03-20-failover", "--config", str(site.config_path),
        "--status", "identified", "-m", "Failing over to the replica.", "--now", "2026-03-20T10:30+01:00",
    )  # fmt: skip
    assert result.code == 0, result.err
    text = path.read_text()
    assert "draft:" not in text
    assert text.replace("## 2026-03-20 10:30 · Identified\nFailing over to the replica.\n\n", "") == DRAFT.replace(
        "draft: true\n", ""
    )
    site.build()
    assert b"Database failover" in (site.out / "index.html").read_bytes()


def _opener_site(site: Site, url: str) -> Path:
    text = CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {{ type = "http", url = "{url}/" }}\n')
    return site.config(text)


def test_open_incident_writes_a_draft_when_down_and_resolves_it_when_up(site: Site) -> None:
    with http_server() as (url, cue, _):
        config_path = _opener_site(site, url)
        config, _ = config_module.load(config_path)
        opener = IncidentOpener(config_path)
        runner = Runner(config, dict(os.environ), "ci", opener, pause=0.01)

        cue.status = 500
        runner.run(once=True)
        [draft] = sorted((site.root / "incidents").glob("*.md"))
        first = draft.read_text()
        assert "draft: true" in first
        assert "title: API is down" in first and "api: major_outage" in first
        assert "Detected by monitoring at" in first and "from ci: http://127.0.0.1: HTTP 500, expected 200." in first

        runner.run(once=True)  # still down: no second draft
        assert len(list((site.root / "incidents").glob("*.md"))) == 1

        cue.status = 200
        runner.run(once=True)
        resolved = draft.read_text()
        assert "draft: true" in resolved  # monitoring never publishes
        assert "· Resolved" in resolved and "Monitoring sees API up again since" in resolved

        listed = site.run("list", "--config", str(config_path))
        assert "Draft: Resolved" in listed.out
        site.build(now=None)
        assert b"API is down" not in every_output(site)

        cue.status = 500  # down again the same day: a new draft, in a file of its own
        runner.run(once=True)
    assert len(list((site.root / "incidents").glob("*.md"))) == 2


def test_open_incident_leaves_a_published_incident_to_people(site: Site) -> None:
    with http_server() as (url, cue, _):
        config_path = _opener_site(site, url)
        site.note(
            "2026-03-20-api.md", DRAFT.replace("draft: true\n", "").replace("2026-03-20 10:05", "2020-01-01 10:05")
        )
        config, _ = config_module.load(config_path)
        runner = Runner(config, dict(os.environ), "ci", IncidentOpener(config_path), pause=0.01)
        cue.status = 500
        runner.run(once=True)
        cue.status = 200
        runner.run(once=True)
    [note] = (site.root / "incidents").glob("*.md")
    assert "Resolved" not in note.read_text()
