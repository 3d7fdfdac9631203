"""Build the repository's example site as the README does and serve it on 127.0.0.1 (for the docs scripts)."""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from statuspage.cli import main

ROOT = Path(__file__).parent.parent
README_NOW = "2026-11-28T15:00+01:00"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def example_site() -> Iterator[str]:
    """Yield the URL of the freshly built example site."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        argv = ["build", "--config", str(ROOT / "statuspage.toml"), "--out", str(site), "--now", README_NOW, "-q"]
        if main(argv) != 0:
            raise SystemExit("the example site did not build")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/"
        finally:
            server.shutdown()
            server.server_close()
