"""Build the repository's example site as the README does and serve it on 127.0.0.1 (for the docs scripts).

The build, the server and the Chromium settings are the browser tests' own, so the
screenshots and Lighthouse see what the tests check.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from browser.conftest import CHROMIUM, CHROMIUM_FLAGS, serve
from conftest import build_example_site

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "example_site"]


@contextmanager
def example_site() -> Iterator[str]:
    """Yield the URL of the freshly built example site."""
    with tempfile.TemporaryDirectory() as folder, serve(build_example_site(Path(folder) / "site")) as url:
        yield url
