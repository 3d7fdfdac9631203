"""Publishing from the console into a real bare repository: exactly its own notes, its own commits, never forced.

What is left to publish is read from git and the console's record in `.statuspage-cache/`, so it
survives a restart of the console.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import Server, Site, stop, text_of
from fixtures.console import GIT_ENV, LOGIN, Client, console, git, git_site

from statuspage import config as config_module

DATABASE = "incidents/2026-03-24-database-upgrade.md"


def pending(person: Client) -> list[str]:
    """The notes the overview lists as changed and not published yet."""
    return [
        text_of(li) for li in BeautifulSoup(person.get("/_console/").body, "html5lib").find(id="publish").find_all("li")
    ]


def publish(person: Client) -> BeautifulSoup:
    """Press Publish; the overview's publishing section as it then reads."""
    answer = person.post("/_console/publish", {"csrf": person.get("/_console/").hidden("csrf")})
    assert answer.status == 200, answer.body
    return BeautifulSoup(answer.body, "html5lib").find(id="publish")


def test_publish_commits_exactly_the_notes_changed_and_pushes(
    site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    site.note("2026-03-01-old.md", "---\ntitle: Old\n---\n## 2026-03-01 10:00 · Resolved\nFine.\n")
    git_site(site.root, remote)
    # Someone's unrelated work in progress: staged, and not staged. Neither may be committed.
    (site.root / "statuspage.toml").write_text(site.config_path.read_text() + "\n# staged edit\n")
    git(site.root, "add", "statuspage.toml")
    site.note("2026-03-19-draft.md", "---\ntitle: Draft\n---\n## 2026-03-19 10:00 · Investigating\nDraft.\n")

    server, person = console(serve, env=GIT_ENV)
    assert "Nothing to publish" in person.get("/_console/").body
    person.form("/_console/new", {"title": "Login page offline", "component-login": "major_outage", "message": "Down."})
    person.form(f"/_console/resolve/{LOGIN}", {"message": "Up."})
    person.form("/_console/maintenance", {"title": "Database upgrade", "start": "2026-03-24 22:00",
                                         "end": "2026-03-24 23:00", "message": "Read-only."})  # fmt: skip
    assert pending(person) == [f"incidents/{LOGIN}.md", DATABASE]  # in the order posted
    section = publish(person)
    assert text_of(section.h3) == "Published."
    output = text_of(section.find("pre"))
    assert "$ git push origin HEAD" in output and "HEAD -> main" in output

    assert git(remote, "log", "-1", "--format=%s", "main").strip() == (
        "Login page offline: Investigating, Resolved; Database upgrade: Scheduled"
    )
    assert git(remote, "log", "-1", "--format=%(trailers)", "main").strip() == "Published-with: statuspage console"
    files = git(remote, "show", "--name-only", "--format=", "main").split()
    assert sorted(files) == [f"incidents/{LOGIN}.md", DATABASE]
    assert git(remote, "show", f"main:incidents/{LOGIN}.md") == (site.root / f"incidents/{LOGIN}.md").read_text()
    assert git(site.root, "diff", "--cached", "--name-only").split() == ["statuspage.toml"]  # still staged
    assert "?? incidents/2026-03-19-draft.md" in git(site.root, "status", "--porcelain")
    assert "Nothing to publish" in person.get("/_console/").body
    assert stop(server) == 0


def test_publish_pushes_no_commit_the_console_did_not_make(
    site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    git_site(site.root, remote)
    pushed = git(remote, "rev-parse", "main")
    # Someone's work in progress, committed and not pushed: publishing must not send it to the site's CI.
    site.note("2026-03-19-draft.md", "---\ntitle: Draft\n---\n## 2026-03-19 10:00 · Investigating\nDraft.\n")
    git(site.root, "add", "incidents/2026-03-19-draft.md")
    git(site.root, "commit", "-q", "-m", "Draft the March report")
    work = git(site.root, "rev-parse", "--short", "HEAD").strip()

    server, person = console(serve, env=GIT_ENV)
    person.form("/_console/new", {"title": "Login page offline", "message": "Down."})
    section = publish(person)
    assert text_of(section.h3) == "Not published: this branch has commits the console did not make"
    assert text_of(section.find("pre")) == f"{work} Draft the March report"
    assert "Nothing was committed or pushed" in text_of(section)
    assert git(remote, "rev-parse", "main") == pushed  # nothing went out
    assert git(site.root, "log", "-1", "--format=%s").strip() == "Draft the March report"  # nothing committed
    assert f"?? incidents/{LOGIN}.md" in git(site.root, "status", "--porcelain")
    assert pending(person) == [f"incidents/{LOGIN}.md"]  # kept for the next Publish

    git(site.root, "push", "-q", "origin", "main")  # its author decides it can go
    section = publish(person)
    assert text_of(section.h3) == "Published."
    assert git(remote, "log", "-2", "--format=%s", "main").split("\n")[:2] == [
        "Login page offline: Investigating",
        "Draft the March report",
    ]
    assert stop(server) == 0


def test_unpublished_posts_survive_a_restart(site: Site, serve: Callable[..., Server], tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git_site(site.root, remote)
    server, person = console(serve, env=GIT_ENV)
    person.form("/_console/new", {"title": "Login page offline", "message": "Down."})
    person.form("/_console/maintenance", {"title": "Database upgrade", "start": "2026-03-24 22:00",
                                         "end": "2026-03-24 23:00", "message": "Read-only."})  # fmt: skip
    person.form(f"/_console/update/{LOGIN}", {"status": "identified", "message": "Found it."})
    assert stop(server) == 0  # or it crashed, or the laptop rebooted
    # Meanwhile someone commits and pushes the maintenance by hand: it is published, so no longer listed.
    git(site.root, "add", DATABASE)
    git(site.root, "commit", "-q", "-m", "Schedule the upgrade")
    git(site.root, "push", "-q", "origin", "main")

    server, person = console(serve, env=GIT_ENV)
    assert pending(person) == [f"incidents/{LOGIN}.md"]
    assert text_of(publish(person).h3) == "Published."
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "Login page offline: Investigating, Identified"
    assert git(remote, "show", "--name-only", "--format=", "main").split() == [f"incidents/{LOGIN}.md"]
    assert stop(server) == 0

    server, person = console(serve, env=GIT_ENV)
    assert "Nothing to publish" in person.get("/_console/").body
    assert stop(server) == 0


def test_a_refused_push_is_shown_and_never_forced(site: Site, serve: Callable[..., Server], tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git_site(site.root, remote)
    elsewhere = tmp_path / "elsewhere"  # a colleague pushed meanwhile
    git(tmp_path, "clone", "-q", str(remote), str(elsewhere))
    (elsewhere / "README").write_text("theirs\n")
    git(elsewhere, "add", "README")
    git(elsewhere, "commit", "-q", "-m", "Theirs")
    git(elsewhere, "push", "-q", "origin", "main")
    theirs = git(remote, "rev-parse", "main")

    server, person = console(serve, env=GIT_ENV)
    person.form("/_console/new", {"title": "Login page offline", "message": "Down."})
    section = publish(person)
    assert text_of(section.h3) == "Publishing failed; nothing was forced. What git said:"
    assert "rejected" in text_of(section.find("pre"))
    assert git(remote, "rev-parse", "main") == theirs  # nothing overwritten
    assert text_of(section.find("p")) == "Committed, but not pushed yet."
    assert git(site.root, "log", "-1", "--format=%s").strip() == "Login page offline: Investigating"
    assert stop(server) == 0

    # A restart still knows the commit is the console's, waiting to be pushed; once the person has
    # pulled their colleague's work in a terminal, Publish pushes it.
    server, person = console(serve, env=GIT_ENV)
    overview = BeautifulSoup(person.get("/_console/").body, "html5lib").find(id="publish")
    assert text_of(overview.find("p")) == "Committed, but not pushed yet."
    git(site.root, "pull", "-q", "--rebase", "origin", "main")
    assert text_of(publish(person).h3) == "Published."
    assert git(remote, "log", "-2", "--format=%s", "main").split("\n")[:2] == [
        "Login page offline: Investigating",
        "Theirs",
    ]
    assert stop(server) == 0


def test_a_branch_never_pushed_is_not_published(site: Site, serve: Callable[..., Server], tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "statuspage.toml")
    git(site.root, "commit", "-q", "-m", "Start")
    git(site.root, "remote", "add", "origin", str(remote))  # and never pushed: what would go out is unknown
    server, person = console(serve, env=GIT_ENV)
    person.form("/_console/new", {"title": "Login page offline", "message": "Down."})
    section = publish(person)
    assert text_of(section.h3) == "Not published: git here has never seen the branch on origin"
    assert "git push --set-upstream origin HEAD" in text_of(section)
    assert git(remote, "rev-list", "--all") == ""
    assert pending(person) == [f"incidents/{LOGIN}.md"]
    assert stop(server) == 0


def test_the_console_config_is_read_with_every_problem_named(site: Site) -> None:
    site.config(site.config_path.read_text() + '\n[console]\nremote = "--upload-pack=evil"\nbrnach = "main"\n')
    run = site.check()
    assert run.code == 1
    assert "statuspage.toml: console.remote: '--upload-pack=evil' is not a git remote or branch name" in run.err
    assert "statuspage.toml: warning: console.brnach: unknown setting, ignored; did you mean 'branch'?" in run.err
    site.config(site.config_path.read_text().replace('"--upload-pack=evil"', '"upstream"'))
    config, _ = config_module.load(site.config_path)
    assert (config.console.remote, config.console.branch) == ("upstream", None)


def test_without_git_the_console_says_how_the_site_gets_published(site: Site, serve: Callable[..., Server]) -> None:
    server, person = console(serve, env={"GIT_CEILING_DIRECTORIES": str(site.root.parent)})
    section = BeautifulSoup(person.get("/_console/").body, "html5lib").find(id="publish")
    assert text_of(section.p).startswith("This site is not in a git repository, so the console cannot publish it.")
    assert section.find("button") is None
    assert stop(server) == 0
