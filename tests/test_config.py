"""statuspage.toml: defaults, every error at once with its key, warnings for typos."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from statuspage import config
from statuspage.core.model import ComponentStatus
from statuspage.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "statuspage.toml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    loaded, warnings = config.load(
        write(tmp_path, 'title = "S"\nurl = "https://example.github.io/status"\n[[components]]\nid = "a"\nname = "A"\n')
    )
    assert warnings == []
    assert loaded.url == "https://example.github.io/status/"
    assert loaded.base_path == "/status/"
    assert loaded.timezone.key == "UTC"
    assert loaded.language == "en"
    assert loaded.uptime_days == 90
    assert dict(loaded.weights) == {
        ComponentStatus.MAJOR_OUTAGE: 1.0,
        ComponentStatus.PARTIAL_OUTAGE: 0.3,
        ComponentStatus.DEGRADED_PERFORMANCE: 0.0,
    }
    assert loaded.feed_entries == 50
    assert loaded.incidents_dir == tmp_path.resolve() / "incidents"


def test_full_config(tmp_path: Path) -> None:
    loaded, _ = config.load(
        write(
            tmp_path,
            """
title = "Acme"
url = "https://status.acme.test/"
description = "About"
timezone = "America/New_York"
language = "de"
[uptime]
days = 30
weights = { partial_outage = 0.5 }
[[components]]
id = "api"
name = "API"
group = "Backend"
description = "The API"
since = 2026-01-15
""",
        )
    )
    (api,) = loaded.components
    assert (api.id, api.name, api.group, api.description, api.since) == (
        "api",
        "API",
        "Backend",
        "The API",
        date(2026, 1, 15),
    )
    assert loaded.uptime_days == 30
    assert dict(loaded.weights)[ComponentStatus.PARTIAL_OUTAGE] == 0.5
    assert loaded.timezone.key == "America/New_York"


def test_every_problem_is_reported_at_once_with_its_key(tmp_path: Path) -> None:
    text = """
title = 3
url = "status.example.com"
timezone = "Mars/Olympus"
[uptime]
days = 0
weights = { partial_outage = 2 }
[[components]]
id = "Web Site"
name = "Website"
[[components]]
id = "api"
[[components]]
id = "api"
name = "API"
since = "yesterday"
"""
    assert messages(tmp_path, text) == [
        "statuspage.toml: title: expected text, got a number 3",
        "statuspage.toml: url: expected an absolute http(s) URL like \"https://status.example.com/\", got 'status.example.com'",
        'statuspage.toml: timezone: unknown time zone \'Mars/Olympus\'; use an IANA name like "Europe/Berlin" or "UTC"',
        "statuspage.toml: uptime.days: must be between 1 and 366, got 0",
        "statuspage.toml: uptime.weights.partial_outage: must be between 0 and 1, got 2",
        "statuspage.toml: components[0].id: 'Web Site' is not a valid id: use lowercase letters, digits, '-' and '_' (it appears in URLs)",
        "statuspage.toml: components[1].name: is required",
        "statuspage.toml: components[2].id: duplicate component id 'api'",
        "statuspage.toml: components[2].since: expected a date like 2026-01-31, got 'yesterday'",
    ]


def test_unknown_keys_warn_with_a_suggestion(tmp_path: Path) -> None:
    _, warnings = config.load(
        write(
            tmp_path,
            'title = "S"\nurl = "https://s.test/"\nlangauge = "de"\n[[components]]\nid = "a"\nname = "A"\ngropu = "G"\n',
        )
    )
    assert [str(w) for w in warnings] == [
        "statuspage.toml: warning: langauge: unknown setting, ignored; did you mean 'language'?",
        "statuspage.toml: warning: components[0].gropu: unknown setting, ignored; did you mean 'group'?",
    ]


def test_warnings_accompany_errors(tmp_path: Path) -> None:
    problems = messages(tmp_path, 'titel = "S"\nurl = "https://s.test/"\n[[components]]\nid = "a"\nname = "A"\n')
    assert problems == [
        "statuspage.toml: title: is required",
        "statuspage.toml: warning: titel: unknown setting, ignored; did you mean 'title'?",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "x"\nurl = \n', "statuspage.toml:2: invalid TOML: Invalid value (at line 2, column 7)"),
        (
            'title = "S"\nurl = "https://s.test/"\n',
            "statuspage.toml: components: add at least one [[components]] table with an id and a name",
        ),
        (
            'title = "S"\nurl = "https://s.test/?x=1"\n[[components]]\nid="a"\nname="A"\n',
            "statuspage.toml: url: must not contain a query (?…) or fragment (#…)",
        ),
    ],
)
def test_single_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert messages(tmp_path, text) == [expected]


def test_language_must_be_known_to_babel(tmp_path: Path) -> None:
    text = 'title = "S"\nurl = "https://s.test/"\nlanguage = "xx"\n[[components]]\nid = "a"\nname = "A"\n'
    assert messages(tmp_path, text) == [
        'statuspage.toml: language: unknown language \'xx\'; use a code like "en", "de" or "pt-BR"'
    ]
    loaded, _ = config.load(write(tmp_path, text.replace('"xx"', '"pt-BR"')))
    assert loaded.language == "pt-BR"


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found; run `statuspage init`"):
        config.load(tmp_path / "statuspage.toml")
    (tmp_path / "statuspage.toml").write_bytes(b'title = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        config.load(tmp_path / "statuspage.toml")
