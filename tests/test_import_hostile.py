"""Hostile sources for `statuspage import`: any YAML, JSON, TOML or front matter ends in notes, or in
an error of our own naming the file, never in a traceback.

First the inputs that once ended in a traceback, one per format, through the real CLI. Then
Hypothesis writes arbitrary sites for every importer (config, front matter, bodies, exports,
documents; values of every kind, huge and non-finite numbers, unicode, raw YAML) and runs the
whole import (read, plan with the build's own note reader, the report). Only a SourceError
naming a file may come out, and every finding names where it came from. Each run counts its
outcomes and fails unless some sources were imported and some refused, so an importer that
refused everything could not pass. `HYPOTHESIS_PROFILE=thorough` runs many more examples.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from statuspage.importers import report
from statuspage.importers.html import within_markdown
from statuspage.importers.records import Options, SourceError
from statuspage.importers.run import run
from statuspage.net import Client
from tests.conftest import CONFIG, Site
from tests.fixtures import statuspage_documents as docs
from tests.fixtures.statuspage_server import Statuspage, serve
from tests.test_import_statuspage import findings

EXAMPLES = 2000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 60
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


# -- what once was a traceback -----------------------------------------------------------------

ONCE_TRACEBACKS = {
    "cstate params: [1]": (
        "cstate",
        {
            "config.yml": "params: [1]\n",
            "content/issues/a.md": "---\ntitle: A\ndate: 2024-01-01 10:00\nsection: issue\n---\n",
        },
        [
            "config.yml: params: expected a table, got a list [1]; ignored",
            "config.yml: lists no systems (params.systems); no components imported",
        ],
    ),
    "upptime labels: 5": (
        "upptime",
        {
            ".upptimerc.yml": "sites:\n  - name: Google\n",
            "issues.json": '[{"number": 1, "title": "x", "labels": 5, "createdAt": "2026-01-01T00:00:00Z"}]',
        },
        [
            "issue #1: labels: expected a list, got a number 5; ignored",
            "src/issues.json: 1 issue(s) without the 'status' or 'maintenance' label are not incidents; skipped",
        ],
    ),
    "statusfy systems: 5": (
        "statusfy",
        {"config.yml": "content:\n  systems: 5\n", "content/a.md": "---\ntitle: A\ndate: 2026-01-01T00:00:00Z\n---\n"},
        [
            "config.yml: content.systems: expected a list, got a number 5; Statusfy's default systems are assumed",
            "src/locales/en.json: not found; systems are named by their ids",
            "content/a.md: unknown severity ''; its affected systems are not marked",
        ],
    ),
    "statusfy duration: 1.0e+20": (
        "statusfy",
        {
            "config.yml": "content:\n  systems: [api]\n",
            "content/a.md": "---\ntitle: M\ndate: 2026-01-01T00:00:00Z\nseverity: under-maintenance\n"
            "duration: 1.0e+20\n---\nx\n",
        },
        [
            "src/locales/en.json: not found; systems are named by their ids",
            "content/a.md: duration: 1e+20 minutes is more than a year; ignored",
            "content/a.md: maintenance without a duration (minutes) or a Completed update; skipped",
        ],
    ),
}


@pytest.mark.parametrize("case", list(ONCE_TRACEBACKS))
def test_what_once_was_a_traceback_is_a_finding_naming_the_file(site: Site, tmp_path: Path, case: str) -> None:
    kind, files, expected = ONCE_TRACEBACKS[case]
    source = write_files(tmp_path / "src", files)
    result = site.run("import", kind, str(source), "--config", str(site.config_path), "--now", "2026-03-20T12:00Z")
    assert result.code == 0, result.err
    assert findings(result.out) == expected
    assert site.check().code == 0


def test_a_statuspage_document_of_the_wrong_shapes_is_read_around(site: Site, tmp_path: Path) -> None:
    """Lists where objects belong and the other way round: each one is a finding, the rest is imported."""
    good = docs.FIRST_ERRORS
    document = {
        "components": [*docs.COMPONENTS, {"id": "g9", "name": "Odd", "group": True, "components": 7}],
        "incidents": [
            {**good, "components": 5},
            {**good, "id": "x1", "incident_updates": 5},
            {**good, "id": "x2", "incident_updates": [{**good["incident_updates"][0], "affected_components": 5}]},
        ],
    }
    saved = tmp_path / "incidents.json"
    saved.write_text(json.dumps(document))
    result = site.run("import", "statuspage", str(saved), "--config", str(site.config_path), "--now", NOW_TEXT)
    assert result.code == 0, result.err
    found = findings(result.out)
    assert "incident x1: incident_updates: expected a list, got a number 5; ignored" in found
    assert "incident x1: has no update with a time; skipped" in found
    assert f"incident {good['id']}: components: expected a list, got a number 5; ignored" in found
    assert any(
        line.startswith("incident x2, update ") and "affected_components: expected a list" in line for line in found
    )
    assert len(list((site.root / "incidents").iterdir())) == 2
    assert site.check().code == 0


def test_yaml_that_cannot_start_a_token_is_an_error_naming_the_file(site: Site, tmp_path: Path) -> None:
    source = write_files(tmp_path / "src", {"config.yml": "@\n", "content/issues/a.md": "---\ntitle: A\n---\n"})
    result = site.run("import", "cstate", str(source), "--config", str(site.config_path))
    assert result.code == 1 and "config.yml:1: the file is not valid YAML" in result.err


# -- arbitrary sources -----------------------------------------------------------------------

NOW_TEXT = "2026-03-20T12:00:00+00:00"
NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
IMPORTED, REFUSED = "imported", "refused"

any_text = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=30)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e20, 1.0e308, -1.0, 0, 90, 1_700_000_000, 1_700_000_000_000, 10**400]),
)
TIMES = [
    "2024-02-24 10:35:00", "2024-07-23T10:35:00Z", "2026-03-20 12:00", "2026-04-01 22:00:00", "2018-04-13",
    "0001-01-01 00:00", "9999-12-31 23:59", "2026-02-30 10:00", "2026-03-29 02:30", "yesterday", "",
]  # fmt: skip


def scalars(words: list[str]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(),
        st.booleans(),
        numbers,
        any_text,
        st.sampled_from(words + TIMES),
        st.dates(),
        st.datetimes(timezones=st.sampled_from([None, UTC])),
    )


def values(words: list[str], keys: list[str]) -> st.SearchStrategy[object]:
    return st.recursive(
        scalars(words),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(keys) | any_text, inner, max_size=5)
        ),
        max_leaves=16,
    )


def records(keys: list[str], words: list[str]) -> st.SearchStrategy[dict[str, object]]:
    """Mappings whose keys are mostly the format's own, with values of any kind."""
    return st.dictionaries(st.sampled_from(keys) | any_text, values(words, keys), max_size=len(keys))


RAW_YAML = st.sampled_from(
    ["[", "a: [1", "!!python/object:os.system ls", "&a [1, 2]\nb: *a", "{a: " * 60, "- 1\n- 2", "9" * 5000, "\t"]
)


def as_yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def as_json(data: object) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


def as_toml(data: object) -> str:
    try:
        return tomli_w.dumps(data)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "not = [toml"


raw_yaml = RAW_YAML | any_text


def yaml_or_raw(data: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return data.map(as_yaml) | raw_yaml


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("import-fuzz")
    (root / "statuspage.toml").write_text(CONFIG, encoding="utf-8")
    return root


def import_source(kind: str, scratch: Path, source: str, names: list[str], client: Client | None = None) -> str:
    """Import without writing; only a SourceError naming one of `names` may stop it. Returns the outcome."""
    options = Options(zone=ZoneInfo("Europe/Berlin"), now=NOW, pace=0.0, **({"client": client} if client else {}))
    try:
        outcome = run(kind, source, scratch / "statuspage.toml", options, dry_run=True)
    except SourceError as error:
        assert any(name in str(error) for name in names), f"the error names no file: {error}"
        return REFUSED
    assert all(finding.where and finding.message for finding in outcome.plan.findings)
    assert report.lines(outcome, dry_run=True)[0].startswith("From ")
    return IMPORTED if outcome.plan.notes else REFUSED


def fuzz_files(kind: str, scratch: Path, files: dict[str, str], outcomes: Counter[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = write_files(Path(folder) / "site", files)
        outcomes[import_source(kind, scratch, str(source), [Path(name).name for name in files] + [source.name])] += 1


# -- cState

CSTATE_KEYS = [
    "params", "categories", "systems", "name", "displayname", "displayName", "description", "category",
    "untitled", "title", "date", "resolved", "resolvedWhen", "severity", "affected", "section", "draft",
    "informational", "pin",
]  # fmt: skip
CSTATE_WORDS = ["issue", "down", "disrupted", "notice", "API", "Gateway", "North Coast", "true"]
cstate_body = st.lists(
    st.sampled_from(
        [
            "*Investigating* - Looking.",
            "*Resolved* -",
            "**Update** — x",
            "*Post-mortem*",
            "---",
            "",
            '{{< track "2024-02-24 10:35:00" >}}',
            '{{< track "2099-01-01" >}}',
            "{{< track >}}",
            '{{< figure src="x" >}}',
            "<b>bold</b>",
            "<script>x</script>",
            "<img src=x>",
            "<div>",
            "<b>" * 300,
        ]
    )
    | any_text,
    max_size=8,
).map("\n".join)
cstate_issue = st.one_of(
    st.builds(lambda front, body: f"---\n{as_yaml(front)}---\n{body}", records(CSTATE_KEYS, CSTATE_WORDS), cstate_body),
    st.builds(
        lambda front, body: f"+++\n{as_toml(front)}\n+++\n{body}", records(CSTATE_KEYS, CSTATE_WORDS), cstate_body
    ),
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", raw_yaml, cstate_body),
)
GOOD_CSTATE = {
    "config.yml": "params:\n  systems:\n    - name: API\n",
    "content/issues/a.md": "---\ntitle: A\ndate: 2024-01-01 10:00\nresolved: true\nresolvedWhen: 2024-01-01 11:00\n"
    "severity: down\naffected: [API]\nsection: issue\n---\n*Investigating* - Down.\n",
}


@fuzz
@given(
    config=yaml_or_raw(records(CSTATE_KEYS, CSTATE_WORDS)),
    issues=st.lists(cstate_issue, min_size=1, max_size=3),
)
@example(config=GOOD_CSTATE["config.yml"], issues=[GOOD_CSTATE["content/issues/a.md"]])
def test_any_cstate_site_imports_or_names_the_file(scratch: Path, config: str, issues: list[str]) -> None:
    files = {"config.yml": config, **{f"content/issues/i{n}.md": text for n, text in enumerate(issues)}}
    fuzz_files("cstate", scratch, files, CSTATE_OUTCOMES)


CSTATE_OUTCOMES: Counter[str] = Counter()

# -- Upptime

UPPTIME_KEYS = [
    "number", "title", "body", "labels", "state", "createdAt", "closedAt", "created_at", "closed_at", "comments",
    "pull_request", "name", "slug", "sites", "issues",
]  # fmt: skip
UPPTIME_WORDS = ["status", "maintenance", "google", "🛑 Google is down", "CLOSED", "OPEN", "closed", "**Resolved:** up"]
upptime_body = st.sampled_from(
    [
        "<!--\nstart: 2026-03-10T22:00:00Z\nend: 2026-03-10T23:00:00Z\nexpectedDown: google\n-->\nWork.",
        "<!-- start: x end: y -->",
        "<details><summary>x</summary></details>",
        "**Resolved:** fine",
    ]
)
upptime_issue = st.fixed_dictionaries(
    {
        "number": st.integers(0, 99) | scalars(UPPTIME_WORDS),
        "title": st.sampled_from(["🛑 Google is down", "⚠️ Google has degraded performance"]) | scalars(UPPTIME_WORDS),
        "labels": st.lists(
            st.sampled_from(["status", "maintenance", "google"]).map(lambda n: {"name": n})
            | st.sampled_from(["status", "google"])
        )
        | values(UPPTIME_WORDS, UPPTIME_KEYS),
        "createdAt": st.sampled_from(TIMES) | scalars(UPPTIME_WORDS),
    },
    optional={
        "body": upptime_body | scalars(UPPTIME_WORDS),
        "state": st.sampled_from(["CLOSED", "OPEN"]) | scalars(UPPTIME_WORDS),
        "closedAt": st.sampled_from(TIMES) | scalars(UPPTIME_WORDS),
        "comments": st.lists(records(UPPTIME_KEYS, UPPTIME_WORDS) | scalars(UPPTIME_WORDS), max_size=3)
        | scalars(UPPTIME_WORDS),
        "pull_request": scalars(UPPTIME_WORDS),
    },
)
upptime_export = st.one_of(
    st.lists(upptime_issue | records(UPPTIME_KEYS, UPPTIME_WORDS) | scalars(UPPTIME_WORDS), max_size=4).map(as_json),
    st.builds(lambda issues: as_json({"issues": issues}), st.lists(upptime_issue, max_size=3)),
    values(UPPTIME_WORDS, UPPTIME_KEYS).map(as_json),
    st.sampled_from(["[", "NaN", "[" * 100_000, ""]),
)
GOOD_UPPTIME = {
    ".upptimerc.yml": "sites:\n  - name: Google\n",
    "issues.json": '[{"number": 1, "title": "🛑 Google is down", "labels": ["status", "google"],'
    ' "createdAt": "2026-01-01T00:00:00Z"}]',
}


@fuzz
@given(config=yaml_or_raw(records(UPPTIME_KEYS, UPPTIME_WORDS)), export=upptime_export)
@example(config=GOOD_UPPTIME[".upptimerc.yml"], export=GOOD_UPPTIME["issues.json"])
def test_any_upptime_clone_imports_or_names_the_file(scratch: Path, config: str, export: str) -> None:
    fuzz_files("upptime", scratch, {".upptimerc.yml": config, "issues.json": export}, UPPTIME_OUTCOMES)


UPPTIME_OUTCOMES: Counter[str] = Counter()

# -- Statusfy

STATUSFY_KEYS = [
    "defaultLocale", "content", "systems", "dir", "items", "title", "id", "description", "date", "severity",
    "affectedsystems", "resolved", "scheduled", "duration",
]  # fmt: skip
STATUSFY_WORDS = [
    "api", "cdn", "major-outage", "partial-outage", "degraded-performance", "under-maintenance", "en", "content",
    "../..", "/etc", "a\x00b",
]  # fmt: skip
statusfy_body = st.lists(
    st.sampled_from(
        [
            "::: update Resolved | 2026-03-01T10:00:00Z",
            "::: update Monitoring",
            "::: update Rollback | never",
            ":::",
            "::: tip",
            "<!-- c -->",
            "<p>x</p>",
            "<style>x</style>",
            "",
        ]
    )
    | any_text,
    max_size=8,
).map("\n".join)
statusfy_front = st.one_of(
    st.builds(lambda f: f"---\n{as_yaml(f)}---\n", records(STATUSFY_KEYS, STATUSFY_WORDS)),
    st.builds(lambda f: f"---toml\n{as_toml(f)}\n---\n", records(STATUSFY_KEYS, STATUSFY_WORDS)),
    st.builds(lambda f: f"---json\n{as_json(f)}\n---\n", records(STATUSFY_KEYS, STATUSFY_WORDS)),
    st.builds(lambda f: as_json(f) + "\n", values(STATUSFY_WORDS, STATUSFY_KEYS)),
    st.builds(lambda f: f"---\n{f}\n---\n", raw_yaml),
)
statusfy_config = st.one_of(
    st.tuples(st.just("config.yml"), yaml_or_raw(records(STATUSFY_KEYS, STATUSFY_WORDS))),
    st.tuples(st.just("config.toml"), records(STATUSFY_KEYS, STATUSFY_WORDS).map(as_toml)),
    st.tuples(st.just("config.json"), values(STATUSFY_WORDS, STATUSFY_KEYS).map(as_json)),
    st.tuples(
        st.just("config.js"),
        st.sampled_from(
            ["module.exports = { content: { systems: ['api', \"cdn\"], dir: 'content' } }", "x", "dir: '\x00'"]
        )
        | any_text,
    ),
)
GOOD_STATUSFY = {
    "config.yml": "defaultLocale: en\ncontent:\n  systems: [api]\n",
    "locales/en.json": '{"systems": {"items": {"api": {"title": "API"}}}}',
    "content/a.md": "---\ntitle: A\ndate: 2026-01-01T00:00:00Z\nseverity: major-outage\naffectedsystems: [api]\n---\nDown.\n",
}


@fuzz
@given(
    config=statusfy_config,
    locale=values(STATUSFY_WORDS, STATUSFY_KEYS).map(as_json) | st.sampled_from(["{", "[]"]),
    incidents=st.lists(st.builds(str.__add__, statusfy_front, statusfy_body), min_size=1, max_size=3),
)
@example(
    config=("config.yml", GOOD_STATUSFY["config.yml"]),
    locale=GOOD_STATUSFY["locales/en.json"],
    incidents=[GOOD_STATUSFY["content/a.md"]],
)
def test_any_statusfy_site_imports_or_names_the_file(
    scratch: Path, config: tuple[str, str], locale: str, incidents: list[str]
) -> None:
    files = {config[0]: config[1], "locales/en.json": locale}
    files.update({f"content/i{n}.md": text for n, text in enumerate(incidents)})
    fuzz_files("statusfy", scratch, files, STATUSFY_OUTCOMES)


STATUSFY_OUTCOMES: Counter[str] = Counter()

# -- Atlassian Statuspage: saved documents, and the management API on 127.0.0.1

STATUSPAGE_KEYS = [
    "id", "name", "status", "impact", "impact_override", "started_at", "resolved_at", "scheduled_for",
    "scheduled_until", "incident_updates", "components", "postmortem_body", "postmortem_published_at", "body",
    "display_at", "created_at", "affected_components", "code", "new_status", "group", "group_id", "position",
    "start_date", "description", "page", "url", "incidents", "scheduled_maintenances",
]  # fmt: skip
STATUSPAGE_WORDS = [
    "inc1", "cmp1", "grp1", "investigating", "resolved", "scheduled", "in_progress", "completed", "postmortem",
    "major_outage", "operational", "under_maintenance", "maintenance", "critical", "<b>x</b><script>y</script>",
]  # fmt: skip
statuspage_update = st.fixed_dictionaries(
    {"id": scalars(STATUSPAGE_WORDS), "status": scalars(STATUSPAGE_WORDS), "display_at": scalars([])},
    optional={
        "body": scalars(STATUSPAGE_WORDS),
        "affected_components": st.lists(records(STATUSPAGE_KEYS, STATUSPAGE_WORDS), max_size=2)
        | scalars(STATUSPAGE_WORDS),
    },
)
statuspage_item = st.fixed_dictionaries(
    {"id": scalars(STATUSPAGE_WORDS), "name": scalars(STATUSPAGE_WORDS)},
    optional={
        key: values(STATUSPAGE_WORDS, STATUSPAGE_KEYS)
        for key in ("status", "impact", "scheduled_for", "scheduled_until", "started_at", "resolved_at", "components")
    }
    | {"incident_updates": st.lists(statuspage_update, max_size=3) | scalars(STATUSPAGE_WORDS)},
)
statuspage_list = st.lists(statuspage_item | records(STATUSPAGE_KEYS, STATUSPAGE_WORDS) | scalars([]), max_size=4)
statuspage_document = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "page": values([], STATUSPAGE_KEYS),
            "components": statuspage_list,
            "incidents": statuspage_list,
            "scheduled_maintenances": statuspage_list,
        },
    ),
    statuspage_list,
    values(STATUSPAGE_WORDS, STATUSPAGE_KEYS),
).map(as_json) | st.sampled_from(["{", "[" * 100_000, "\ufeff[]"])


@fuzz
@given(
    documents=st.dictionaries(
        st.sampled_from(["components.json", "incidents.json", "summary.json"]), statuspage_document, min_size=1
    )
)
@example(documents={"incidents.json": json.dumps(docs.public([docs.FIRST_ERRORS], [])["incidents.json"])})
def test_any_saved_statuspage_documents_import_or_name_the_file(scratch: Path, documents: dict[str, str]) -> None:
    fuzz_files("statuspage", scratch, documents, STATUSPAGE_OUTCOMES)


STATUSPAGE_OUTCOMES: Counter[str] = Counter()


@pytest.fixture(scope="module")
def management() -> Statuspage:
    with serve(Statuspage(key="k")) as fake:
        yield fake


@settings(fuzz, max_examples=max(EXAMPLES // 3, 10))
@given(
    components=statuspage_list,
    groups=st.lists(records(STATUSPAGE_KEYS, STATUSPAGE_WORDS) | scalars(STATUSPAGE_WORDS), max_size=3),
    incidents=statuspage_list,
)
@example(
    components=docs.COMPONENTS[1:],
    groups=[{"id": "grp1", "name": "Core", "components": ["cmp1"]}],
    incidents=[docs.FIRST_ERRORS],
)
def test_any_management_api_answer_imports_or_names_what_failed(
    scratch: Path, management: Statuspage, components: list[object], groups: list[object], incidents: list[object]
) -> None:
    lists = {"components": components, "component-groups": groups, "incidents": incidents}
    management.lists = json.loads(as_json(lists))  # as the API sends them: dates as text
    options = Options(
        zone=ZoneInfo("UTC"),
        now=NOW,
        environ={"KEY": "k"},
        api_key_env="KEY",
        page_id="pg",
        api_url=management.url + "/v1",
        pace=0.0,
    )
    try:
        outcome = run("statuspage", "", scratch / "statuspage.toml", options, dry_run=True)
    except SourceError as error:
        assert "management API" in str(error), error
        MANAGEMENT_OUTCOMES[REFUSED] += 1
        return
    assert all(finding.where and finding.message for finding in outcome.plan.findings)
    MANAGEMENT_OUTCOMES[IMPORTED if outcome.plan.notes else REFUSED] += 1


MANAGEMENT_OUTCOMES: Counter[str] = Counter()


@pytest.mark.parametrize(
    "outcomes",
    [CSTATE_OUTCOMES, UPPTIME_OUTCOMES, STATUSFY_OUTCOMES, STATUSPAGE_OUTCOMES, MANAGEMENT_OUTCOMES],
    ids=["cstate", "upptime", "statusfy", "statuspage", "management"],
)
def test_each_fuzz_run_saw_sources_imported_and_refused(outcomes: Counter[str]) -> None:
    """Run after the fuzzers above (pytest keeps the file's order): neither path was dead."""
    if not outcomes:
        pytest.skip("its fuzz test did not run in this session")
    assert outcomes[IMPORTED] and outcomes[REFUSED], dict(outcomes)


# -- HTML inside Markdown

markdown_paragraphs = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="<&\\"), min_size=1, max_size=40
).filter(lambda text: text.strip() and "\n\n" not in text and "```" not in text and "~~~" not in text)
html_paragraphs = st.lists(
    st.sampled_from(
        [
            "<b>bold</b>",
            "<i>it</i> and *md*",
            "<script>x</script>",
            "<br>",
            "<img src=x alt=y>",
            "<div>block</div>",
            "<details><summary>s</summary>t</details>",
            "<!-- c -->",
            "</b>",
            "<u>",
            "<a href='u'>l</a>",
            "`<i>c</i>`",
        ]
    )
    | markdown_paragraphs,
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(fuzz, max_examples=max(EXAMPLES, 200))
@given(paragraphs=st.lists(markdown_paragraphs | html_paragraphs, min_size=1, max_size=6))
@example(paragraphs=["- a <b>x\n  <div>y</div>\n- next", "kept"])
@example(paragraphs=["\ue000"])
def test_html_inside_markdown_is_converted_and_every_paragraph_without_html_is_kept_as_written(
    paragraphs: list[str],
) -> None:
    body = "\n\n".join(paragraphs)
    converted, dropped = within_markdown(body)
    private = {c for c in converted + body if "\ue000" <= c <= "\uf8ff"}
    assert all(converted.count(c) <= body.count(c) for c in private)  # no stand-in for a hole is left
    for text in paragraphs:
        if "<" not in text:
            assert text.strip() in converted
    if "<" not in body:
        assert (converted, dropped) == (body.strip(), [])


@pytest.mark.parametrize(
    "body",
    [
        "see <img src=x alt='\ue0000\ue001'> and <b>y</b> end",  # the characters that stood for holes, as text
        "".join(map(chr, range(0xE000, 0xF900))) + " <b>y</b> *z*",  # every one of them: nothing left to stand in
    ],
)
def test_a_text_holding_the_characters_that_stand_for_holes_keeps_them(body: str) -> None:
    converted, _ = within_markdown(body)
    assert all(converted.count(c) == body.count(c) for c in map(chr, range(0xE000, 0xF900)))
    assert "**y**" in converted
