"""The whole output of a small site at a fixed `now`, byte for byte.

The site in tests/golden/site covers a DST day, an incident across midnight with a
per-update change, an ongoing note without headings, an upcoming maintenance, a
component with a `since` date and a sub-path URL. When output changes on purpose,
regenerate the expected tree and review the diff:

    STATUSPAGE_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import snapshot

from statuspage.cli import main

GOLDEN = Path(__file__).parent / "golden"
NOW = "2026-03-16T12:00:00-04:00"


def test_golden_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert (
        main(["build", "--config", str(GOLDEN / "site" / "statuspage.toml"), "--out", str(out), "--now", NOW, "-q"])
        == 0
    )
    expected = GOLDEN / "expected"
    if os.environ.get("STATUSPAGE_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    actual, wanted = snapshot(out), snapshot(expected)
    assert sorted(actual) == sorted(wanted)
    for path, data in wanted.items():
        assert actual[path] == data, f"{path} differs from tests/golden/expected; see this module's docstring"
