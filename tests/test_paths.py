"""Note file names and links: slugs stay inside the site, symlinks stay inside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Site, snapshot
from hypothesis import given
from hypothesis import strategies as st

from statuspage.core import addresses
from statuspage.errors import BuildError
from statuspage.publish import writer
from statuspage.publish.writer import write

NOTE = "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nBody.\n"


def test_odd_file_names_become_safe_slugs(site: Site) -> None:
    names = {
        "Café Outage!.md": "cafe-outage",
        "x\\..\\..\\etc\\passwd.md": "x-etc-passwd",  # backslashes are ordinary characters on POSIX
        "  spaced  out  .md": "spaced-out",
        "ÆØÅ — ŁÓDŹ.md": "a-odz",  # Å, Ó, Ź decompose to ASCII; Æ, Ø, Ł have no decomposition and drop out
        "2026-03-14 login (EU).md": "2026-03-14-login-eu",
    }
    for name in names:
        site.note(name, NOTE)
    assert site.build().code == 0
    pages = sorted(p.parent.name for p in (site.out / "incidents").glob("*/index.html"))
    assert pages == sorted(names.values())
    assert all(p.resolve().is_relative_to(site.out.resolve()) for p in site.out.rglob("*"))


def test_hidden_and_leftover_files_are_ignored(site: Site) -> None:
    for name in (".hidden.md", "..md", ".#lock.md", "~draft.md", "#autosave#.md", "readme.md", "note.md.swp"):
        site.note(name, "not a note at all")
    site.note("real.md", NOTE)
    run = site.build()
    assert run.code == 0, run.err
    assert sorted(p.name for p in (site.out / "incidents").iterdir()) == ["real"]


def test_names_that_collide_after_slugging_name_both_files(site: Site) -> None:
    site.note("Café.md", NOTE)
    site.note("cafe.md", NOTE)
    site.note("🚀.md", NOTE)
    run = site.check()
    assert run.err.splitlines() == [
        "incidents/cafe.md: has the same web address /incidents/cafe/ as incidents/Café.md; rename one of them",
        "incidents/🚀.md: the file name has no letters or digits to make a web address from; rename it",
        "2 errors found; nothing was written.",
    ]


def test_a_symlink_out_of_the_project_is_refused(site: Site, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    secret.write_text("---\ntitle: Secret\nstarted: 2026-03-14 09:00\n---\ntoken=hunter2\n")
    site.note("real.md", NOTE)
    (site.root / "incidents" / "leak.md").symlink_to(secret)
    (site.root / "incidents" / "zero.md").symlink_to("/dev/zero")  # would never stop reading
    run = site.build()
    assert run.code == 1
    assert run.err.splitlines() == [
        f"incidents/leak.md: links to {secret}, outside the site's folder; copy the note into incidents/ instead",
        "incidents/zero.md: links to /dev/zero, outside the site's folder; copy the note into incidents/ instead",
        "2 errors found; nothing was written.",
    ]
    assert not site.out.exists()


def test_symlinks_inside_the_project_are_followed(site: Site) -> None:
    (site.root / "drafts").mkdir()
    (site.root / "drafts" / "shared.md").write_text(NOTE)
    site.note("real.md", NOTE)
    (site.root / "incidents" / "linked.md").symlink_to("../drafts/shared.md")
    assert site.build().code == 0
    assert (site.out / "incidents" / "linked" / "index.html").is_file()


def test_an_incidents_folder_linked_from_elsewhere_works(site: Site, tmp_path_factory: pytest.TempPathFactory) -> None:
    shared = tmp_path_factory.mktemp("shared-notes")
    (shared / "a.md").write_text(NOTE)
    (site.root / "incidents").symlink_to(shared, target_is_directory=True)
    assert site.build().code == 0
    assert (site.out / "incidents" / "a" / "index.html").is_file()


def test_special_files_and_broken_links_are_errors_not_hangs(site: Site) -> None:
    site.note("real.md", NOTE)
    os.mkfifo(site.root / "incidents" / "pipe.md")  # reading it would wait forever
    (site.root / "incidents" / "folder.md").mkdir()
    (site.root / "incidents" / "gone.md").symlink_to("missing.md")
    run = site.check()
    assert run.err.splitlines() == [
        "incidents/folder.md: is not a regular file; a note is a Markdown text file",
        "incidents/gone.md: cannot be read: No such file or directory",
        "incidents/pipe.md: is not a regular file; a note is a Markdown text file",
        "3 errors found; nothing was written.",
    ]


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../x", ""])
def test_the_writer_refuses_paths_outside_the_site(tmp_path: Path, path: str) -> None:
    site = tmp_path / "site"
    with pytest.raises(BuildError) as caught:
        write([("index.html", b"ok"), (path, b"evil")], site)
    assert str(caught.value) == f"refusing to write outside the site folder: {path!r}"
    assert not site.exists()
    assert snapshot(tmp_path) == {".site.lock": b""}


def test_a_taken_name_gets_the_first_free_number_and_the_key_decides_what_is_taken() -> None:
    # The one home of "-2, -3, …" (API group ids, update anchors, imported notes and components).
    assert addresses.unique("api", set()) == "api"
    assert addresses.unique("api", {"api", "api-2", "api-4"}) == "api-3"
    # Imported notes compare by slug: "Mar Login" is taken when "mar-login" is.
    assert addresses.unique("Mar Login", {"mar-login"}, key=addresses.slugify) == "Mar Login-2"
    taken = {"a"}
    assert addresses.unique("a", taken) == "a-2" and taken == {"a"}  # the caller adds it once it is used


@given(st.text("a./\\", max_size=8))
def test_the_writers_path_check_is_the_plain_definition(path: str) -> None:
    """No empty part, no "." or "..", no backslash: the substring tests say exactly that."""
    plain = bool(path) and "\\" not in path and all(part not in ("", ".", "..") for part in path.split("/"))
    try:
        writer._check_relative(path)
    except BuildError:
        assert not plain
    else:
        assert plain
