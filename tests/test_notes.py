"""The text layout of a note: front matter and `## <time> · <status>` update headings."""

from __future__ import annotations

import pytest

from statuspage.notes.layout import LayoutError, split


def test_front_matter_and_updates_with_lines() -> None:
    layout = split(
        "---\ntitle: T\n---\n\n## 2026-03-14 09:41 · Resolved\nFixed.\n\n## 2026-03-14 09:05 · Investigating\nLooking.\n"
    )
    assert layout.front_matter == "title: T"
    assert [(b.line, b.time, b.status, b.body) for b in layout.blocks] == [
        (5, "2026-03-14 09:41", "Resolved", "Fixed."),
        (8, "2026-03-14 09:05", "Investigating", "Looking."),
    ]
    assert layout.preamble == ""


@pytest.mark.parametrize("separator", ["·", "-", "—", "–", "|", ":"])
def test_every_separator_people_type(separator: str) -> None:
    (block,) = split(f"---\ntitle: T\n---\n## 2026-03-14 09:41 {separator} in progress\n").blocks
    assert (block.time, block.status) == ("2026-03-14 09:41", "in progress")


@pytest.mark.parametrize(
    ("heading", "time", "status", "changes"),
    [
        ("## 2026-03-14 09:41 -05:00 - Resolved", "2026-03-14 09:41 -05:00", "Resolved", None),
        ("## 2026-03-14T09:41Z|RESOLVED ##", "2026-03-14T09:41Z", "RESOLVED", None),
        (
            "## 2026-03-14 09:41 · Monitoring (api: degraded_performance, web: operational)   ",
            "2026-03-14 09:41",
            "Monitoring",
            "api: degraded_performance, web: operational",
        ),
    ],
)
def test_heading_variants(heading: str, time: str, status: str, changes: str | None) -> None:
    (block,) = split(f"---\ntitle: T\n---\n{heading}\n").blocks
    assert (block.time, block.status, block.changes) == (time, status, changes)


def test_other_headings_and_code_fences_stay_in_the_body() -> None:
    text = "---\ntitle: T\n---\n## 2026-03-14 09:41 · Postmortem\n## Root cause\n```\n## 2026-01-01 00:00 · Resolved\n```\ntext\n"
    (block,) = split(text).blocks
    assert block.body == "## Root cause\n```\n## 2026-01-01 00:00 · Resolved\n```\ntext"


def test_body_without_headings_is_the_preamble() -> None:
    layout = split("---\nstarted: 2026-03-14 09:00\n---\n\nAll good now.\n")
    assert layout.blocks == ()
    assert (layout.preamble, layout.preamble_line) == ("All good now.", 4)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: T\n", 1, "a note must start with a front matter block: a line '---', the fields, then '---'"),
        ("---\ntitle: T\n", 1, "the front matter opened on line 1 is never closed; add a line '---' after it"),
        (
            "---\ntitle: T\n---\n\n## 2026-03-14 Resolved\n",
            5,
            "cannot read the update heading '## 2026-03-14 Resolved'; write it like '## 2026-03-14 09:41 · Resolved' (time, a separator, then the status)",
        ),
    ],
)
def test_layout_errors(text: str, line: int, message: str) -> None:
    with pytest.raises(LayoutError) as caught:
        split(text)
    assert (caught.value.line, str(caught.value)) == (line, message)
