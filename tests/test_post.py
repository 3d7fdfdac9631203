"""`new`, `update`, `resolve` and `list` through the real CLI: notes written, edited and read back."""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import CONFIG, Run, Site, text_of
from fixtures.folders import read_only

NOTE = "incidents/2026-03-14-login-page-offline.md"
#: A note written by hand: comments, an unusual front-matter layout, CRLF line endings and a BOM.
HAND_WRITTEN = (
    "\ufeff---\r\n"
    "# Written by Sam during the outage; keep this comment.\r\n"
    "title:   'Login   page offline'\r\n"
    "components: {login: major_outage}   # from the dashboard\r\n"
    "---\r\n"
    "\r\n"
    "## 2026-03-14 09:05 — investigating   \r\n"
    "Some users cannot log in.  \r\n"
    "<!-- ask the DB team -->\r\n"
)


def cli(site: Site, command: str, *args: str, now: str | None = None) -> Run:
    extra = ["--now", now] if now else []
    return site.run(command, "--config", str(site.config_path), *args, *extra)


def note_bytes(site: Site, name: str = NOTE) -> bytes:
    return (site.root / name).read_bytes()


def folder_listing(site: Site) -> list[str]:
    return sorted(p.name for p in (site.root / "incidents").iterdir())


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is a script that writes $MESSAGE above the instructions and keeps what it was shown."""
    script = tmp_path / "fake-editor.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, pathlib, sys
            scratch = pathlib.Path(sys.argv[1])
            shown = scratch.read_text(encoding="utf-8")
            pathlib.Path(os.environ["SHOWN"]).write_text(shown, encoding="utf-8")
            if os.environ.get("ALSO_EDIT"):  # someone else saves the note meanwhile
                with open(os.environ["ALSO_EDIT"], "a", encoding="utf-8") as note:
                    note.write("Edited elsewhere.\\n")
            scratch.write_text(os.environ.get("MESSAGE", "") + shown, encoding="utf-8")
            """
        )
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    shown = tmp_path / "shown.txt"
    monkeypatch.setenv("SHOWN", str(shown))
    return shown


def test_new_update_resolve_give_a_note_that_builds_with_three_updates(site: Site) -> None:
    run = cli(
        site,
        "new",
        "Login page offline",
        "-c",
        "login=major_outage",
        "-m",
        "Some users cannot log in.",
        now="2026-03-14 09:05",
    )
    assert (run.code, run.out) == (0, f"{NOTE}\n")
    assert (
        run.err
        == "Posted Investigating at 2026-03-14 09:05 CET. Preview: statuspage serve. Publish: commit and push.\n"
    )
    run = cli(
        site,
        "update",
        "login",
        "--status",
        "identified",
        "--component",
        "login=degraded_performance",
        "-m",
        "A replica failed.\n\nWe are moving traffic away.",
        now="2026-03-14T09:30:25+01:00",
    )
    assert (run.code, run.out) == (0, f"{NOTE}\n")
    run = cli(site, "resolve", "2026-03-14-login", "-m", "Working normally again.", now="2026-03-14 09:41")
    assert (run.code, run.out) == (0, f"{NOTE}\n")
    assert "Posted Resolved at 2026-03-14 09:41 CET." in run.err

    assert (site.root / NOTE).read_text() == textwrap.dedent(
        """\
        ---
        title: Login page offline
        components:
          login: major_outage
        ---

        ## 2026-03-14 09:41 · Resolved
        Working normally again.

        ## 2026-03-14 09:30 · Identified (login: degraded_performance)
        A replica failed.

        We are moving traffic away.

        ## 2026-03-14 09:05 · Investigating
        Some users cannot log in.
        """
    )
    assert site.build().code == 0
    page = site.html("incidents/2026-03-14-login-page-offline/index.html")
    updates = page.select(".timeline .update")
    assert [text_of(u.select_one(".update-head")) for u in updates] == [
        "Resolved Mar 14, 2026, 09:41 CET",
        "Identified Mar 14, 2026, 09:30 CET",
        "Investigating Mar 14, 2026, 09:05 CET",
    ]
    assert text_of(updates[1].select_one(".changes")) == "Login: Degraded performance"
    assert "Resolved Mar 14, 2026, 09:41 CET (after 36 minutes)" in text_of(page.select_one(".facts"))


def test_new_writes_valid_front_matter_for_any_title(site: Site) -> None:
    run = cli(site, "new", "API: errors & 'timeouts'", "-c", "api=partial_outage,web=degraded_performance",
              "--impact", "MAJOR", "-m", "Looking into it.", now="2026-03-14T23:30Z")  # fmt: skip
    # 23:30 UTC is already the 15th in Berlin: the file is named by the site's date.
    assert run.out == "incidents/2026-03-15-api-errors-timeouts.md\n"
    assert (site.root / "incidents/2026-03-15-api-errors-timeouts.md").read_text() == textwrap.dedent(
        """\
        ---
        title: 'API: errors & ''timeouts'''
        impact: major
        components:
          api: partial_outage
          web: degraded_performance
        ---

        ## 2026-03-15 00:30 · Investigating
        Looking into it.
        """
    )
    assert site.check(now="2026-03-15T01:00+01:00").code == 0


def test_new_refuses_to_overwrite(site: Site) -> None:
    assert cli(site, "new", "Login page offline", "-m", "First.", now="2026-03-14 09:05").code == 0
    before = note_bytes(site)
    run = cli(site, "new", "Login page offline!", "-m", "Second.", now="2026-03-14 10:00")
    assert run.code == 1
    assert run.err == (
        f"error: {NOTE} already exists; post to it with `statuspage update 2026-03-14-login-page-offline`, "
        "or choose another title\n"
    )
    assert note_bytes(site) == before


def test_new_rejects_unknown_components_and_statuses_with_the_valid_ones(site: Site) -> None:
    cases = {
        ("-c", "logn=major_outage"): "error: --component logn=major_outage: unknown component 'logn'; did you mean 'login'?",
        ("-c", "login=down"): "error: --component login=down: unknown component status 'down'; use one of: degraded_performance, partial_outage, major_outage",
        ("-c", "login=operational"): "error: --component login=operational: unknown component status 'operational'; use one of: degraded_performance, partial_outage, major_outage",
        ("-c", "login"): "error: --component login: give the status too, like --component login=major_outage",
        ("--status", "fixing"): "error: --status fixing: not a status for an incident; use one of: investigating, identified, monitoring, update, resolved, postmortem",
        ("--impact", "huge"): "error: --impact huge: unknown impact; use one of: none, minor, major, critical",
        ("--start", "2026-03-20 22:00"): "error: --start and --end are for maintenance; an incident starts with its first update",
    }  # fmt: skip
    for args, message in cases.items():
        run = cli(site, "new", "Login page offline", *args, "-m", "Text.", now="2026-03-14 09:05")
        assert (run.code, run.err) == (1, message + "\n")
    assert not (site.root / "incidents").exists()


def test_new_maintenance(site: Site) -> None:
    run = cli(site, "new", "Database upgrade", "--maintenance", "--start", "2026-03-24 22:00", "--end",
              "2026-03-24 23:00", "-c", "api", "-c", "web=partial_outage", "-m", "Read-only for 15 minutes.",
              now="2026-03-18 10:00")  # fmt: skip
    assert run.out == "incidents/2026-03-24-database-upgrade.md\n"  # named by its start
    assert (site.root / "incidents/2026-03-24-database-upgrade.md").read_text() == textwrap.dedent(
        """\
        ---
        title: Database upgrade
        kind: maintenance
        scheduled: 2026-03-24 22:00
        until: 2026-03-24 23:00
        components:
          api: under_maintenance
          web: partial_outage
        ---

        ## 2026-03-18 10:00 · Scheduled
        Read-only for 15 minutes.
        """
    )
    assert site.build().code == 0
    assert site.html().find(id="upcoming-h") is not None
    run = cli(site, "new", "Later", "--maintenance", "--start", "2026-03-24 22:00", "-m", "x", now="2026-03-18 10:00")
    assert run.err == (
        "error: a maintenance needs a time for --start and for --end, like 2026-12-02 22:00 and 2026-12-02 23:30\n"
    )


def test_update_keeps_a_hand_edited_note_byte_for_byte(site: Site) -> None:
    path = site.root / NOTE
    path.parent.mkdir()
    path.write_bytes(HAND_WRITTEN.encode())
    run = cli(site, "update", "login", "--status", "monitoring", "-c", "login=degraded_performance",
              "-c", "api=operational", "-m", "A fix is out.\nWe are watching.", now="2026-03-14 09:30")  # fmt: skip
    assert run.code == 0, run.err
    # The new update goes on top (the note has one update, so newest-first), in the note's CRLF.
    heading = "## 2026-03-14 09:05 — investigating   \r\n"
    top, rest = HAND_WRITTEN.split(heading)
    inserted = "## 2026-03-14 09:30 · Monitoring (login: degraded_performance, api: operational)\r\nA fix is out.\r\nWe are watching.\r\n\r\n"
    assert path.read_bytes() == (top + inserted + heading + rest).encode()


def test_update_appends_to_a_note_written_oldest_first(site: Site) -> None:
    text = "---\ntitle: API slow\ncomponents: {api: degraded_performance}\n---\n## 2026-03-14 08:00 · Investigating\nSlow.\n\n## 2026-03-14 08:30 · Identified\nFound it."
    site.note("2026-03-14-api.md", text)
    assert cli(site, "resolve", "api", "-m", "Fast again.", now="2026-03-14 09:00").code == 0
    assert (
        note_bytes(site, "incidents/2026-03-14-api.md")
        == (text + "\n\n## 2026-03-14 09:00 · Resolved\nFast again.\n").encode()
    )
    assert site.build().code == 0
    assert site.html().find(id="ongoing-h") is None


def test_update_without_status_keeps_the_current_one(site: Site) -> None:
    cli(site, "new", "Login page offline", "--status", "identified", "-m", "Found.", now="2026-03-14 09:05")
    assert cli(site, "update", "login", "-m", "Still on it.", now="2026-03-14 09:20").code == 0
    assert "## 2026-03-14 09:20 · Identified\nStill on it.\n" in (site.root / NOTE).read_text()
    cli(site, "resolve", "login", "-m", "Done.", now="2026-03-14 09:40")
    assert cli(site, "update", "login", "-m", "A postmortem follows.", now="2026-03-14 10:00").code == 0
    assert "## 2026-03-14 10:00 · Update\nA postmortem follows.\n" in (site.root / NOTE).read_text()


def test_two_updates_in_one_minute_keep_their_order(site: Site) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14T09:05:10+01:00")
    assert cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14T09:05:50+01:00").code == 0
    assert (
        "## 2026-03-14 09:05:50 · Resolved\nUp.\n\n## 2026-03-14 09:05 · Investigating\n"
        in (site.root / NOTE).read_text()
    )
    assert site.build().code == 0
    assert site.html().find(id="ongoing-h") is None


def test_times_are_stamped_in_the_site_zone_with_an_offset_when_the_clocks_go_back(site: Site) -> None:
    # 02:30 happens twice in Berlin on 25 October 2026; this is the second time (CET, +01:00).
    run = cli(site, "new", "Login page offline", "-m", "Down.", now="2026-10-25T01:30Z")
    assert run.out == "incidents/2026-10-25-login-page-offline.md\n"
    text = (site.root / "incidents/2026-10-25-login-page-offline.md").read_text()
    assert "## 2026-10-25 02:30 +01:00 · Investigating\n" in text
    assert site.check(now="2026-10-25T12:00Z").code == 0


def test_source_date_epoch_is_the_clock(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773475500")  # 2026-03-14 08:05 UTC
    assert cli(site, "new", "Login page offline", "-m", "Down.").code == 0
    assert "## 2026-03-14 09:05 · Investigating\n" in (site.root / NOTE).read_text()


def test_message_from_the_editor(site: Site, editor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    monkeypatch.setenv("MESSAGE", "A replica failed.\n\n### What we do\nMove traffic.\n\n")
    run = cli(site, "update", "login", "--status", "identified", now="2026-03-14 09:30")
    assert run.code == 0, run.err
    assert (
        "## 2026-03-14 09:30 · Identified\nA replica failed.\n\n### What we do\nMove traffic.\n\n## 2026-03-14 09:05"
        in (site.root / NOTE).read_text()
    )
    assert editor.read_text() == (
        "\n# ------------------------ >8 ------------------------\n"
        "# Write the message above this line; Markdown works.\n"
        "# Leave it empty to cancel: nothing will be changed.\n"
        "#\n"
        f"# Login page offline ({NOTE})\n"
        "# This update: Identified\n"
        "# Latest update: Investigating, 2026-03-14 09:05 CET\n"
    )


def test_an_empty_editor_message_changes_nothing(site: Site, editor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    before = note_bytes(site)
    monkeypatch.setenv("MESSAGE", "  \n\n")
    run = cli(site, "resolve", "login", now="2026-03-14 09:30")
    assert (run.code, run.out, run.err) == (1, "", "error: the message is empty; nothing was changed\n")
    assert note_bytes(site) == before
    run = cli(site, "new", "Another", now="2026-03-14 09:30")
    assert run.err == "error: the message is empty; nothing was changed\n"
    assert folder_listing(site) == ["2026-03-14-login-page-offline.md"]


def test_a_failing_editor_changes_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    before = note_bytes(site)
    monkeypatch.setenv("EDITOR", "false")
    run = cli(site, "resolve", "login", now="2026-03-14 09:30")
    assert run.err == "error: the editor exited with status 1; nothing was changed\n"
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    run = cli(site, "resolve", "login", now="2026-03-14 09:30")
    assert run.err == (
        "error: cannot start the editor 'no-such-editor-here --wait': No such file or directory; "
        "set $EDITOR or pass -m MESSAGE\n"
    )
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    run = cli(site, "resolve", "login", now="2026-03-14 09:30")  # and no terminal to open one in
    assert run.err == "error: no message given: pass -m MESSAGE, or set $EDITOR to write it in your editor\n"
    assert note_bytes(site) == before


def test_a_note_saved_elsewhere_meanwhile_is_not_overwritten(
    site: Site, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    monkeypatch.setenv("MESSAGE", "Found it.")
    monkeypatch.setenv("ALSO_EDIT", str(site.root / NOTE))
    run = cli(site, "update", "login", now="2026-03-14 09:30")
    assert run.err == (
        f"error: {NOTE} was changed by someone else while it was being edited; nothing was changed, try again\n"
    )
    assert note_bytes(site).endswith(b"Down.\nEdited elsewhere.\n")
    assert folder_listing(site) == ["2026-03-14-login-page-offline.md"]  # no temp file left


def test_a_result_that_does_not_validate_is_never_written(site: Site) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    before = note_bytes(site)
    run = cli(site, "update", "login", "-m", "Details:\n## 2026-03-14 09:40 · Fixing", now="2026-03-14 09:30")
    assert run.code == 1
    assert run.err == (
        f"{NOTE}:7: unknown incident status 'Fixing'; use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem\n"
        "1 error found; nothing was written.\n"
    )
    run = cli(site, "update", "login", "-m", "Details:\n## 2026-03-14 09:40 · Resolved", now="2026-03-14 09:30")
    assert run.err.startswith("error: the message would change the note's other updates")
    run = cli(site, "update", "login", "-m", "Log:\n```\nerror 503", now="2026-03-14 09:30")
    assert run.err.startswith("error: the message would change the note's other updates")
    assert note_bytes(site) == before
    assert folder_listing(site) == ["2026-03-14-login-page-offline.md"]


def test_a_failed_rename_leaves_the_original(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    before = note_bytes(site)

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    run = cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14 09:30")
    assert run.err == f"error: cannot write {NOTE}: No space left on device; the note is unchanged\n"
    assert note_bytes(site) == before
    assert folder_listing(site) == ["2026-03-14-login-page-offline.md"]


def test_a_read_only_folder_is_an_error_and_changes_nothing(site: Site) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    before = note_bytes(site)
    with read_only(site.root / "incidents"):
        posted = [
            cli(site, "update", "login", "-m", "Found it.", now="2026-03-14 09:30"),
            cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14 09:41"),
            cli(site, "new", "API errors", "-m", "Slow.", now="2026-03-14 09:50"),
        ]
    for run, shown in zip(posted, (NOTE, NOTE, "incidents/2026-03-14-api-errors.md"), strict=True):
        assert run.code == 1
        assert re.fullmatch(rf"error: cannot write {shown}: [^\n]+; the note is unchanged\n", run.err), run.err
    assert note_bytes(site) == before
    assert folder_listing(site) == ["2026-03-14-login-page-offline.md"]


def test_an_incidents_file_in_the_way_is_an_error(site: Site) -> None:
    (site.root / "incidents").write_text("not a folder\n")
    run = cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    assert (run.code, run.err) == (1, f"error: cannot write {NOTE}: incidents is not a folder; the note is unchanged\n")
    assert (site.root / "incidents").read_text() == "not a folder\n"


def test_an_update_replaces_the_file_by_renaming(site: Site) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    path = site.root / NOTE
    path.chmod(0o640)
    with path.open("rb") as reader:  # someone reading the note during the update sees it whole
        assert cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14 09:30").code == 0
        assert reader.read().endswith(b"Down.\n")
    assert path.read_bytes().count(b"## ") == 2
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_broken_note_is_not_edited(site: Site) -> None:
    site.note("2026-03-14-login.md", "---\ntitle: Login\n---\n## 2026-03-14 09:05 · Fixing\nDown.\n")
    before = note_bytes(site, "incidents/2026-03-14-login.md")
    run = cli(site, "update", "login", "-m", "Up.", now="2026-03-14 09:30")
    assert run.err == (
        "incidents/2026-03-14-login.md:4: unknown incident status 'Fixing'; use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem\n"
        "1 error found; nothing was written.\n"
    )
    assert note_bytes(site, "incidents/2026-03-14-login.md") == before


def test_a_note_without_update_headings_is_explained(site: Site) -> None:
    site.note("2026-03-14-login.md", "---\ntitle: Login\nstarted: 2026-03-14 09:05\n---\nDown.\n")
    run = cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14 09:30")
    assert run.err == (
        "error: incidents/2026-03-14-login.md has no update headings, so there is nowhere to add one; put a heading "
        "like '## 2026-03-14 09:05 · Investigating' above its text, then try again\n"
    )


def test_notes_are_found_by_path_slug_or_unique_prefix(site: Site) -> None:
    for title in ("Login page offline", "Login slow", "API errors"):
        cli(site, "new", title, "-m", "Down.", now="2026-03-14 09:05")
    post = lambda query: cli(site, "update", query, "-m", "More.", now="2026-03-14 09:30")  # noqa: E731
    assert post("incidents/2026-03-14-api-errors.md").out == "incidents/2026-03-14-api-errors.md\n"
    assert post("api").out == "incidents/2026-03-14-api-errors.md\n"
    assert post("login-p").out == f"{NOTE}\n"
    assert post("2026-03-14-login-s").out == "incidents/2026-03-14-login-slow.md\n"
    assert post("login").err == (
        "error: 'login' matches 2 notes: 2026-03-14-login-slow, 2026-03-14-login-page-offline; type more of the slug\n"
    )
    assert (
        post("billing").err
        == "error: no note in incidents/ matches 'billing'; `statuspage list` shows the ongoing ones\n"
    )
    assert post("incidents/nope.md").err == "error: incidents/nope.md: no such note\n"


def test_resolve_refuses_what_it_cannot_end(site: Site) -> None:
    cli(site, "new", "Login page offline", "-m", "Down.", now="2026-03-14 09:05")
    cli(site, "resolve", "login", "-m", "Up.", now="2026-03-14 09:41")
    run = cli(site, "resolve", "login", "-m", "Up again.", now="2026-03-14 10:00")
    assert run.err == (
        f"error: {NOTE} is already resolved (2026-03-14 09:41 CET); nothing was changed. "
        "Add to it with `statuspage update 2026-03-14-login-page-offline`\n"
    )
    site.note(
        "2026-03-20-api.md",
        "---\ntitle: API\nresolved: 2026-03-20 13:00\n---\n## 2026-03-20 11:00 · Identified\nSlow.\n",
    )
    run = cli(site, "resolve", "api", "-m", "Up.", now="2026-03-20 12:00")
    assert run.err == (
        "error: incidents/2026-03-20-api.md sets 'resolved: 2026-03-20 13:00' in its front matter, which decides when "
        "it ends; remove that line, then try again\n"
    )
    cli(site, "new", "DB upgrade", "--maintenance", "--start", "2026-03-24 22:00", "--end", "2026-03-24 23:00",
        "-m", "Planned.", now="2026-03-18 10:00")  # fmt: skip
    run = cli(site, "resolve", "db", "-m", "Done.", now="2026-03-20 12:00")
    assert run.err == (
        "error: incidents/2026-03-24-db-upgrade.md starts at 2026-03-24 22:00 CET, so it cannot be completed yet; "
        "to call it off, post an update and change or delete the note\n"
    )
    run = cli(site, "resolve", "db", "-m", "Done early.", now="2026-03-24 22:40")
    assert run.code == 0
    assert (
        "## 2026-03-24 22:40 · Completed\nDone early.\n"
        in (site.root / "incidents/2026-03-24-db-upgrade.md").read_text()
    )


def test_list_shows_what_can_be_posted_to(site: Site) -> None:
    cli(site, "new", "Login page offline", "-c", "login=major_outage", "-c", "web=degraded_performance", "-m", "Down.",
        now="2026-03-20 09:05")  # fmt: skip
    cli(
        site,
        "update",
        "login",
        "--status",
        "monitoring",
        "-c",
        "web=operational",
        "-m",
        "Better.",
        now="2026-03-20 11:00",
    )
    cli(site, "new", "API slow", "-m", "Slow.", now="2026-03-18 08:00")
    cli(site, "resolve", "api", "-m", "Fast.", now="2026-03-18 09:00")
    cli(site, "new", "Database upgrade", "--maintenance", "--start", "2026-03-24 22:00", "--end", "2026-03-24 23:00",
        "-c", "api", "-m", "Planned.", now="2026-03-18 10:00")  # fmt: skip
    run = cli(site, "list", now="2026-03-20 12:00")
    assert run.code == 0
    assert run.out == textwrap.dedent(
        """\
        SLUG                           STATUS      COMPONENTS                             STARTED     UPDATED    TITLE
        2026-03-20-login-page-offline  Monitoring  login: major_outage, web: operational  2h 55m ago  1h ago     Login page offline
        2026-03-24-database-upgrade    Scheduled   api: under_maintenance                 in 4d 10h   2d 2h ago  Database upgrade
        """
    )
    cli(site, "resolve", "login", "-m", "Fixed.", now="2026-03-20 13:00")
    assert cli(site, "list", now="2026-03-25 12:00").err == (
        "Nothing ongoing: no open incidents, no active or upcoming maintenance.\n"
    )


def test_commands_need_a_config(site: Site) -> None:
    site.config_path.unlink()
    run = cli(site, "new", "Login page offline", "-m", "Down.")
    assert (
        run.err
        == "statuspage.toml: not found; run `statuspage init` to start a site, or pass --config\n1 error found; nothing was written.\n"
    )
    site.config(CONFIG)
    run = cli(site, "new", "Login page offline", "-m", "Down.", now="yesterday")
    assert run.err.startswith("error: --now: cannot read the time 'yesterday'")
