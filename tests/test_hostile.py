"""Hostile content: XSS payloads in titles, bodies, component names and config strings never run.

Each payload goes into every place a user can type text; the built site is checked file by file
(tests/hostile.py), and the titles must come out as the very text that was typed.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import feedparser
import pytest
import tomli_w
from conftest import NOW, Site, text_of
from hostile import (
    AWKWARD_TITLE,
    PAYLOADS,
    check_site,
    feed_problems,
    feed_titles,
    html_problems,
    json_problems,
    theme_findings,
)

from statuspage.build import build

HARMLESS_NOTE = "---\ntitle: Harmless\ncomponents:\n  api: major_outage\n---\n## 2026-03-19 10:00 · Resolved\nFine.\n"


def hostile_config(**strings: str) -> str:
    homepage = {"homepage": strings["homepage"]} if "homepage" in strings else {}
    return tomli_w.dumps(
        {
            **homepage,
            "title": strings.get("title", "Acme"),
            "url": strings.get("url", "https://status.test/"),
            "description": strings.get("description", "Acme services"),
            "timezone": "Europe/Berlin",
            "feeds": {"entries": 1000},
            "history": {"per_page": 1000},
            "components": [
                {"id": "api", "name": strings.get("name", "API"), "group": strings.get("group", "Core")},
                {"id": "web", "name": "Web", "description": strings.get("description", "Web site")},
            ],
        }
    )


def note(title: str, body: str, day: int) -> str:
    # A YAML double-quoted scalar is a superset of a JSON string: any title survives quoting.
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ncomponents:\n  api: partial_outage\n---\n"
        f"## 2026-03-{day:02d} 10:00 · Investigating\n{body}\n\n## 2026-03-{day:02d} 11:00 · Resolved\nDone.\n"
    )


@pytest.fixture(scope="module")
def theme(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """What the checks find in a site built from harmless input (the theme's own): none today."""
    root = tmp_path_factory.mktemp("harmless")
    (root / "statuspage.toml").write_text(hostile_config())
    (root / "incidents").mkdir()
    (root / "incidents" / "harmless.md").write_text(HARMLESS_NOTE)
    build(root / "statuspage.toml", now=NOW)
    return theme_findings(root / "site")


def test_the_checker_finds_what_it_looks_for() -> None:
    # If these were not caught, a clean report below would mean nothing.
    caught = {
        "<script>x()</script>": "script element",
        "<svg><script>x()</script></svg>": "script element",
        "<img src=x onerror=x()>": "event handler",
        "<svg onload=x()>": "event handler",
        '<a href=" jav\tascript:x()">': "href=",
        '<a href="&#106;avascript:x()">': "href=",
        '<svg><a xlink:href="javascript:x()">': "xlink:href=",
        '<iframe src="https://x.example/">': "iframe element",
        '<p style="background:url(javascript:x())">': "style attribute",
        '<meta http-equiv="refresh" content="0">': "meta http-equiv",
        "<body><style>p{}</style></body>": "style element in the body",
    }
    for markup, expected in caught.items():
        problems = html_problems(markup)
        assert problems and expected in problems[0], (markup, problems)
    assert html_problems('<p title="&lt;script&gt;">text <a href="https://ok.example/">ok</a></p>') == []
    assert feed_problems(b"<feed><title>unclosed</feed>")[0].startswith("not well-formed XML")
    assert json_problems(b'{"html": "<img src=x onerror=x()>"}') == ["html: event handler onerror='x()' on <img>"]
    assert json_problems(b'{"title": "<script>plain text in JSON is fine</script>"}') == []
    assert json_problems(b'{"a": ')[0].startswith("not valid JSON")


def test_payloads_in_notes_never_run(site: Site, theme: frozenset[str]) -> None:
    site.config(hostile_config())
    for n, payload in enumerate(PAYLOADS):
        site.note(f"note-{n:02d}.md", note(payload, payload, day=1 + n % 19))
    run = site.build()
    assert run.code == 0, run.err
    assert check_site(site.out, theme) == {}
    # The titles are shown as typed, as text, on their pages and in both feeds.
    for n, payload in enumerate(PAYLOADS):
        page = site.html(f"incidents/note-{n:02d}/index.html")
        assert text_of(page.h1) == " ".join(payload.split())
        assert page.title.get_text().startswith(payload)
    for feed in ("history.atom", "history.rss"):
        _, titles = feed_titles((site.out / feed).read_bytes())
        assert set(titles) == {f"{status}: {p}" for p in PAYLOADS for status in ("Investigating", "Resolved")}


def test_payloads_in_config_strings_never_run(site: Site, theme: frozenset[str]) -> None:
    # Every payload names a component and a group; all of them together make the title and description.
    everything = " ".join(PAYLOADS)
    config = tomllib.loads(hostile_config(title=everything, description=everything))
    config["components"] = [
        {"id": f"c{n}", "name": payload, "group": PAYLOADS[-1 - n], "description": payload}
        for n, payload in enumerate(PAYLOADS)
    ]
    site.config(tomli_w.dumps(config))
    site.note("a.md", HARMLESS_NOTE.replace("api:", "c0:"))
    run = site.build()
    assert run.code == 0, run.err
    assert check_site(site.out, theme) == {}
    page = site.html()
    assert text_of(page.select_one(".brand")) == " ".join(everything.split())
    assert [c.h4.get_text() for c in page.select(".component")] == PAYLOADS
    assert feed_titles((site.out / "history.atom").read_bytes())[0] == everything


def test_a_hostile_site_url_is_escaped_everywhere(site: Site, theme: frozenset[str]) -> None:
    url = "https://status.test/a\"'><script>alert(1)</script>/"
    site.config(hostile_config(url=url))
    site.note("a.md", HARMLESS_NOTE)
    assert site.build().code == 0
    assert check_site(site.out, theme) == {}
    assert site.html().select_one('link[rel="canonical"]')["href"] == url


@pytest.mark.parametrize("key", ["url", "homepage"])
@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://[", "https://a:99999/"]
)
def test_config_urls_must_be_http(site: Site, key: str, value: str) -> None:
    site.config(hostile_config(**{key: value}))
    run = site.check()
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        f'statuspage.toml: {key}: expected an absolute http(s) URL like "https://status.example.com/", got {value!r}'
    )


def test_awkward_title_appears_correctly_everywhere(site: Site) -> None:
    site.config(hostile_config(name="Café & Bar 🚀", title='Acme "Status" & Co'))
    site.note("awkward.md", note(AWKWARD_TITLE, "Body & <b>bold</b>", day=19))
    assert site.build().code == 0
    shown = " ".join(AWKWARD_TITLE.split())
    incident = site.html("incidents/awkward/index.html")
    assert text_of(incident.h1) == shown
    assert incident.title.get_text() == f'{AWKWARD_TITLE} · Acme "Status" & Co'
    index = site.html()
    assert text_of(index.select_one(".brand")) == 'Acme "Status" & Co'
    assert [text_of(a) for a in index.select("#past-h ~ * a") if "Tom" in a.get_text()] == [shown]
    api = next(c for c in index.select(".component") if text_of(c.h4) == "Café & Bar 🚀")
    # The day's hover text (a title attribute, or data-t shown by the style sheet) ends with the title.
    hovers = [i.get("title") or i.get("data-t") or "" for i in api.select(".bars i")]
    (tooltip,) = [text for text in hovers if "Tom" in text]
    assert tooltip.endswith(f"· {AWKWARD_TITLE}")
    history = site.html("history/index.html")
    assert [text_of(a) for a in history.select(".line > a")] == [shown]
    for feed in ("history.atom", "history.rss"):
        data = (site.out / feed).read_bytes()
        assert not feedparser.parse(data).bozo
        title, entries = feed_titles(data)
        assert entries == [f"Resolved: {AWKWARD_TITLE}", f"Investigating: {AWKWARD_TITLE}"]
        assert title == 'Acme "Status" & Co'


def test_check_site_refuses_unknown_kinds_of_output(tmp_path: Path) -> None:
    (tmp_path / "status.pdf").write_bytes(b"%PDF-1.7")
    assert check_site(tmp_path) == {"status.pdf": ["no hostile-content checker for .pdf; add one"]}
