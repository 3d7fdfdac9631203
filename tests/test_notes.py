"""The text layout of a note: front matter and `## <time> · <status>` update headings."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage.notes.front_matter import parse_front_matter
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


_KEY = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
_VALUE = st.sampled_from(["x", "major outage", '"a: b"', "2026-03-14 09:41", "'quoted'", "12"])


@st.composite
def _front_matter(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """Front matter as authors write it, with the line each key was written on: the oracle."""
    lines: list[str] = []
    expected: dict[str, int] = {}
    for key in draw(st.lists(_KEY, min_size=1, max_size=5, unique=True)):
        lines += draw(st.lists(st.sampled_from(["", "# a comment"]), max_size=2))
        expected[key] = len(lines)
        shape = draw(st.sampled_from(["scalar", "mapping", "sequence", "flow"]))
        if shape == "scalar":
            lines.append(f"{key}: {draw(_VALUE)}")
            continue
        subs = draw(st.lists(_KEY, min_size=1, max_size=3, unique=True))
        if shape == "flow":
            lines.append(f"{key}: [{', '.join(subs)}]")
            expected.update({f"{key}.{sub}": len(lines) - 1 for sub in subs})
            continue
        lines.append(f"{key}:")
        for sub in subs:
            lines += draw(st.lists(st.just("   # between"), max_size=1))
            expected[f"{key}.{sub}"] = len(lines)
            lines.append(f"  {sub}: {draw(_VALUE)}" if shape == "mapping" else f"  - {sub}")
    return "\n".join(lines), expected


@settings(max_examples=200)
@given(_front_matter(), st.integers(min_value=1, max_value=50))
def test_key_lines_are_the_lines_the_keys_are_on(written: tuple[str, dict[str, int]], first_line: int) -> None:
    """libyaml's parse gives the values and the lines at once; the lines are where the text has the keys."""
    text, expected = written
    front = parse_front_matter(text, first_line)
    assert front.lines == {key: first_line + line for key, line in expected.items()}
    assert front.fields == yaml.safe_load(text)


def test_a_merge_key_keeps_its_line() -> None:
    """Construction flattens `<<` into the mapping in place; the lines are read before that."""
    front = parse_front_matter("title: T\n<<: {impact: minor}\n", 2)
    assert front.fields == {"title": "T", "impact": "minor"}
    assert front.lines == {"title": 2, "<<": 3, "<<.impact": 3}
