"""Scratch status sites in tmp_path, built through the real CLI."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from statuspage.cli import main

#: A fixed build time for every test (a Friday, after the examples below).
NOW = "2026-03-20T12:00:00+01:00"

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

    def check(self, now: str = NOW) -> Run:
        return self.run("check", "--config", str(self.config_path), "--now", now)

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


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
