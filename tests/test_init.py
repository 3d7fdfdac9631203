"""`statuspage init`: a new site that builds at once, and never a file overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import text_of

from statuspage.cli import main

NOW = "2026-03-14T10:00Z"
FILES = [
    "new-site/statuspage.toml",
    "new-site/incidents/2026-03-14-example-login-offline.md",
    "new-site/requirements.txt",
    "new-site/.github/workflows/statuspage.yml",
    "new-site/.gitignore",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_starts_a_site_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init", "new-site", "--now", NOW)
    assert (code, out) == (0, "".join(f"{name}\n" for name in FILES))
    assert "Next: set the title, url, timezone and components in new-site/statuspage.toml" in err
    assert [
        line for line in (tmp_path / "new-site/.gitignore").read_text().splitlines() if not line.startswith("#")
    ] == [
        "/site/",
        "/.site.*",
        ".statuspage-cache/",
    ]
    assert (tmp_path / "new-site/requirements.txt").read_text().endswith("\nstatuspage-md==0.1.0\n")

    code, _, err = run(capsys, "build", "--config", "new-site/statuspage.toml", "--now", NOW)
    assert (code, err.count("warning")) == (0, 0)
    page = BeautifulSoup((tmp_path / "new-site/site/index.html").read_bytes(), "html5lib")
    assert text_of(page.select_one("#banner-text")) == "All Systems Operational"
    example = BeautifulSoup(
        (tmp_path / "new-site/site/incidents/2026-03-14-example-login-offline/index.html").read_bytes(), "html5lib"
    )
    assert [text_of(u.select_one(".update-head")) for u in example.select(".timeline .update")] == [
        "Resolved Mar 14, 2026, 09:50 UTC",
        "Identified Mar 14, 2026, 09:40 UTC",
        "Investigating Mar 14, 2026, 09:20 UTC",
    ]
    # Honest from day one: the components are watched from today, so no earlier day claims 100%.
    for bars in page.select(".bars"):
        days = bars.select("i")
        assert {tuple(day.get("class", ())) for day in days[:-1]} == {("d-none",)}
    login = BeautifulSoup((tmp_path / "new-site/site/components/login/index.html").read_bytes(), "html5lib")
    assert [text_of(tr.td) for tr in login.select("table[aria-labelledby=months-h] tbody tr")] == ["March 2026"]
    # The new site works with the posting commands straight away.
    code, out, _ = run(capsys, "new", "API errors", "-c", "api=partial_outage", "-m", "Slow.", "--config",
                       "new-site/statuspage.toml", "--now", NOW)  # fmt: skip
    assert (code, out) == (0, "new-site/incidents/2026-03-14-api-errors.md\n")


def test_the_workflow_builds_on_push_and_on_a_schedule_and_deploys_to_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", "new-site", "--now", NOW)
    workflow = yaml.safe_load((tmp_path / "new-site/.github/workflows/statuspage.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = [step.get("run") or step["uses"] for step in workflow["jobs"]["build"]["steps"]]
    assert build == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "pip install -r requirements.txt",
        "statuspage build",
        "actions/upload-pages-artifact@v3",
    ]
    assert workflow["jobs"]["build"]["steps"][-1]["with"] == {"path": "site"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "new-site"
    site.mkdir()
    (site / "statuspage.toml").write_text("title = 'Mine'\n")
    (site / "requirements.txt").write_text("flask\n")
    code, out, err = run(capsys, "init", "new-site", "--now", NOW)
    assert (code, out) == (1, "")
    assert err == (
        "error: new-site/statuspage.toml, new-site/requirements.txt already exist; nothing was written. "
        "Start the site in a new folder: statuspage init DIR\n"
    )
    assert sorted(p.name for p in site.iterdir()) == ["requirements.txt", "statuspage.toml"]
    assert (site / "statuspage.toml").read_text() == "title = 'Mine'\n"


def test_init_adds_to_an_existing_gitignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".gitignore").write_bytes(b"*.pyc\r\n/site/")
    code, out, _ = run(capsys, "init", "--now", NOW)
    assert code == 0
    assert out.splitlines()[-1] == ".gitignore"
    assert (tmp_path / ".gitignore").read_bytes() == (
        b"*.pyc\r\n/site/\n/.site.*\n# Parsed notes and rendered pages kept between builds; safe to delete.\n"
        b".statuspage-cache/\n"
    )
    (tmp_path / "statuspage.toml").unlink()
    (tmp_path / "requirements.txt").unlink()
    (tmp_path / ".github/workflows/statuspage.yml").unlink()
    for note in (tmp_path / "incidents").iterdir():
        note.unlink()
    code, out, _ = run(capsys, "init", "--now", NOW)
    assert ".gitignore" not in out.split()  # nothing missing: left alone
