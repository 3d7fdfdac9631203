"""The console in Debian's Chromium: a person posts, updates, resolves and publishes through the forms.

Each test starts `statuspage serve --console` (tests/conftest.py's `serve`) and opens the printed
link as the person would; notes are compared with what the CLI writes for the same input.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, Server, Site, stop
from fixtures.console import GIT_ENV, Client, git, git_site, origin_of

from .conftest import DESKTOP, PHONE
from .conftest import serve as serve_folder
from .test_accessibility import BEST_PRACTICE, WCAG_21_AA, violations

LOGIN = "2026-03-20-login-page-offline"
OUTAGE = "---\ntitle: Login page offline\ncomponents:\n  login: major_outage\n---\n## 2026-03-20 11:00 · Investigating\nSome users cannot log in.\n"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, timezone_id="Europe/Berlin")
    yield context.new_page()
    context.close()


def opened(page: Any, serve: Callable[..., Server], *extra: str, env: dict[str, str] | None = None) -> Server:
    server = serve("", "--console", *extra, env=env)
    page.goto(server.link)
    assert page.url.endswith("/_console/")  # the token is gone from the address bar
    return server


def cli(site: Site, *args: str) -> None:
    run = site.run(*args[:1], "--config", str(site.config_path), *args[1:], "--now", NOW)
    assert run.code == 0, run.err


def test_a_person_posts_updates_and_resolves_what_the_cli_would_write(
    page: Any, site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    twin = Site(tmp_path / "twin", site._capsys)
    shutil.copytree(site.root, twin.root, ignore=shutil.ignore_patterns("twin", "tmp"))
    server = opened(page, serve)

    page.get_by_role("main").get_by_role("link", name="New incident").click()
    page.get_by_label("Title").fill("Login page offline")
    page.get_by_label("Login").select_option("major_outage")
    page.get_by_label("API").select_option("degraded_performance")
    assert page.get_by_label("Status", exact=True).input_value() == "investigating"  # the default first status
    page.get_by_label("Message", exact=True).fill("Some users cannot log in.\n\nWe are **on it**.")
    page.get_by_role("button", name="Post incident").click()
    notice = page.get_by_role("status")
    assert notice.inner_text().startswith("Posted “Investigating” to Login page offline at 2026-03-20 12:00 CET.")

    # The link leads to the preview, rebuilt already.
    notice.get_by_role("link", name="See it in the preview").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Login page offline"
    assert "We are on it." in page.locator(".timeline").inner_text()
    page.go_back()

    page.get_by_role("link", name="Post update").click()
    assert page.get_by_label("Status", exact=True).input_value() == "investigating"  # the current one
    page.get_by_label("Status", exact=True).select_option("identified")
    page.get_by_label("Login (now: Major outage)").select_option("degraded_performance")
    page.get_by_label("Message", exact=True).fill("A replica failed; traffic is moving away.")
    page.get_by_role("button", name="Post update").click()
    assert page.get_by_role("status").inner_text().startswith("Posted “Identified”")

    page.get_by_role("main").get_by_role("link", name="Resolve").click()
    page.get_by_label("Message", exact=True).fill("Working normally again.")
    page.get_by_role("button", name="Resolve").click()
    assert page.get_by_role("status").inner_text().startswith("Posted “Resolved”")
    assert page.locator("#ongoing-h + p").inner_text() == "No ongoing incidents."

    cli(twin, "new", "Login page offline", "-c", "login=major_outage", "-c", "api=degraded_performance",
        "-m", "Some users cannot log in.\n\nWe are **on it**.")  # fmt: skip
    cli(twin, "update", LOGIN, "--status", "identified", "-c", "login=degraded_performance",
        "-m", "A replica failed; traffic is moving away.")  # fmt: skip
    cli(twin, "resolve", LOGIN, "-m", "Working normally again.")
    note = f"incidents/{LOGIN}.md"
    assert (site.root / note).read_bytes() == (twin.root / note).read_bytes()
    assert stop(server) == 0


def test_an_error_is_shown_beside_its_field_with_the_text_kept(
    page: Any, site: Site, serve: Callable[..., Server]
) -> None:
    server = opened(page, serve)
    page.get_by_role("main").get_by_role("link", name="Schedule maintenance").click()
    page.get_by_label("Title").fill("Database upgrade")
    page.get_by_label("Start").fill("2026-03-24 22:00")
    page.get_by_label("End").fill("2026-03-24 21:30")
    page.get_by_label("API").select_option("under_maintenance")
    page.get_by_label("Message", exact=True).fill("Read-only for a few minutes.")
    page.get_by_role("button", name="Schedule maintenance").click()

    end = page.get_by_label("End")
    assert end.get_attribute("aria-invalid") == "true"
    error = page.locator("#end-error")
    assert error.inner_text() == (
        "End 2026-03-24 21:30 CET is not after Start 2026-03-24 22:00 CET; the maintenance must end after it starts"
    )
    # Beside its field: between the label and the control, and read with the control.
    field = page.locator(".field", has=page.locator("#f-end"))
    assert field.locator("#end-error").count() == 1
    assert "end-error" in (end.get_attribute("aria-describedby") or "").split()
    assert end.input_value() == "2026-03-24 21:30"
    assert page.get_by_label("Title").input_value() == "Database upgrade"
    assert page.get_by_label("Message", exact=True).input_value() == "Read-only for a few minutes."
    assert page.get_by_label("API").input_value() == "under_maintenance"
    assert page.get_by_role("alert").locator("h2").inner_text() == "Nothing was posted"
    assert not (site.root / "incidents").exists()

    end.fill("2026-03-24 23:00")
    page.get_by_role("button", name="Schedule maintenance").click()
    assert page.get_by_role("status").inner_text().startswith("Posted “Scheduled” to Database upgrade")
    assert page.locator("#upcoming-h ~ ul h3").inner_text() == "Database upgrade"
    assert stop(server) == 0


def test_a_stale_form_is_refused_and_the_message_kept(page: Any, site: Site, serve: Callable[..., Server]) -> None:
    site.note(f"{LOGIN}.md", OUTAGE)
    server = opened(page, serve)
    page.get_by_role("link", name="Post update").click()
    page.get_by_label("Status", exact=True).select_option("monitoring")
    page.get_by_label("Message", exact=True).fill("We are rolling back the change.")
    before = (site.root / f"incidents/{LOGIN}.md").read_bytes()
    cli(site, "update", LOGIN, "--status", "identified", "-m", "Found it, from a terminal.")  # meanwhile
    edited = (site.root / f"incidents/{LOGIN}.md").read_bytes()
    assert edited != before
    page.get_by_role("button", name="Post update").click()

    assert "changed after this form was opened" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Message", exact=True).input_value() == "We are rolling back the change."
    assert page.get_by_label("Status", exact=True).input_value() == "monitoring"
    assert "Found it, from a terminal." in page.locator(".card").inner_text()  # what changed, shown
    assert (site.root / f"incidents/{LOGIN}.md").read_bytes() == edited
    page.get_by_role("button", name="Post update").click()  # having seen it, post again
    assert page.get_by_role("status").inner_text().startswith("Posted “Monitoring”")
    assert stop(server) == 0


def test_no_token_or_a_foreign_page_is_refused(
    browser: Any, page: Any, site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    server = opened(page, serve)
    console = server.link.split("?")[0]
    stranger = browser.new_context()
    other = stranger.new_page()
    answer = other.goto(console)
    assert answer.status == 403
    assert "Open the console with the link printed in the terminal" in other.inner_text("main")
    stranger.close()

    # A page on another origin posts a form to the console in the person's own browser (CSRF).
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "index.html").write_text(
        f'<!doctype html><title>Win a prize</title><form method="post" action="{console}new">'
        '<input name="title" value="Everything is down"><input name="message" value="Hacked.">'
        '<input name="action" value="post"></form><script>document.forms[0].submit()</script>'
    )
    with serve_folder(evil) as url:
        page.goto(url)
        page.wait_for_url(console + "new")
        assert "Requests from other sites are refused" in page.inner_text("main")
    assert not (site.root / "incidents").exists()
    assert stop(server) == 0


def test_publish_commits_the_changed_notes_into_a_bare_repository(
    page: Any, site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    site.note("2026-03-01-old.md", "---\ntitle: Old\n---\n## 2026-03-01 10:00 · Resolved\nFine.\n")
    remote = tmp_path / "remote.git"
    git_site(site.root, remote)
    site.note("2026-03-19-draft.md", "---\ntitle: Draft\n---\n## 2026-03-19 10:00 · Investigating\nDraft.\n")
    server = opened(page, serve, env=GIT_ENV)
    page.get_by_role("main").get_by_role("link", name="New incident").click()
    page.get_by_label("Title").fill("Login page offline")
    page.get_by_label("Login").select_option("major_outage")
    page.get_by_label("Message", exact=True).fill("Down.")
    page.get_by_role("button", name="Post incident").click()
    page.locator(".card", has_text="Login page offline").get_by_role("link", name="Resolve").click()
    page.get_by_label("Message", exact=True).fill("Up.")
    page.get_by_role("button", name="Resolve").click()

    publish = page.locator("#publish")
    assert publish.locator("li").all_inner_texts() == [f"incidents/{LOGIN}.md"]
    publish.get_by_role("button", name="Publish").click()
    assert page.locator("#publish h3").inner_text() == "Published."
    assert "HEAD -> main" in page.locator("#publish pre").inner_text()
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "Login page offline: Investigating, Resolved"
    assert git(remote, "show", "--name-only", "--format=", "main").split() == [f"incidents/{LOGIN}.md"]
    assert "?? incidents/2026-03-19-draft.md" in git(site.root, "status", "--porcelain")  # not the console's
    assert stop(server) == 0


def test_without_script_the_forms_work_and_the_preview_button_renders(
    browser: Any, site: Site, serve: Callable[..., Server]
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    server = opened(page, serve)
    page.get_by_role("main").get_by_role("link", name="New incident").click()
    page.get_by_label("Title").fill("Login page offline")
    page.get_by_label("Message", exact=True).fill("Logins **fail**.")
    assert page.locator("#message-preview").is_hidden()
    page.get_by_role("button", name="Preview", exact=True).click()
    assert page.locator("#message-preview-body strong").inner_text() == "fail"
    assert page.get_by_label("Title").input_value() == "Login page offline"
    page.get_by_role("button", name="Post incident").click()
    assert page.get_by_role("status").inner_text().startswith("Posted “Investigating”")
    context.close()
    assert stop(server) == 0


def test_with_script_the_message_previews_as_it_is_typed(page: Any, site: Site, serve: Callable[..., Server]) -> None:
    server = opened(page, serve)
    page.goto(server.link.split("?")[0] + "new")
    page.get_by_label("Message", exact=True).press_sequentially("See [the blog](https://blog.test/)")
    preview = page.locator("#message-preview-body a")
    preview.wait_for()
    assert preview.get_attribute("href") == "https://blog.test/"
    assert not (site.root / "incidents").exists()
    assert stop(server) == 0


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_console_page_is_accessible_and_fits_a_phone(
    browser: Any, site: Site, serve: Callable[..., Server], scheme: str, viewport: dict[str, int]
) -> None:
    site.note(f"{LOGIN}.md", OUTAGE)
    site.note(
        "2026-03-25-upgrade.md",
        "---\ntitle: Database upgrade\nkind: maintenance\nscheduled: 2026-03-25 22:00\nuntil: 2026-03-25 23:00\n"
        "components: [api]\n---\n## 2026-03-19 10:00 · Scheduled\nRead-only.\n",
    )
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    server = opened(page, serve)
    console = server.link.split("?")[0]
    found = {}

    def check(name: str) -> None:
        problems = violations(page, WCAG_21_AA) + violations(page, BEST_PRACTICE)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > viewport["width"]:
            problems.append(f"{wide} px wide: scrolls sideways")
        if problems:
            found[name] = problems

    check("overview")
    for path in ("new", "maintenance", f"update/{LOGIN}", f"resolve/{LOGIN}"):
        page.goto(console + path)
        check(path)
    page.goto(console + "maintenance")
    page.get_by_label("End").fill("yesterday")
    page.get_by_label("Message", exact=True).fill("**Read-only** for a while.")
    page.get_by_role("button", name="Preview", exact=True).click()
    page.get_by_role("button", name="Schedule maintenance").click()
    check("errors")
    context.close()
    refused = browser.new_context(viewport=viewport, color_scheme=scheme).new_page()
    refused.goto(console)
    page = refused
    check("refused")
    refused.context.close()
    assert found == {}
    assert stop(server) == 0


def test_every_console_page_is_valid_html(
    vnu: list[str], site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    site.note(f"{LOGIN}.md", OUTAGE)
    server = serve("", "--console")
    person = Client(origin_of(server.link))
    person.open(server.link)
    pages = {
        "new": person.get("/_console/new"),
        "maintenance": person.get("/_console/maintenance"),
        "update": person.get(f"/_console/update/{LOGIN}"),
        "resolve": person.get(f"/_console/resolve/{LOGIN}"),
        "errors": person.form("/_console/maintenance", {"title": "x", "end": "soon", "message": "**Hi**", "now": "2999-01-01 10:00"}),
        "preview": person.post("/_console/new", {"csrf": person.get("/_console/new").hidden("csrf"), "message": "*Hi*", "action": "preview"}),
        "posted": person.form(f"/_console/update/{LOGIN}", {"message": "Found it."}),
        "refused": Client(person.origin).get("/_console/"),
    }  # fmt: skip
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, answer in pages.items():
        (folder / f"{name}.html").write_text(answer.body, encoding="utf-8")
    result = subprocess.run(
        [*vnu, "--errors-only", "--also-check-css", "--format", "json", *sorted(map(str, folder.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
    assert stop(server) == 0
