"""A status page that cannot lie by accident: the typos that used to make it lie, and what each
one gives now, with the exact words a person sees."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import CONFIG, NOW, Site, text_of

RESOLVED_WITH_A_TYPO = """
---
title: Login page offline
components:
  login: major_outage
---
## 2026-03-14 09:41 · Resolved
Working normally again.

## 2027-03-14 09:20 · Monitoring
A fix is out.

## 2026-03-14 09:05 · Investigating
Some users cannot log in.
"""


def api(site: Site, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((site.out / "api/v2" / name).read_bytes())


def test_an_update_dated_after_now_is_not_posted(site: Site) -> None:
    site.note("2026-03-14-login.md", RESOLVED_WITH_A_TYPO)
    run = site.build()
    assert run.code == 0
    assert run.err.splitlines()[:2] == [
        "incidents/2026-03-14-login.md:9: warning: dated 2027-03-14 09:20, after the update on line 6 above it "
        "(2026-03-14 09:41), but this note lists its updates newest first: check the order or the date",
        "incidents/2026-03-14-login.md:9: warning: dated 2027-03-14 09:20, 358 days after now: a typo? It will appear then",
    ]
    assert text_of(site.html().select_one("#banner-text")) == "All Systems Operational"
    assert api(site, "status.json")["status"]["indicator"] == "none"
    page = site.html("incidents/2026-03-14-login/index.html")
    assert [text_of(u.select_one(".update-status")) for u in page.select(".timeline .update")] == [
        "Resolved",
        "Investigating",
    ]
    (incident,) = api(site, "incidents.json")["incidents"]
    assert (incident["status"], [u["status"] for u in incident["incident_updates"]]) == (
        "resolved",
        ["resolved", "investigating"],
    )
    titles = [e.title for e in feedparser.parse((site.out / "history.atom").read_bytes()).entries]
    assert titles == ["Resolved: Login page offline", "Investigating: Login page offline"]


def test_a_future_update_counts_from_its_time_on(site: Site) -> None:
    """A note can be prepared ahead: the Monitoring post re-opens the incident once its time comes."""
    site.note("2026-03-14-login.md", RESOLVED_WITH_A_TYPO)
    assert site.build(now="2027-03-14T10:00:00+01:00").code == 0
    assert api(site, "status.json")["status"]["indicator"] == "critical"
    (ongoing,) = api(site, "incidents/unresolved.json")["incidents"]
    assert ongoing["status"] == "monitoring"


def test_the_same_typo_on_the_resolved_heading_keeps_it_open_and_says_so(site: Site) -> None:
    site.note(
        "2026-03-20-login.md",
        RESOLVED_WITH_A_TYPO.replace("2026-03-14 09:41 · Resolved", "2027-03-20 09:41 · Resolved").replace(
            "2027-03-14 09:20", "2026-03-20 09:20"
        ),
    )
    run = site.build()
    assert "incidents/2026-03-20-login.md:6: warning: dated 2027-03-20 09:41, 364 days after now" in run.err
    # What readers were told so far: Monitoring, an ongoing incident.
    assert [i["status"] for i in api(site, "incidents/unresolved.json")["incidents"]] == ["monitoring"]


def test_future_front_matter_times_are_warned_about_at_their_line(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: A\nstarted: 2026-03-20 09:00\nresolved: 2027-03-20 10:00\n---\n"
        "## 2026-03-20 09:00 · Investigating\nDown.\n",
    )
    site.note("b.md", "---\ntitle: B\nstarted: 2026-04-20 09:00\n---\nDown.\n")
    site.note("c.md", "---\ntitle: C\nstarted: 2026-03-20 09:00\nresolved: 2027-03-20 10:00\n---\nOver.\n")
    assert site.check().err.splitlines()[:3] == [
        "incidents/a.md:4: warning: resolved: 2027-03-20 10:00 is 364 days after now: a typo? The incident stays open until then",
        "incidents/b.md:3: warning: started: 2026-04-20 09:00 is 30 days after now: a typo? It will appear then",
        "incidents/c.md:4: warning: resolved: 2027-03-20 10:00 is 364 days after now: a typo? It will appear then",
    ]
    assert not (site.out / "incidents/b").exists()


def test_updates_out_of_the_notes_order_are_warned_about_with_both_lines(site: Site) -> None:
    site.note(
        "newest-first.md",
        "---\ntitle: N\n---\n## 2026-03-14 09:41 · Resolved\nOk.\n\n## 2026-03-14 09:50 · Identified\nCause.\n\n"
        "## 2026-03-14 09:05 · Investigating\nLooking.\n",
    )
    site.note(
        "oldest-first.md",
        "---\ntitle: O\n---\n## 2026-03-14 09:05 · Investigating\nLooking.\n\n## 2026-03-14 09:00 · Identified\nCause.\n\n"
        "## 2026-03-14 09:41 · Resolved\nOk.\n",
    )
    assert site.check().err.splitlines()[:2] == [
        "incidents/newest-first.md:7: warning: dated 2026-03-14 09:50, after the update on line 4 above it "
        "(2026-03-14 09:41), but this note lists its updates newest first: check the order or the date",
        "incidents/oldest-first.md:7: warning: dated 2026-03-14 09:00, before the update on line 4 above it "
        "(2026-03-14 09:05), but this note lists its updates oldest first: check the order or the date",
    ]


def test_a_heading_at_another_level_that_reads_like_an_update(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: A\ncomponents:\n  login: major_outage\n---\n## 2026-03-14 09:41 · Resolved\nOk.\n\n"
        "# 2026-03-14 09:20 · Monitoring (login: degraded_performance)\nBetter.\n\n"
        "### 2026-03-14 09:10 - identified\nCause.\n\n```\n# 2026-03-14 09:00 · In code\n```\n\n"
        "## 2026-03-14 09:05 · Investigating\nLooking.\n",
    )
    assert site.check().err.splitlines()[:2] == [
        "incidents/a.md:9: warning: this heading reads like an update, but updates use '##': "
        "'## 2026-03-14 09:20 · Monitoring (login: degraded_performance)'",
        "incidents/a.md:12: warning: this heading reads like an update, but updates use '##': "
        "'## 2026-03-14 09:10 - identified'",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "## 2026-03-14 09:05 · Resolvd\nOk.",
            "incidents/a.md:4: unknown incident status 'Resolvd'; did you mean 'Resolved'?",
        ),
        (
            "## 2026-03-14 09:05 · Investigating (logn: major_outage)\nOk.",
            "incidents/a.md:4: unknown component 'logn'; did you mean 'login'?",
        ),
        (
            "## 2026-03-14 09:05 · Investigating (login: major_outgae)\nOk.",
            "incidents/a.md:4: unknown component status 'major_outgae'; did you mean 'major_outage'?",
        ),
        (
            "## 2026-03-14 09:05 · Fixing\nOk.",
            "incidents/a.md:4: unknown incident status 'Fixing'; "
            "use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem",
        ),
    ],
)
def test_near_misses_get_did_you_mean(site: Site, body: str, message: str) -> None:
    site.note("a.md", f"---\ntitle: A\n---\n{body}\n")
    assert site.check().err.splitlines()[0] == message


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "title: Login: down",
            'incidents/a.md:2: the front matter is not valid YAML: mapping values are not allowed here; a value with ": " '
            'in it needs quotes, like title: "Login: down"',
        ),
        (
            "title: `cmd` broke",
            "incidents/a.md:2: the front matter is not valid YAML: found character '`' that cannot start any token; "
            'a value that starts with ` needs quotes, like "`cmd` broke"',
        ),
        (
            "title: [DB] upgrade",
            "incidents/a.md:2: the front matter is not valid YAML: expected <block end>, but found '<scalar>'; "
            "a value that starts with [ is read as a list or a table; put it in quotes",
        ),
        (
            'title: "Login down',
            "incidents/a.md:2: the front matter is not valid YAML: found unexpected end of stream; "
            "a quoted value is not closed; add the closing quote",
        ),
        (
            "title: T\ncomponents:\n  login: major_outage\n   api: major_outage",
            "incidents/a.md:5: the front matter is not valid YAML: mapping values are not allowed here; "
            "check the indentation; a field's lines start where its name does",
        ),
    ],
)
def test_yaml_errors_say_what_to_do(site: Site, front: str, message: str) -> None:
    site.note("a.md", f"---\n{front}\n---\n## 2026-03-14 09:05 · Investigating\nDown.\n")
    assert site.check().err.splitlines()[0] == message


def test_a_note_without_its_closing_fence_says_so(site: Site) -> None:
    site.note("a.md", "---\ntitle: T\n## 2026-03-14 09:05 · Investigating\nDown.\n")
    assert site.check().err.splitlines()[0] == (
        "incidents/a.md:1: the front matter opened on line 1 is never closed; add a line '---' after it"
    )


def test_strict_mode_turns_warnings_into_errors(site: Site) -> None:
    site.note("2026-03-14-login.md", RESOLVED_WITH_A_TYPO)
    assert site.build().code == 0
    before = (site.out / "index.html").read_bytes()
    site.note("a.md", "---\ntitle: A\ntitel: typo\n---\n## 2026-03-14 09:05 · Investigating\nDown.\n")
    for run in (site.check("--strict"), site.build("--strict")):
        assert run.code == 1
        assert run.err.splitlines() == [
            "incidents/2026-03-14-login.md:9: dated 2027-03-14 09:20, after the update on line 6 above it "
            "(2026-03-14 09:41), but this note lists its updates newest first: check the order or the date",
            "incidents/2026-03-14-login.md:9: dated 2027-03-14 09:20, 358 days after now: a typo? It will appear then",
            "incidents/a.md:3: titel: unknown setting, ignored; did you mean 'title'?",
            "3 warnings in strict mode; nothing was written.",
        ]
    assert (site.out / "index.html").read_bytes() == before
    site.config_path.write_text("strict = true\n" + CONFIG, encoding="utf-8")
    assert site.check().code == 1
    assert site.build().code == 1


def test_lint_images_without_alt_text_and_links_to_nowhere(site: Site) -> None:
    (site.root / "static" / "images").mkdir(parents=True)
    (site.root / "static" / "images" / "graph.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.note(
        "2026-03-14-login.md",
        "---\ntitle: Login\n---\n## 2026-03-14 09:41 · Resolved\nSee ![Error rate](../../images/graph.svg),\n"
        "the [history](../../history/), [the API outage](../2026-03-13-api/) and [docs](https://docs.example/).\n\n"
        "![](../../images/graph.svg)\n\n<img src=x>\n\nMore in [the runbook](runbook.md).\n\n"
        "## 2026-03-14 09:05 · Investigating\nDown.\n",
    )
    site.note("2026-03-13-api.md", "---\ntitle: API\n---\n## 2026-03-13 09:05 · Resolved\nFixed.\n")
    run = site.build()
    assert run.code == 0
    assert run.err.splitlines()[:4] == [
        "incidents/2026-03-14-login.md:8: warning: the image ../../images/graph.svg has no alt text; describe it for "
        "people who cannot see it, like ![Error rate during the outage](../../images/graph.svg)",
        "incidents/2026-03-14-login.md:10: warning: the image x has no alt text; describe it for people who cannot "
        "see it, like ![Error rate during the outage](x)",
        "incidents/2026-03-14-login.md:10: warning: shows the image x, which is not in the built site "
        "(incidents/2026-03-14-login/x); fix the address, or put the file in static/",
        "incidents/2026-03-14-login.md:12: warning: links to runbook.md, which is not in the built site "
        "(incidents/2026-03-14-login/runbook.md); fix the address, or put the file in static/",
    ]
    assert run.err.splitlines()[4].startswith("Built ")  # nothing about the good image, the history, the other page
    assert (site.out / "images/graph.svg").is_file()
    page = site.html("incidents/2026-03-14-login/index.html")
    assert all(img.has_attr("alt") for img in page.select(".body img"))  # valid pages, whatever the note


def test_lint_reads_absolute_links_to_our_own_host_like_relative_ones(site: Site) -> None:
    """Links to other sites are never looked up (not even resolved); links to this site by its
    full address are checked against the built site like relative ones."""
    site.note(
        "2026-03-14-login.md",
        "---\ntitle: Login\n---\n## 2026-03-14 09:41 · Resolved\nSee [the history](https://status.test/history/),\n"
        "[a lost page](https://status.test/incidents/lost/), [another site](https://other.test/incidents/lost/),\n"
        "[plain http](http://status.test/nowhere) and [a mail](mailto:ops@status.test).\n",
    )
    run = site.build()
    assert run.code == 0
    assert [line for line in run.err.splitlines() if "warning" in line] == [
        "incidents/2026-03-14-login.md:6: warning: links to https://status.test/incidents/lost/, which is not in the "
        "built site (incidents/lost/); fix the address, or put the file in static/",
        "incidents/2026-03-14-login.md:7: warning: links to http://status.test/nowhere, which is not in the built "
        "site (nowhere); fix the address, or put the file in static/",
    ]


def test_lint_in_one_process_asks_again_what_the_site_holds_and_where_it_is(site: Site) -> None:
    """The references worth a look are kept between builds in one process (the preview's), but
    whether the site has a file there is asked on every build, and a new address looks anew."""
    site.note(
        "2026-03-14-login.md",
        "---\ntitle: Login\n---\n## 2026-03-14 09:41 · Resolved\nSee [the API outage](../2026-03-13-api/)\n"
        "and [a lost page](https://status.test/incidents/lost/).\n",
    )
    api = site.note("2026-03-13-api.md", "---\ntitle: API\n---\n## 2026-03-13 09:05 · Resolved\nFixed.\n")
    lost = (
        "incidents/2026-03-14-login.md:6: warning: links to https://status.test/incidents/lost/, which is not in the "
        "built site (incidents/lost/); fix the address, or put the file in static/"
    )
    gone = (
        "incidents/2026-03-14-login.md:5: warning: links to ../2026-03-13-api/, which is not in the built site "
        "(incidents/2026-03-13-api/); fix the address, or put the file in static/"
    )

    def warned() -> list[str]:
        run = site.build()
        assert run.code == 0
        return [line for line in run.err.splitlines() if "warning" in line]

    assert warned() == [lost]
    api.unlink()
    assert warned() == [gone, lost]
    site.config(CONFIG.replace('url = "https://status.test/"', 'url = "https://status.example/"'))
    assert warned() == [gone]  # status.test is another site now


def test_a_static_file_may_not_take_a_pages_path(site: Site) -> None:
    (site.root / "static").mkdir()
    (site.root / "static" / "index.html").write_text("mine")
    run = site.build()
    assert (run.code, run.err.splitlines()[-1]) == (
        1,
        "error: two outputs want the same path index.html; a file in static/ has the path of a page",
    )


def test_posting_ahead_of_the_clock_needs_yes(site: Site) -> None:
    ahead = "2099-03-14T09:00:00+01:00"
    run = site.run("new", "Login offline", "-m", "Down.", "--config", str(site.config_path), "--now", ahead)
    assert run.code == 1
    assert run.err.splitlines()[-1].startswith("error: --now 2099-03-14 09:00 CET is ") and run.err.splitlines()[
        -1
    ].endswith(
        "days after the current time, so the update would not appear on the site until then; pass --yes to post it ahead"
    )
    assert not (site.root / "incidents").exists()
    run = site.run("new", "Login offline", "-m", "Down.", "--config", str(site.config_path), "--now", ahead, "--yes")
    assert run.code == 0
    assert "Posted Investigating at 2099-03-14 09:00 CET. It is dated " in run.err
    assert "days ahead: it appears on the site then." in run.err


def test_quiet_posting_prints_nothing(site: Site) -> None:
    run = site.run("new", "Login offline", "-m", "Down.", "--config", str(site.config_path), "--now", NOW, "-q")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_maintenance_ending_before_it_starts_names_the_flags(site: Site) -> None:
    run = site.run(
        "new", "Upgrade", "--maintenance", "--start", "2026-03-24 22:00", "--end", "2026-03-24 21:00", "-m", "x",
        "--config", str(site.config_path), "--now", NOW,
    )  # fmt: skip
    assert (run.code, run.err) == (
        1,
        "error: --end 2026-03-24 21:00 CET is not after --start 2026-03-24 22:00 CET; the maintenance must end after it starts\n",
    )


def test_a_slug_with_a_typo_gets_did_you_mean(site: Site) -> None:
    site.note("2026-03-14-login-page-offline.md", RESOLVED_WITH_A_TYPO.replace("2027", "2026"))
    run = site.run("update", "logn", "-m", "x", "--config", str(site.config_path), "--now", NOW)
    assert (run.code, run.err) == (
        1,
        "error: no note in incidents/ matches 'logn'; did you mean 2026-03-14-login-page-offline?\n",
    )


def test_serve_refuses_a_port_that_is_not_one(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    from statuspage.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--config", str(site.config_path), "--port", "99999"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "statuspage serve: error: argument --port: '99999' is not a port; use a number from 1 to 65535, or 0 for any free one"
    )


def test_the_rss_description_is_escaped_once(site: Site) -> None:
    site.config_path.write_text(
        CONFIG.replace('title = "Test Status"', 'title = "Test Status"\ndescription = "Acme\'s & friends"')
    )
    assert site.build().code == 0
    parsed = feedparser.parse((site.out / "history.rss").read_bytes())
    assert parsed.feed.subtitle == "Acme's &amp; friends"  # HTML, as RSS readers show it: "Acme's & friends"
    assert b"&amp;#x27;" not in (site.out / "history.rss").read_bytes()


def test_maintenance_feed_entries_say_the_window(site: Site) -> None:
    site.note(
        "2026-03-24-upgrade.md",
        "---\ntitle: Upgrade\nkind: maintenance\nscheduled: 2026-03-24 22:00\nuntil: 2026-03-24 23:00\n"
        "components: [api]\n---\n## 2026-03-18 10:00 · Scheduled\nRead-only.\n",
    )
    assert site.build().code == 0
    (entry,) = feedparser.parse((site.out / "history.atom").read_bytes()).entries
    assert entry.content[0].value.startswith("<p>Scheduled for Mar 24, 2026, 22:00 CET – Mar 24, 2026, 23:00 CET</p>")


def test_api_documents_are_safe_to_embed(site: Site) -> None:
    site.note("2026-03-20-a.md", "---\ntitle: </script><b>API</b> & co\n---\n## 2026-03-20 10:00 · Investigating\nx\n")
    assert site.build().code == 0
    raw = (site.out / "api/v2/summary.json").read_bytes()
    assert b"<" not in raw and b">" not in raw and b"&" not in raw
    assert b"\\u003c/script\\u003e\\u003cb\\u003eAPI\\u003c/b\\u003e \\u0026 co" in raw
    assert json.loads(raw)["incidents"][0]["name"] == "</script><b>API</b> & co"


def test_what_readers_see(site: Site) -> None:
    site.config_path.write_text(
        CONFIG.replace('title = "Test Status"', 'title = "Test Status"\nhomepage = "https://www.test.example/"')
    )
    site.note("2026-03-14-login.md", RESOLVED_WITH_A_TYPO.replace("2027", "2026"))
    assert site.build().code == 0
    page = site.html("incidents/2026-03-14-login/index.html")
    affected = page.select_one(".affected")
    assert text_of(affected) == "Login: Major outage at worst"
    assert not affected.select("[class^=s-]")  # no red: it is over
    assert text_of(page.select_one("header nav a")) == "Back to test.example"
    days = [text_of(h) for h in site.html().select(".day")]
    # Today, the 14th with its incident, and the quiet days between and before, folded.
    assert (
        days
        == [
            "March 20, 2026",  # today has nothing either, but it stands alone: it is today
            "March 15, 2026 – March 19, 2026",
            "March 14, 2026",
            "March 7, 2026 – March 13, 2026",
        ]
        or days[0] == "March 15, 2026 – March 20, 2026"
    )


def test_check_with_strict_in_the_config_and_a_clean_site_passes(site: Site) -> None:
    site.config_path.write_text("strict = true\n" + CONFIG, encoding="utf-8")
    site.note("2026-03-14-login.md", RESOLVED_WITH_A_TYPO.replace("2027", "2026"))
    assert site.check().code == 0


def test_listing_shows_notes_not_posted_yet(site: Site) -> None:
    site.note("2026-04-01-later.md", "---\ntitle: Later\n---\n## 2026-04-01 09:00 · Investigating\nPrepared.\n")
    run = site.run("list", "--config", str(site.config_path), "--now", NOW)
    assert run.out.splitlines()[1].split("  ")[0:2] == ["2026-04-01-later", "Not posted yet"]
