"""The Nu Html Checker (vnu.jar) finds no error in any page of the feature site, in every language."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import build_feature_site


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_page_is_valid_html(vnu: list[str], tmp_path: Path, example_site: Path, language: str) -> None:
    site = build_feature_site(tmp_path, language)
    pages = sorted(map(str, site.rglob("*.html")))
    if language == "en":
        pages += sorted(map(str, example_site.rglob("*.html")))
    # --also-check-css: the inlined stylesheet and the generated tooltip dates are checked too.
    result = subprocess.run(
        [*vnu, "--errors-only", "--also-check-css", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
    assert result.returncode == 0
    assert len(pages) >= 8  # status, history, 404 and five incident pages at least
