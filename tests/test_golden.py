"""The whole output of a small site at a fixed `now`, byte for byte.

The site in tests/golden/site covers a DST day, an incident across midnight with a
per-update change, an ongoing note without headings, an upcoming maintenance, a
component with a `since` date and a sub-path URL. This test always compares with
tests/golden/expected and never writes it. When output changes on purpose, regenerate
the expected tree and review the diff:

    python tests/golden/regenerate.py
    git diff tests/golden/expected
"""

from __future__ import annotations

from pathlib import Path

from conftest import snapshot
from fixtures.golden import EXPECTED, build_golden


def test_golden_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_golden(out) == 0
    actual, wanted = snapshot(out), snapshot(EXPECTED)
    assert sorted(actual) == sorted(wanted)
    for path, data in wanted.items():
        assert actual[path] == data, f"{path} differs from tests/golden/expected; see this module's docstring"
