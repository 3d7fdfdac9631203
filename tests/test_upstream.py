"""Third-party status: a vendor on 127.0.0.1 answering, failing, timing out and changing; the
snapshots it leaves; and the rule that a vendor's trouble is never shown as ours."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONFIG, Site, text_of
from fixtures.vendor import Answer, document, vendor
from hypothesis import example, given, settings
from hypothesis import strategies as st

from statuspage import net
from statuspage.core.config import UpstreamSource
from statuspage.core.model import ComponentStatus, Impact, UpdateStatus
from statuspage.core.upstream import select
from statuspage.upstream import document as summary_document
from statuspage.upstream import fetch

GITHUB = """
[[upstream]]
id = "github"
name = "GitHub"
url = "{url}"
components = ["Git Operations", "Actions", "Pages"]
"""

DEPENDS = CONFIG.replace('id = "login"\nname = "Login"\n', 'id = "login"\nname = "Login"\ndepends_on = ["github"]\n')


@pytest.fixture
def quick_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A timeout of half a second and no pause before the one retry: the tests need not wait 10 s."""
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "RETRY", net.Retry(attempts=2, longest_pause=0.0, total=5.0, first_pause=0.0))


def with_vendor(site: Site, url: str, config: str = DEPENDS) -> None:
    site.config(config + GITHUB.format(url=url))


def vendor_section(site: Site) -> str:
    return text_of(site.html().select_one(".vendor"))


def stored(site: Site) -> list[dict[str, object]]:
    """Every snapshot entry in data/upstream/github/, oldest first."""
    entries = []
    for path in sorted((site.root / "data" / "upstream" / "github").glob("*.json")):
        entries += json.loads(path.read_text())["snapshots"]
    return entries


def test_the_defaults_are_a_ten_second_timeout_and_one_retry() -> None:
    assert fetch.TIMEOUT == 10.0
    assert fetch.RETRY.attempts == 2


@pytest.mark.usefixtures("quick_failures")
def test_answers_then_a_500_then_a_timeout_then_a_changed_summary(site: Site) -> None:
    with vendor(Answer.summary("atlassian-operational", '"v1"')) as github:
        with_vendor(site, github.url)
        first = site.build(now=None)
        assert first.code == 0, first.err
        assert "Operational" in vendor_section(site)
        assert [e["etag"] for e in stored(site)] == ['"v1"']

        github.then(Answer(500, b"upstream connect error"))
        failed = site.build(now=None)
        assert failed.code == 0
        assert "GitHub: could not fetch it (GET http://127.0.0.1: HTTP 500); showing its snapshot as of" in failed.err
        assert github.url not in failed.err  # hosts only, never a full address
        assert "Git Operations Operational" in vendor_section(site)  # the last good snapshot

        github.then(Answer(200, b"{}", '"v3"', delay=2.0))
        timed_out = site.build(now=None)
        assert timed_out.code == 0
        assert "could not fetch it (GET http://127.0.0.1: no answer (timed out))" in timed_out.err
        assert "Git Operations Operational" in vendor_section(site)

        github.then(Answer.summary("atlassian-incident", '"v2"'))
        changed = site.build(now=None)
        assert changed.code == 0, changed.err
        assert github.requests[-1]["If-None-Match"] == '"v1"'  # conditional, with the last good ETag
        section = vendor_section(site)
        assert "Actions Partial outage" in section and "Pages Degraded performance" in section
        assert "Codespaces" not in section  # not asked for, nor its incident
        link = site.html().select_one(".vendor .lines a")
        assert link["href"] == github.url + "incidents/x4ys2pd7c1mz"
        assert text_of(link) == "Disruption with some GitHub services"
        assert [e["etag"] for e in stored(site)] == ['"v1"', '"v2"']

        unchanged = site.build(now=None)  # the same ETag again: a 304, and only `checked` moves
        assert unchanged.code == 0 and "warning" not in unchanged.err
        assert github.requests[-1]["If-None-Match"] == '"v2"'
        assert "Actions Partial outage" in vendor_section(site)
        entries = stored(site)
        assert len(entries) == 2 and entries[-1]["checked"] >= entries[-1]["at"]


@pytest.mark.usefixtures("quick_failures")
def test_a_failed_fetch_shows_the_last_snapshot_as_of_when_it_was_taken(site: Site) -> None:
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        assert site.build(now=None).code == 0
        # Pretend the snapshot was taken three hours ago, then the vendor goes down.
        path = next((site.root / "data" / "upstream" / "github").glob("*.json"))
        data = json.loads(path.read_text())
        taken = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
        data["snapshots"][0]["at"] = data["snapshots"][0]["checked"] = taken.isoformat()
        path.write_text(json.dumps(data))
        github.then(Answer(503, b"down"))
        run = site.build(now=None)
    assert run.code == 0
    head = site.html().select_one(".vendor-head time")
    assert datetime.fromisoformat(head["datetime"]) == taken
    assert "Not confirmed for more than an hour: this is the last status GitHub gave." in vendor_section(site)
    assert "warning: GitHub: could not fetch it" in run.err
    # The component that depends on GitHub says when the trouble was last known.
    assert "Affected by a third party: GitHub (Actions: Partial outage, Pages: Degraded performance)" in text_of(
        site.html().select_one(".component .third-party")
    )


@pytest.mark.usefixtures("quick_failures")
def test_no_snapshot_and_no_vendor_still_builds(site: Site) -> None:
    with vendor(Answer(500, b"")) as github:
        with_vendor(site, github.url)
        run = site.build(now=None)
    assert run.code == 0
    assert "there is no snapshot yet, so its components show as unknown" in run.err
    assert "No status received yet" in vendor_section(site)


def test_an_answer_that_is_not_a_summary_is_a_warning(site: Site) -> None:
    with vendor(Answer(200, b"<html>Maintenance</html>", '"x"')) as github:
        with_vendor(site, github.url)
        run = site.build(now=None)
    assert run.code == 0
    assert "answered with something that is not a Statuspage summary" in run.err
    assert not (site.root / "data" / "upstream" / "github").exists()


def test_a_vendor_never_changes_our_status_banner_api_or_uptime(site: Site, tmp_path: Path) -> None:
    site.note(
        "2026-03-20-api.md",
        """
        ---
        title: API slow
        components:
          api: degraded_performance
        ---
        ## 2026-03-20 11:00 · Investigating
        Slow.
        """,
    )
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        assert site.build(now=None).code == 0  # stores GitHub's major outage
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert site.build("--offline", "--out", str(tmp_path / "with"), now=later).code == 0
    site.config(CONFIG)
    assert site.build("--out", str(tmp_path / "without"), now=later).code == 0
    for name in ("api/v2/summary.json", "api/v2/components.json", "api/uptime.json", "badge.svg", "favicon.svg"):
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name
    html = BeautifulSoup((tmp_path / "with" / "index.html").read_bytes(), "html5lib")
    assert text_of(html.select_one("#banner-text")) == "Partially Degraded Service"
    assert "Actions Partial outage" in text_of(html.select_one(".vendor"))
    # The group's status is ours too: Web holds login, shown beside GitHub's trouble, and is operational.
    assert text_of(html.select_one(".group-head .state")) == "Operational"


def test_depends_on_shows_the_vendor_beside_our_component(site: Site) -> None:
    site.note(
        "2026-03-20-web.md",
        """
        ---
        title: Website down
        components:
          web: major_outage
        ---
        ## 2026-03-20 11:00 · Investigating
        Down.
        """,
    )
    config = DEPENDS.replace(
        'id = "web"\nname = "Website"\n', 'id = "web"\nname = "Website"\ndepends_on = ["github"]\n'
    )
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url, config)
        assert site.build(now=None).code == 0
    html = site.html()
    rows = {
        text_of(c.select_one(".component-head a")): c
        for c in html.select(".component")
        if c.select_one(".component-head a")
    }
    login, web = rows["Login"], rows["Website"]
    # Our notes say login is fine: it is shown as affected by GitHub, never as our outage.
    assert text_of(login.select_one(".state")) == "Affected by a third party"
    assert "s-third_party" in login.select_one(".state")["class"]
    line = login.select_one(".third-party")
    assert [a["href"] for a in line.select("a")] == [github.url, github.url + "incidents/x4ys2pd7c1mz"]
    # Our own outage stays our own, with the vendor's trouble beside it.
    assert text_of(web.select_one(".state")) == "Major outage"
    assert web.select_one(".third-party") is not None
    # The API component depends on nothing and says nothing about GitHub.
    assert rows["API"].select_one(".third-party") is None
    component_page = site.html("components/login/index.html")
    assert "Affected by a third party: GitHub" in text_of(component_page.select_one("main"))
    assert json.loads((site.out / "api/v2/components.json").read_bytes())["components"][2]["status"] == "operational"


def test_offline_asks_nothing_and_reads_the_stored_snapshots(site: Site) -> None:
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        assert site.build(now=None).code == 0
        asked = len(github.requests)
        run = site.build("--offline", now=None)
        assert run.code == 0 and "warning" not in run.err
        assert len(github.requests) == asked == 1
    assert "Actions Partial outage" in vendor_section(site)


def test_a_build_as_of_an_earlier_time_fetches_nothing(site: Site) -> None:
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        assert site.build().code == 0  # the fixed NOW of the tests is months ago
        assert github.requests == []
    assert "No status received yet" in vendor_section(site)


def test_check_reads_snapshots_but_never_fetches(site: Site) -> None:
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        folder = site.root / "data" / "upstream" / "github"
        folder.mkdir(parents=True)
        (folder / "2026-03-19.json").write_text("not json")
        run = site.check()
        assert github.requests == []
    assert run.code == 0
    assert "data/upstream/github/2026-03-19.json: warning: not a snapshot file statuspage wrote; ignored" in run.err


def test_a_misspelt_component_is_named_with_a_suggestion(site: Site) -> None:
    with vendor(Answer.summary("atlassian-operational", '"v1"')) as github:
        site.config(DEPENDS + GITHUB.format(url=github.url).replace('"Pages"', '"Page"'))
        run = site.build(now=None)
    assert run.code == 0
    assert "GitHub has no component or group 'Page' (upstream 'github', components); did you mean 'Pages'?" in run.err


def test_day_bars_come_from_the_snapshots_and_old_days_are_deleted(site: Site) -> None:
    """Each snapshot holds until the next: a 6-hour partial outage on 18 March shows as that day's bar."""
    operational, incident = document("atlassian-operational"), document("atlassian-incident")
    source = UpstreamSource("github", "GitHub", "https://www.githubstatus.com/", ("Actions",))
    folder = site.root / "data" / "upstream" / "github"
    folder.mkdir(parents=True)

    def day(name: str, *entries: tuple[str, dict[str, object]]) -> None:
        snapshots = [
            {"at": at, "checked": at, "etag": None, "summary": summary_document.trim(summary, source)}
            for at, summary in entries
        ]
        (folder / f"{name}.json").write_text(json.dumps({"format": 1, "vendor": "github", "snapshots": snapshots}))

    day("2026-03-15", ("2026-03-15T08:00:00Z", operational))
    day("2026-03-18", ("2026-03-18T06:00:00Z", incident), ("2026-03-18T12:00:00Z", operational))
    site.config(
        DEPENDS + GITHUB.format(url="http://127.0.0.1:9/").replace('"Git Operations", "Actions", "Pages"', '"Actions"')
    )
    assert site.build("--offline").code == 0
    bars = site.html().select(".vendor .bars i")
    assert len(bars) == 90
    # 14 March has no data (before the first snapshot), 18 March the outage, the rest none.
    assert [b.get("class") for b in bars[-7:]] == [["d-none"], None, None, None, ["d-partial_outage"], None, None]
    assert bars[-3]["data-t"] == "92.50%"  # 6 h at partial outage weighs 0.3: 1 - 1.8/24
    assert (site.out / "index.md").read_text().count("`" + "·" * 84 + "███▃██`") == 1
    # A fetch now records today's snapshot and deletes the day files the window no longer shows.
    day("2025-01-01", ("2025-01-01T00:00:00Z", operational))
    with vendor(Answer.summary("atlassian-operational", '"v1"')) as github:
        site.config(site.config_path.read_text().replace("http://127.0.0.1:9/", github.url))
        assert site.build(now=None).code == 0
    assert not (folder / "2025-01-01.json").exists()
    assert (folder / f"{datetime.now(UTC).date().isoformat()}.json").exists()


def test_reading_is_tolerant_of_what_vendors_send() -> None:
    """incident.io's page: a group, unknown values, entries without ids, a time that is none."""
    source = UpstreamSource("linear", "Linear", "https://linearstatus.com/", ("Core product", "API"))
    at = datetime(2026, 11, 28, 13, 50, tzinfo=UTC)
    snapshot = summary_document.parse(document("incidentio-summary"), source, at, at)
    statuses = {c.name: (c.status, c.group) for c in snapshot.components}
    assert statuses == {  # the group is not a component; the entries without an id are skipped
        "Web app": (ComponentStatus.DEGRADED_PERFORMANCE, "Core product"),
        "Sync": (None, "Core product"),  # "full_outage" is not a status we know: unknown
        "API": (ComponentStatus.UNDER_MAINTENANCE, None),
        "Integrations": (ComponentStatus.OPERATIONAL, None),
    }
    assert snapshot.indicator is None  # "maintenance" is not a Statuspage indicator
    by_name = {i.name: i for i in snapshot.incidents}
    assert by_name["Slow loading of issues"].status is UpdateStatus.MONITORING
    assert by_name["Sync delays"].status is None and by_name["Sync delays"].impact is None
    assert by_name["Sync delays"].started is None
    assert by_name["API database upgrade"].maintenance
    assert by_name["Slow loading of issues"].url == "https://linearstatus.com/incidents/01JDX2W5R8B3N6Q9T1V4Y7K0MZ"
    assert by_name["Slow loading of issues"].impact is Impact.MINOR
    trimmed = summary_document.trim(document("incidentio-summary"), source)
    assert {c["name"] for c in trimmed["components"]} == {"Core product", "Web app", "Sync", "API"}
    with pytest.raises(summary_document.NotASummary):
        summary_document.parse({"page": {}}, source, at, at)


def test_values_we_do_not_know_show_as_unknown(site: Site) -> None:
    with vendor(Answer.summary("incidentio-summary", '"io"')) as linear:
        site.config(
            CONFIG
            + f'[[upstream]]\nid = "linear"\nname = "Linear"\nurl = "{linear.url}"\ncomponents = ["Core product"]\n'
        )
        run = site.build(now=None)
    assert run.code == 0 and "warning" not in run.err
    rows = {
        text_of(c.select_one("h5")): text_of(c.select_one(".state")) for c in site.html().select(".vendor .component")
    }
    assert rows == {"Web app": "Degraded performance", "Sync": "Unknown"}
    incidents = [text_of(li) for li in site.html().select(".vendor .lines li")]
    assert incidents[0].startswith("Slow loading of issues Monitoring · since")
    assert incidents[1] == "Sync delays Unknown"  # an unknown status, an unknown impact, no start time
    assert text_of(site.html().select_one("#banner-text")) == "All Systems Operational"  # ours, untouched


def test_config_errors_name_their_key(site: Site) -> None:
    site.config(
        textwrap.dedent(
            """\
            title = "T"
            url = "https://status.test/"
            [[components]]
            id = "web"
            name = "Website"
            group = "Web"
            depends_on = ["githb"]
            [[upstream]]
            id = "github"
            name = "GitHub"
            url = "ftp://githubstatus.com"
            group = "Web"
            component = ["Actions"]
            """
        )
    )
    run = site.check()
    assert run.code == 1
    assert "components[0].depends_on: unknown upstream 'githb'; did you mean 'github'?" in run.err
    assert "upstream[0].url: expected an absolute http(s) URL" in run.err
    assert "upstream[0].component: unknown setting, ignored; did you mean 'components'?" in run.err
    assert "upstream[0].group: 'Web' is a group of your own components" in run.err


@pytest.mark.usefixtures("quick_failures")
def test_a_component_added_to_the_config_appears_though_the_vendor_says_nothing_changed(site: Site) -> None:
    """A snapshot is cut to the components asked for: its ETag stands for that cut only."""
    with vendor(Answer.summary("atlassian-incident", '"v1"')) as github:
        with_vendor(site, github.url)
        assert site.build(now=None).code == 0
        assert "Codespaces" not in vendor_section(site)
        site.config(site.config_path.read_text().replace('"Pages"]', '"Pages", "Codespaces"]'))
        widened = site.build(now=None)
        assert widened.code == 0 and "warning" not in widened.err
        assert "If-None-Match" not in github.requests[-1]  # the stored cut is of other components
        section = vendor_section(site)
        assert "Codespaces Operational" in section and "Codespaces connection failures in Europe" in section
        assert [e["etag"] for e in stored(site)] == ['"v1"', '"v1"']
        again = site.build(now=None)  # the same components: a conditional request, and a 304
        assert again.code == 0 and "warning" not in again.err
        assert github.requests[-1]["If-None-Match"] == '"v1"'
        assert "Codespaces Operational" in vendor_section(site) and len(stored(site)) == 2


@pytest.mark.usefixtures("quick_failures")
def test_a_component_the_vendor_lacks_is_warned_about_on_every_build(site: Site) -> None:
    """A 304 would hide the warning, so while an entry matches nothing the request is not conditional."""
    with vendor(Answer.summary("atlassian-operational", '"v1"')) as github:
        site.config(DEPENDS + GITHUB.format(url=github.url).replace('"Pages"', '"Page"'))
        for _ in range(2):
            run = site.build(now=None)
            assert run.code == 0
            assert "GitHub has no component or group 'Page'" in run.err and "did you mean 'Pages'?" in run.err
            assert "If-None-Match" not in github.requests[-1]


def test_a_stray_file_in_the_snapshot_folder_is_reported_as_such_and_never_blamed_on_the_vendor(site: Site) -> None:
    folder = site.root / "data" / "upstream" / "github"
    folder.mkdir(parents=True)
    (folder / "2026-13-45.json").write_text('{"format": 1, "vendor": "github", "snapshots": []}')
    (folder / "notes.txt").write_text("kept by hand")
    (folder / ".gitkeep").write_text("")
    with vendor(Answer.summary("atlassian-operational", '"v1"')) as github:
        with_vendor(site, github.url)
        for _ in range(2):  # a 200, then a 304: both store a snapshot and prune
            run = site.build(now=None)
            assert run.code == 0
            assert "not a Statuspage summary" not in run.err
            assert (
                "data/upstream/github/2026-13-45.json: warning: not named after a day (YYYY-MM-DD.json); ignored"
                in run.err
            )
            assert (
                "data/upstream/github/notes.txt: warning: not named after a day (YYYY-MM-DD.json); ignored" in run.err
            )
            assert ".gitkeep" not in run.err
    assert "Git Operations Operational" in vendor_section(site)
    assert (folder / "2026-13-45.json").exists() and (folder / "notes.txt").exists()  # not ours to delete


SUMMARY_KEYS = ["components", "incidents", "scheduled_maintenances", "status", "id", "name", "group", "group_id",
                "description", "impact", "started_at", "created_at", "scheduled_for", "indicator"]  # fmt: skip
SUMMARY_WORDS = ["Actions", "Pages", "Core", "g1", "c1", "operational", "major_outage", "in_progress", "minor"]
summary_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.sampled_from(SUMMARY_WORDS),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(SUMMARY_KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=30,
)
summary_component = st.fixed_dictionaries(
    {"id": st.sampled_from(["c1", "c2", "g1", ""]) | summary_values, "name": st.sampled_from(SUMMARY_WORDS) | summary_values},
    optional={"group": st.booleans() | summary_values, "group_id": st.sampled_from(["g1", None]) | summary_values,
              "status": st.sampled_from(SUMMARY_WORDS) | summary_values, "description": summary_values},
)  # fmt: skip
summaries = (
    st.fixed_dictionaries(
        {"components": st.lists(summary_component | summary_values, max_size=6)},
        optional={key: summary_values for key in ("incidents", "scheduled_maintenances", "status")},
    )
    | summary_values
)


@settings(max_examples=100, deadline=None)
@given(summary=summaries, wanted=st.lists(st.sampled_from([*SUMMARY_WORDS, "nothing"]), max_size=3))
@example(summary={"components": [{"id": "0\r", "name": None}]}, wanted=[])  # a name made from an untidy id
@example(summary={"components": [{"id": "\r", "name": None}]}, wanted=[])
def test_any_document_is_a_summary_or_refused_and_its_stored_cut_reads_back_the_same(
    summary: object, wanted: list[str]
) -> None:
    """What a vendor sends is read tolerantly; the cut that is stored shows just what the whole would."""
    source = UpstreamSource("v", "V", "https://v.test/", tuple(wanted))
    at = datetime(2026, 3, 20, tzinfo=UTC)
    try:
        whole = summary_document.parse(summary, source, at, at)
    except summary_document.NotASummary:
        return
    assert isinstance(summary, dict)
    cut = json.loads(json.dumps(summary_document.trim(summary, source)))  # as the snapshot file keeps it
    kept = summary_document.parse(cut, source, at, at)
    assert kept.components == tuple(select(whole.components, wanted)[0])
    assert {i.id for i in kept.incidents} <= {i.id for i in whole.incidents}
    assert [entry for entry, _ in summary_document.unmatched(summary, source)] == select(whole.components, wanted)[1]
