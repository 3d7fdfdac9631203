"""Line endings and encodings as editors on every system save them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import CONFIG, Site

from statuspage import config
from statuspage.core.model import UpdateStatus
from statuspage.notes import load as content

NOTE = "---\ntitle: Café ☕\ncomponents:\n  api: major_outage\n---\n## 2026-03-14 09:05 · Investigating   \nLooking.\n\n## 2026-03-14 09:41 · Resolved\nFixed.\n"


def write_note(site: Site, name: str, data: bytes) -> None:
    path = site.root / "incidents" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),  # Windows
        lambda text: text.replace("\n", "\r").encode(),  # classic Mac OS
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),  # Notepad: BOM and CRLF
        lambda text: text.replace("\n", "\r\n", 3).encode(),  # mixed, after a paste
    ],
    ids=["lf", "crlf", "cr", "bom-crlf", "mixed"],
)
def test_line_endings_and_bom_read_the_same(site: Site, encode) -> None:  # type: ignore[no-untyped-def]
    write_note(site, "a.md", encode(NOTE))
    loaded, _ = config.load(site.config_path)
    (incident,) = content.load(loaded)[0]
    assert incident.title == "Café ☕"
    assert [(u.status, u.html) for u in incident.updates] == [
        (UpdateStatus.RESOLVED, "<p>Fixed.</p>"),
        (UpdateStatus.INVESTIGATING, "<p>Looking.</p>"),
    ]


def test_tabs_and_odd_spaces_in_headings(site: Site) -> None:
    site.note(
        "a.md",
        "--- \ntitle: T\t\n---  \n##\t2026-03-14 09:05\t·\tInvestigating\t\n##\u00a02026-03-14 09:41\u00a0-\u00a0Resolved  ##  \n",
    )
    assert site.check().code == 0
    loaded, _ = config.load(site.config_path)
    (incident,) = content.load(loaded)[0]
    assert incident.title == "T"
    berlin = ZoneInfo("Europe/Berlin")  # the test site's zone
    assert [(u.status, u.at) for u in incident.updates] == [
        (UpdateStatus.RESOLVED, datetime(2026, 3, 14, 9, 41, tzinfo=berlin)),
        (UpdateStatus.INVESTIGATING, datetime(2026, 3, 14, 9, 5, tzinfo=berlin)),
    ]


def test_tabs_in_front_matter_say_so(site: Site) -> None:
    site.note("a.md", "---\ntitle: T\ncomponents:\n\tapi: major_outage\n---\n## 2026-03-14 09:05 · Investigating\n")
    site.note("b.md", "---\ntitle: Login\tdown\n---\n## 2026-03-14 09:05 · Investigating\n")  # a tab inside: fine
    run = site.check()
    assert run.err.splitlines() == [
        "incidents/a.md:4: the front matter is not valid YAML: a tab is not allowed here; indent with spaces, and put text containing a tab in quotes",
        "1 error found; nothing was written.",
    ]


def test_windows_1252_bytes_name_the_file_line_and_offset(site: Site) -> None:
    # “Smart quotes” and an en dash as Word saves them in Windows-1252.
    write_note(
        site, "word.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nIt’s fixed – mostly.\n".encode("cp1252")
    )
    site.config_path.write_bytes(CONFIG.replace("Website", "Café").encode("cp1252"))
    run = site.check()
    assert run.err.splitlines() == [
        "statuspage.toml:7: is not UTF-8 text (byte 0xe9 at offset 116); save it as UTF-8",
        "1 error found; nothing was written.",
    ]
    site.config()
    run = site.check()
    assert run.err.splitlines() == [
        "incidents/word.md:5: is not UTF-8 text (byte 0x92 at offset 45); save the file as UTF-8",
        "1 error found; nothing was written.",
    ]


def test_utf16_is_named(site: Site) -> None:
    write_note(site, "notepad.md", NOTE.encode("utf-16"))
    run = site.check()
    assert run.err.splitlines()[0] == "incidents/notepad.md:1: is saved as UTF-16; save the file as UTF-8"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nexit code \x1b[31m1\x1b[0m\n",
            "incidents/a.md:5: contains the control character U+001B (column 11), which pages and feeds cannot show; delete it",
        ),
        (
            '---\ntitle: "bell \\a"\nstarted: 2026-03-14 09:00\n---\n',
            "incidents/a.md:2: title: contains the control character U+0007; delete it",
        ),
    ],
)
def test_control_characters_are_located(site: Site, text: str, message: str) -> None:
    site.note("a.md", text)
    run = site.check()
    assert run.err.splitlines()[0] == message


def test_control_characters_in_the_config(site: Site) -> None:
    site.config(CONFIG.replace('name = "API"', 'name = "API\\u0000"'))
    run = site.check()
    assert (
        run.err.splitlines()[0]
        == "statuspage.toml: components[2].name: contains the control character U+0000; delete it"
    )
