"""A site built by this project, imported from its own api/v2/ (saved files, and served on 127.0.0.1),
builds the same components, incidents, updates, statuses and times; and the config keeps its bytes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from statuspage.cli import main
from tests.conftest import README_NOW, ROOT, build_example_site, snapshot
from tests.fixtures.statuspage_server import Statuspage, serve

DOCUMENTS = ("components.json", "incidents.json", "scheduled-maintenances.json", "summary.json")

#: The example site's settings, and only its first component: the rest must come from the import.
CONFIG = """\
# Acme's new status site.
title = "Acme Status"   # keep this comment
url = "https://status.acme.example/"
timezone = "Europe/Berlin"

[[components]]
id = "website"
name = "Website"
group = "Web"
description = "acme.example and the documentation."
since = 2026-06-01
"""


def comparable(document: Any, names: dict[str, str]) -> Any:
    """A document with ids (which come from file names and component names) replaced by names."""
    if isinstance(document, dict):
        return {
            key: names.get(value, value) if key in ("code", "group_id") else comparable(value, names)
            for key, value in document.items()
            if key not in ("id", "incident_id", "shortlink")
        }
    if isinstance(document, list):
        return [names.get(item, item) if isinstance(item, str) else comparable(item, names) for item in document]
    return document


def documents(site: Path) -> dict[str, Any]:
    found = {name: json.loads((site / "api/v2" / name).read_text()) for name in DOCUMENTS}
    names = {c["id"]: c["name"] for c in found["components.json"]["components"]}
    return {name: comparable(document, names) for name, document in found.items()}


def reimport(tmp_path: Path, source: str) -> Path:
    new = tmp_path / "new"
    new.mkdir()
    (new / "statuspage.toml").write_text(CONFIG)
    assert main(["import", "statuspage", source, "--config", str(new / "statuspage.toml"), "-q"]) == 0
    assert main(["check", "--config", str(new / "statuspage.toml"), "--now", README_NOW, "-q"]) == 0
    assert main(["build", "--config", str(new / "statuspage.toml"), "--now", README_NOW, "-q"]) == 0
    return new


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory.mktemp("example") / "site")


def test_the_example_site_round_trips_through_its_saved_api(tmp_path: Path, original: Path) -> None:
    new = reimport(tmp_path, str(original / "api/v2"))
    assert documents(new / "site") == documents(original)
    assert len(list((new / "incidents").glob("*.md"))) == len(list((ROOT / "incidents").glob("*.md")))


def test_the_example_site_round_trips_through_its_served_api(tmp_path: Path, original: Path) -> None:
    with serve(Statuspage(folder=original)) as fake:
        new = reimport(tmp_path, fake.url)
    assert documents(new / "site") == documents(original)
    assert uptime(new / "site", original) == uptime(original, original)


def uptime(site: Path, original: Path) -> dict[str, list[dict[str, Any]]]:
    """Each component's days: the seconds in each status and the uptime (incident slugs left out).

    Components the original site probes are left out: what machines saw (data/probes/) is no
    part of a Statuspage export, so no import can bring it."""
    probed = {c["name"] for c in json.loads((original / "api/uptime.json").read_text())["components"] if c["probed"]}
    data = json.loads((site / "api/uptime.json").read_text())
    return {
        c["name"]: [{k: v for k, v in d.items() if k != "incidents"} for d in c["days"]]
        for c in data["components"]
        if c["name"] not in probed
    }


def test_a_generated_site_round_trips(tmp_path: Path) -> None:
    """Overlapping incidents, a re-opened one, seconds in times, a maintenance with an outage in it."""
    old = tmp_path / "old"
    (old / "incidents").mkdir(parents=True)
    (old / "statuspage.toml").write_text(
        'title = "Gen"\nurl = "https://gen.test/"\ntimezone = "America/New_York"\n'
        + "".join(f'[[components]]\nid = "c{n}"\nname = "Service {n}"\ngroup = "G{n % 2}"\n' for n in range(4))
    )
    for n in range(12):
        day = 1 + n * 2
        (old / "incidents" / f"2026-02-{day:02d}-n{n}.md").write_text(
            textwrap.dedent(
                f"""\
                ---
                title: Incident {n}
                components:
                  c{n % 4}: {("degraded_performance", "partial_outage", "major_outage")[n % 3]}
                ---

                ## 2026-02-{day:02d} 09:00:{n:02d} · Investigating
                Looking.

                ## 2026-02-{day:02d} 09:30 · Identified (c{(n + 1) % 4}: major_outage)
                Found it.

                ## 2026-02-{day:02d} 10:00 · Resolved
                Fixed.

                ## 2026-02-{day:02d} 10:20 · Investigating
                It came back.

                ## 2026-02-{day:02d} 11:00 · Resolved (c{n % 4}: operational)
                Fixed for good.
                """
            )
        )
    (old / "incidents" / "2026-02-27-window.md").write_text(
        "---\ntitle: Window\nkind: maintenance\nscheduled: 2026-02-27 22:00\nuntil: 2026-02-28 01:00\n"
        "components: [c0, c1]\n---\n\n## 2026-02-20 10:00 · Scheduled\nPlanned.\n\n"
        "## 2026-02-27 22:10 · In progress (c1: major_outage)\nWorse than planned.\n\n"
        "## 2026-02-28 00:30 · Completed\nDone.\n"
    )
    now = "2026-03-10T12:00-05:00"
    assert main(["build", "--config", str(old / "statuspage.toml"), "--now", now, "-q"]) == 0
    new = tmp_path / "new"
    new.mkdir()
    (new / "statuspage.toml").write_text('title = "Gen"\nurl = "https://gen.test/"\ntimezone = "America/New_York"\n'
                                         '[[components]]\nid = "c0"\nname = "Service 0"\ngroup = "G0"\n')  # fmt: skip
    assert main(["import", "statuspage", str(old / "site/api/v2"), "--config", str(new / "statuspage.toml"), "-q"]) == 0
    assert main(["build", "--config", str(new / "statuspage.toml"), "--now", now, "-q"]) == 0
    assert documents(new / "site") == documents(old / "site")


def test_the_config_keeps_every_byte_and_only_gains_tables(
    tmp_path: Path, original: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "statuspage.toml"
    before = CONFIG.replace("\n", "\r\n").rstrip("\r\n").encode()  # CRLF, and no newline at the end
    config.write_bytes(before)
    assert main(["import", "statuspage", str(original / "api/v2"), "--config", str(config)]) == 0
    told = capsys.readouterr()
    assert "  [[components]]\n" in told.out + told.err  # the report echoes the tables, line by line
    assert "\r" not in told.out + told.err
    after = config.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :].decode()
    assert added.startswith("\r\n\r\n# Components found by `statuspage import statuspage`")
    assert "\n" not in added.replace("\r\n", "")
    assert added.count("[[components]]") == 6 and 'id = "website"' not in added
    assert '\r\nid = "rest-api"\r\nname = "REST API"\r\ngroup = "API"\r\ndescription = "api.acme.example"\r\n' in added
    assert "since = 2026-09-15" in added
    unchanged = snapshot(tmp_path)
    assert main(["import", "statuspage", str(original / "api/v2"), "--config", str(config), "-q"]) == 0
    assert snapshot(tmp_path) == unchanged


def test_a_config_that_lists_components_inline_is_refused_with_the_tables_to_add(
    tmp_path: Path, original: Path
) -> None:
    config = tmp_path / "statuspage.toml"
    inline = 'title = "T"\nurl = "https://t.test/"\ncomponents = [{ id = "website", name = "Website" }]\n'
    config.write_text(inline)
    assert main(["import", "statuspage", str(original / "api/v2"), "--config", str(config)]) == 1
    assert config.read_text() == inline
    assert not (tmp_path / "incidents").exists()
