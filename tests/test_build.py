"""End-to-end: scratch sites built through the real CLI, read back with an HTML parser."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import CONFIG, Site, is_embed, snapshot, text_of
from fixtures.notes import API, LOGIN, UPGRADE

from statuspage import __version__

#: A note naming a component the config does not have, and the error it gets.
BROKEN = "---\ntitle: Broken\ncomponents:\n  nope: major_outage\n---\n## 2026-03-20 10:00 · Investigating\n"
BROKEN_ERROR = "incidents/broken.md:4: components.nope: unknown component 'nope'; known components: web, login, api"


@pytest.fixture
def built(site: Site) -> Site:
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-20-api.md", API)
    site.note("2026-03-24-upgrade.md", UPGRADE)
    run = site.build()
    assert run.code == 0, run.err
    return site


def test_every_page_is_built(built: Site) -> None:
    per_component = [
        f"components/{cid}/{name}"
        for cid in ("api", "login", "web")
        for name in ("badge.json", "badge.svg", "embed.html", "feed.json", "history.atom", "history.rss", "index.html")
    ]
    api = [
        f"api/v2/{name}.json"
        for name in (
            "components",
            "incidents",
            "incidents/unresolved",
            "scheduled-maintenances",
            "scheduled-maintenances/active",
            "scheduled-maintenances/upcoming",
            "status",
            "summary",
        )
    ]
    assert sorted(snapshot(built.out)) == sorted(
        [
            ".statuspage",
            "404.html",
            "api/uptime.json",
            *api,
            "badge.json",
            "badge.svg",
            *per_component,
            "embed.js",
            "embed/incident.html",
            "embed/status.html",
            "favicon.png",
            "favicon.svg",
            "feed.json",
            "history.atom",
            "history.rss",
            "history/index.html",
            "incidents/2026-03-14-login/index.html",
            "incidents/2026-03-20-api/index.html",
            "incidents/2026-03-24-upgrade/index.html",
            "index.html",
            "index.md",
            "llms.txt",
            "maintenance.ics",
            "robots.txt",
            "sitemap.xml",
        ]
    )


def test_status_page_shows_the_current_state(built: Site) -> None:
    page = built.html()
    assert text_of(page.select_one(".banner")) == "Partial System Outage As of Mar 20, 2026, 12:00 CET"
    statuses = {text_of(c.select_one("h3, h4")): text_of(c.select_one(".state")) for c in page.select(".component")}
    assert statuses == {"Website": "Operational", "Login": "Operational", "API": "Partial outage"}
    assert text_of(page.select_one(".group-head")) == "Web Operational"
    for component in page.select(".component"):
        assert len(component.select(".bars i")) == 90
    ongoing = page.find(id="ongoing-h").parent
    assert (
        "API errors" in text_of(ongoing)
        and "Identified" in text_of(ongoing)
        and "A replica is failing." in text_of(ongoing)
    )
    assert "Requests are slow." not in text_of(ongoing)  # only the latest update
    upcoming = page.find(id="upcoming-h").parent
    assert "Database upgrade" in text_of(upcoming)
    assert "Mar 24, 2026, 22:00 CET – Mar 24, 2026, 23:00 CET" in text_of(upcoming)


def test_uptime_bars_and_day_table(built: Site) -> None:
    login = next(c for c in built.html().select(".component") if text_of(c.h4) == "Login")
    # 36 minutes of major outage on Mar 14 (a 24-hour day): 1 - 2160/86400 = 97.50 %.
    # The bars end today (Mar 20), so Mar 14 is the 84th of 90; each column's date is set once in the style.
    bars = login.select(".bars i")
    assert '.bars :nth-child(84){--d:"Mar 14"}' in built.html().style.string
    assert bars[83]["data-t"] == "97.50% · Login page offline"
    assert bars[83]["class"] == ["d-major_outage"]
    assert [bar.attrs for bar in bars[84:]] == [{}] * 6  # full days say nothing: the style says "100.00%"
    # No component has a `since`, so the history starts with the site's first note, posted on
    # Mar 14 (days before it are "no data"): 6 days of 24 h and Mar 20's 12 h so far are 561,600 s
    # observed, 2160 s of them down: 1 - 2160/561600 = 0.99615 -> 99.61%.
    assert text_of(login.select_one(".pct")) == "99.61% uptime"
    assert {bar["class"][0] for bar in bars[:83]} == {"d-none"}
    rows = [[text_of(td) for td in tr.select("td")] for tr in login.select("details tbody tr")]
    assert rows == [["Mar 14, 2026", "97.50%", "Major outage", "Login page offline"]]


def test_past_incidents_cover_fourteen_days(built: Site) -> None:
    past = built.html().find(id="past-h").parent
    days = [text_of(h) for h in past.select("h3.day")]
    # Fourteen days, Mar 20 (API) and Mar 14 (login) with their incidents, the quiet runs folded.
    assert days == [
        "March 20, 2026",
        "March 15, 2026 – March 19, 2026",
        "March 14, 2026",
        "March 7, 2026 – March 13, 2026",
    ]
    assert len(past.select("p.none")) == 2
    assert past.select("h3.day")[-1].time["datetime"] == "2026-03-07"  # the oldest of the fourteen


def test_incident_page_has_the_full_timeline(built: Site) -> None:
    page = built.html("incidents/2026-03-14-login/index.html")
    assert text_of(page.h1) == "Login page offline"
    updates = page.select(".timeline .update")
    assert [text_of(u.select_one(".update-head")) for u in updates] == [
        "Resolved Mar 14, 2026, 09:41 CET",
        "Investigating Mar 14, 2026, 09:05 CET",
    ]
    assert updates[0]["id"] == "update-20260314T0841Z"
    assert updates[0].time["datetime"] == "2026-03-14T08:41:00+00:00"
    facts = text_of(page.select_one(".facts"))
    assert "Resolved Mar 14, 2026, 09:41 CET (after 36 minutes)" in facts
    assert "Affected Login: Major outage" in facts


def test_ongoing_incident_page(built: Site) -> None:
    page = built.html("incidents/2026-03-20-api/index.html")
    facts = text_of(page.select_one(".facts"))
    assert "Ongoing for 1 hour Affected" in facts
    assert "Affected API: Partial outage" in facts  # the worst status reached, not the first
    assert text_of(page.select_one(".changes")) == "API: Partial outage"


def test_history_is_paginated_by_month(site: Site) -> None:
    site.config(CONFIG + "[history]\nper_page = 2\n")
    for day in ("2026-01-05", "2026-01-20", "2026-03-02"):
        site.note(f"{day}.md", f"---\ntitle: Incident {day}\nstarted: {day} 10:00\nresolved: {day} 11:00\n---\n")
    assert site.build().code == 0
    first, second = site.html("history/index.html"), site.html("history/2/index.html")
    assert [text_of(s.h2) for s in first.select(".month")] == ["March 2026", "February 2026", "January 2026"]
    assert "No incidents reported." in text_of(first.select(".month")[1])
    assert [text_of(s.h2) for s in second.select(".month")] == ["January 2026"]
    assert [text_of(a) for a in second.select(".line > a")] == ["Incident 2026-01-05"]
    assert second.select_one("a[rel=prev]")["href"] == "../../history/"
    assert first.select_one("a[rel=next]")["href"] == "../history/2/"


def test_internal_links_resolve_when_served_from_a_sub_path(site: Site) -> None:
    site.config(CONFIG.replace("https://status.test/", "https://example.github.io/status/"))
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-24-upgrade.md", UPGRADE)
    assert site.build().code == 0
    base = "https://example.github.io/status/"
    for page in sorted(site.out.rglob("*.html")):
        relative = page.relative_to(site.out).as_posix()
        served_at = base + ("404-anywhere/deep/" if relative == "404.html" else relative)
        for link in site.html(relative).select("a[href]"):
            target = urljoin(served_at, link["href"])
            if not target.startswith(base) or (urlsplit(link["href"]).fragment and link["href"].startswith("#")):
                continue
            path = urlsplit(target).path.removeprefix("/status/")
            resolved = site.out / path / "index.html" if path == "" or path.endswith("/") else site.out / path
            assert resolved.is_file(), f"{relative}: {link['href']} -> {target}"


def test_pages_need_nothing_from_elsewhere_and_one_tiny_script(built: Site) -> None:
    scripts = set()
    for page in built.out.rglob("*.html"):
        path = page.relative_to(built.out).as_posix()
        soup = built.html(path)
        for tag in soup.find_all(src=True):
            assert not urlsplit(tag["src"]).netloc
        for tag in soup.select("link[href]"):
            icon = tag["rel"] == ["icon"] and (tag["href"] == "data:," or not urlsplit(tag["href"]).netloc)
            assert tag["rel"][0] in ("canonical", "alternate") or icon
        assert soup.html["lang"] == "en"
        if is_embed(path):
            assert soup.find_all("script") == []  # an embed has none at all
            continue
        [script] = soup.find_all("script")  # the optional local-time rewrite, inline, the same everywhere
        assert not script.has_attr("src")
        scripts.add(script.string)
    [only] = scripts
    assert len(only.encode()) < 2000


def test_feeds_are_linked_from_every_page(built: Site) -> None:
    for page in built.out.rglob("*.html"):
        if is_embed(page.relative_to(built.out).as_posix()):
            continue
        soup = built.html(page.relative_to(built.out).as_posix())
        alternates = {(link["type"], link["href"]) for link in soup.select('link[rel="alternate"]')}
        assert alternates >= {
            ("application/atom+xml", "https://status.test/history.atom"),
            ("application/rss+xml", "https://status.test/history.rss"),
        }


def test_output_is_deterministic(built: Site, tmp_path: Path) -> None:
    first = snapshot(built.out)
    again = built.build("--out", str(tmp_path / "again"))
    assert again.code == 0
    assert snapshot(tmp_path / "again") == first
    os.environ["SOURCE_DATE_EPOCH"] = "1774004400"  # 2026-03-20 11:00 UTC = 12:00 CET, as NOW
    try:
        assert built.build("--out", str(tmp_path / "epoch"), now=None).code == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert snapshot(tmp_path / "epoch") == first


def test_unchanged_files_keep_their_inode_and_mtime(built: Site) -> None:
    page = built.out / "incidents/2026-03-14-login/index.html"
    before = page.stat()
    built.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    run = built.build()
    assert run.code == 0
    after = page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "A replica failed." in (built.out / "incidents/2026-03-20-api/index.html").read_text()


def test_a_failed_build_leaves_the_site_untouched(built: Site) -> None:
    before = snapshot(built.out)
    built.note("broken.md", BROKEN)
    run = built.build()
    assert run.code == 1
    assert run.err.splitlines() == [
        BROKEN_ERROR,
        "1 error found; nothing was written.",
    ]
    assert "Traceback" not in run.err
    assert snapshot(built.out) == before
    assert sorted(p.name for p in built.root.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def test_check_validates_without_writing(site: Site) -> None:
    site.note("a.md", LOGIN)
    run = site.check()
    assert run.code == 0
    assert run.err.strip() == "OK: statuspage.toml and 1 note are valid."
    assert not site.out.exists()


def test_check_lists_the_configs_warnings_beside_a_notes_errors(site: Site) -> None:
    """Every problem at once: a broken note must not hide a misspelled setting."""
    site.config(CONFIG.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlangauge = "de"'))
    site.note("broken.md", BROKEN)
    run = site.check()
    assert run.code == 1
    assert run.err.splitlines() == [
        BROKEN_ERROR,
        "statuspage.toml: warning: langauge: unknown setting, ignored; did you mean 'language'?",
        "1 error found; nothing was written.",
    ]


def test_the_build_counts_its_notes_in_words(site: Site) -> None:
    site.note("a.md", LOGIN)
    first = site.build()
    assert first.code == 0
    assert re.search(r"^Built \d+ files \(\d+ changed, [\d.]+ kB\) from 1 note into ", first.err, re.M)
    site.note("b.md", LOGIN.replace("Login", "Sign-in"))
    assert " from 2 notes into " in site.build().err


def test_version(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        site.run("--version")
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"statuspage {__version__}"


def test_site_templates_override_and_extend_the_theme(built: Site) -> None:
    templates = built.root / "templates"
    (templates / "custom").mkdir(parents=True)
    (templates / "custom" / "head.html").write_text('<meta name="x-test" content="hook">\n')
    (templates / "base.html").write_text(
        '{% extends "theme/base.html" %}{% block title %}Overridden · {{ super() }}{% endblock %}'
    )
    assert built.build().code == 0
    page = built.html()
    assert page.title.string == "Overridden · Test Status"
    assert page.select_one('meta[name="x-test"]')["content"] == "hook"


def test_an_edited_template_is_used_by_the_next_build_in_the_same_process(built: Site) -> None:
    """Compiled templates are kept in memory between builds (the preview server's rebuilds),
    checked against the source itself: same size and mtime must not fool it."""
    override = built.root / "templates" / "custom" / "head.html"
    override.parent.mkdir(parents=True)
    for word in ("one", "two"):
        override.write_text(f'<meta name="x-test" content="{word}">\n')
        os.utime(override, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
        assert built.build().code == 0
        assert built.html().select_one('meta[name="x-test"]')["content"] == word


def test_template_errors_name_the_file_and_line(built: Site) -> None:
    before = snapshot(built.out)
    (built.root / "templates").mkdir()
    (built.root / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ oops( }}\n{% endblock %}\n"
    )
    run = built.build()
    assert run.code == 1
    assert re.fullmatch(r"error: templates/404\.html:3: template error: .+\n", run.err)
    assert snapshot(built.out) == before


@pytest.mark.parametrize("out", [".", "incidents"])
def test_refuses_to_replace_the_project(built: Site, out: str) -> None:
    run = built.build("--out", out)
    assert run.code == 1
    assert "refusing to build into" in run.err
    assert (built.root / "incidents" / "2026-03-14-login.md").is_file()


def test_refuses_to_replace_a_folder_it_did_not_build(site: Site) -> None:
    other = site.root / "public"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    run = site.build("--out", str(other))
    assert run.code == 1
    assert "already has files not built by statuspage" in run.err
    assert (other / "keep.txt").read_text() == "mine"
