"""`api/uptime.json` checks itself: every figure is re-added from the daily rows it publishes.

The README tells readers to "check it yourself"; these tests do, with arithmetic of their own
(exact fractions from the published weights, floored to two decimals), on the example site,
on a site imported from a Statuspage export, and on a site with probe data, gaps and maintenance.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from conftest import NOW, Site, build_example_site

from statuspage.core.probes import Seen
from statuspage.probes import store
from tests.fixtures import statuspage_documents as docs


def floored(down: Fraction, observed: int) -> float | None:
    return None if observed == 0 else math.floor((1 - down / observed) * 10000) / 100


def recompute(document: dict[str, Any]) -> dict[str, float | None]:
    """Each component's window uptime from its daily rows, checking every row on the way."""
    weights = {status: Fraction(str(weight)) for status, weight in document["weights"].items()}
    windows = {}
    for component in document["components"]:
        down, observed = Fraction(0), 0
        for day in component["days"]:
            length = int((datetime.fromisoformat(day["end"]) - datetime.fromisoformat(day["start"])).total_seconds())
            seconds = day["seconds"]
            # Observed: the day's length less its no data and its maintenance.
            assert day["observed_seconds"] == length - day["no_data_seconds"] - seconds["under_maintenance"], day
            assert day["observed_seconds"] >= 0
            weighted = sum((weights.get(status, Fraction(0)) * secs for status, secs in seconds.items()), Fraction(0))
            assert day["uptime"] == floored(weighted, day["observed_seconds"]), day
            if day["no_data_seconds"] == length:  # a day without data claims nothing
                assert set(seconds.values()) == {0}, day
            down += weighted
            observed += day["observed_seconds"]
        windows[component["id"]] = floored(down, observed)
        assert component["uptime"] == windows[component["id"]], component["id"]
    return windows


def uptime_json(out: Path) -> dict[str, Any]:
    return json.loads((out / "api" / "uptime.json").read_text())


def test_the_example_site_adds_up(tmp_path: Path) -> None:
    document = uptime_json(build_example_site(tmp_path / "site"))
    windows = recompute(document)
    # Webhooks (since 2026-09-15) and the probed website start inside the window: no-data days.
    webhooks = next(c for c in document["components"] if c["id"] == "webhooks")
    first = webhooks["days"][0]
    assert (first["observed_seconds"], first["uptime"], first["no_data_seconds"]) == (0, None, 86400)
    assert windows["webhooks"] == webhooks["uptime"]


def test_an_imported_site_adds_up(site: Site, tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    public = docs.public([docs.LOGIN, docs.FIRST_ERRORS, docs.SECOND_ERRORS], [docs.MAINTENANCE])
    for name, document in public.items():
        (export / name).write_text(json.dumps(document), encoding="utf-8")
    imported = site.run("import", "statuspage", str(export), "--config", str(site.config_path), "--now", NOW)
    assert imported.code == 0, imported.err
    assert site.build().code == 0
    document = uptime_json(site.out)
    recompute(document)
    # No `since`: the days before the first note (in 2026-03) are no data: observed 0, uptime null.
    api = next(c for c in document["components"] if c["id"] == "api")
    before = [d for d in api["days"] if d["date"] < "2026-03-01"]
    assert len(before) == 70
    assert all((d["observed_seconds"], d["no_data_seconds"], d["uptime"]) == (0, 86400, None) for d in before)


def test_a_site_with_probes_gaps_and_maintenance_adds_up(site: Site) -> None:
    probe = '{ type = "http", url = "https://api.test/" }'
    site.config(
        'title = "T"\nurl = "https://status.test/"\ntimezone = "Europe/Berlin"\n\n'
        f'[[components]]\nid = "api"\nname = "API"\nsince = 2026-03-19\nprobe = {probe}\n'
    )
    checks, at = [], datetime(2026, 3, 18, 12, tzinfo=UTC)  # from before `since`
    while at < datetime(2026, 3, 20, 11, tzinfo=UTC):
        down = datetime(2026, 3, 19, 1, 30, tzinfo=UTC) <= at < datetime(2026, 3, 19, 9, 0, tzinfo=UTC)
        if not datetime(2026, 3, 19, 14, tzinfo=UTC) <= at < datetime(2026, 3, 19, 16, tzinfo=UTC):  # a gap
            checks.append(store.Check(at, "ci", Seen.DOWN if down else Seen.UP, 300, 503 if down else 200, 100))
        at += timedelta(minutes=5)
    store.append(site.root / "data" / "probes", "api", checks)
    site.note(
        "2026-03-19-upgrade.md",
        "---\nkind: maintenance\ntitle: Upgrade\nscheduled: 2026-03-19 02:00\nuntil: 2026-03-19 04:00\n"
        "components: [api]\n---\n",
    )
    site.note(
        "2026-03-19-errors.md",
        "---\ntitle: Errors\ncomponents:\n  api: partial_outage\n---\n\n"
        "## 2026-03-19 09:30 · Resolved\nFixed.\n\n## 2026-03-19 03:00 · Investigating\nLooking.\n",
    )
    assert site.build().code == 0
    document = uptime_json(site.out)
    windows = recompute(document)
    day = next(d for d in document["components"][0]["days"] if d["date"] == "2026-03-19")
    # Berlin's 03-19 is 03-18 23:00 to 03-19 23:00 UTC. Maintenance 01:00-03:00 UTC = 7200 s; the
    # gap 13:55-16:00 UTC = 7500 s; down 01:30-09:00 UTC less the maintenance = 03:00-09:00, 21600 s;
    # the note's partial outage (02:00-08:30 UTC) lies inside the maintenance or the probes' outage.
    assert (day["seconds"]["under_maintenance"], day["no_data_seconds"]) == (7200, 7500)
    assert (day["seconds"]["major_outage"], day["seconds"]["partial_outage"]) == (21600, 0)
    # 1 - 21600 / (86400 - 7200 - 7500) = 1 - 21600/71700 = 0.698744 -> 69.87.
    assert (day["observed_seconds"], day["uptime"]) == (71700, 69.87)
    assert windows["api"] == document["components"][0]["uptime"]
