"""The layers of docs/architecture.md hold: checked on the import graph, on what a process
loads, and on who writes into the site folder.

Each check runs in a fresh interpreter, so nothing another test imported can hide a breach.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from conftest import CONFIG, NOW, README_NOW, ROOT

LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
#: What the domain must never load: it is arithmetic on plain values.
HEAVY = ("jinja2", "yaml", "babel", "feedgen", "pyromark", "nh3", "watchdog", "icalendar", "markupsafe")


def python(code: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def lint_imports(project: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/status.py", "import jinja2", "the core is the domain"),
        ("outputs/api.py", "from ..notes import load", "outputs show a validated Site"),
        ("authoring/listing.py", "from ..outputs import formatting", "authoring edits notes, never the site"),
        ("preview/watch.py", "from .. import cli", "nothing imports the command line"),
        ("importers/plan.py", "from ..outputs import api", "importers turn sources into notes"),
        ("probes/rollup.py", "import socket", "the build reads what probes recorded without the network"),
        ("probes/checks.py", "from ..authoring import save", "a check is one attempt"),
        ("notify/events.py", "from ..net import Client", "notify's events, words and ledger are pure"),
        ("notify/run.py", "from ..publish import writer", "notify reads the site the build reads"),
        ("upstream/store.py", "from .. import net", "only the parts that must talk to the network can"),
        ("upstream/fetch.py", "from ..outputs import pages", "upstream fetches and keeps vendors' snapshots"),
        ("outputs/embeds.py", "from ..upstream import store", "outputs show a validated Site"),
        ("preview/console/forms.py", "from ...authoring import save", "the console writes notes only through"),
        ("notes/reader.py", "import jinja2", "notes know nothing of how they are shown"),
        ("publish/writer.py", "from ..outputs import pages", "the publisher writes what it is given"),
        ("lint.py", "from .cli import arguments", "nothing imports the command line"),
    ],
)
def test_a_broken_layer_fails_the_check(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """The contracts are not vacuous: one forbidden import in a copy of the package breaks them."""
    shutil.copytree(ROOT / "statuspage", tmp_path / "statuspage", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "statuspage" / module
    text = target.read_text()
    first_import = text.index("\nfrom ") + 1
    target.write_text(text[:first_import] + line + "\n" + text[first_import:])
    result = lint_imports(tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken) or contract in result.stdout.split("Broken contracts")[-1]


def test_the_status_arithmetic_loads_only_the_standard_library() -> None:
    result = python(
        """
        import json, sys
        before = set(sys.modules)
        import statuspage.core.status, statuspage.core.uptime, statuspage.core.site
        import statuspage.core.clock, statuspage.core.addresses, statuspage.core.looks
        print(json.dumps(sorted(set(sys.modules) - before)))
        """
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "statuspage.core.status" in loaded
    assert not [name for name in loaded if name.split(".")[0] in HEAVY]
    outside = {name.split(".")[0] for name in loaded} - set(sys.stdlib_module_names) - {"statuspage"}
    outside = {name for name in outside if not name.startswith("_sysconfigdata")}  # the stdlib's own build data
    assert not outside, f"the core loaded {sorted(outside)}"


def test_listing_what_is_ongoing_loads_no_template_engine() -> None:
    result = python(
        f"""
        import sys
        from statuspage.cli import main
        code = main(["list", "--config", "statuspage.toml", "--now", "{README_NOW}", "-q"])
        print(code, sorted(name for name in ("jinja2", "markupsafe", "feedgen", "icalendar") if name in sys.modules))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_a_rebuild_that_changes_no_feed_loads_no_feed_library_and_no_network_client(tmp_path: Path) -> None:
    """A site that follows no vendor never needs the HTTP client (with ssl and email under it,
    a fiftieth of a one-note rebuild), and a rebuild whose feeds and calendar stay as they were
    needs neither feedgen nor icalendar."""
    (tmp_path / "statuspage.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "incidents").mkdir()
    note = "---\ntitle: {title}\n{more}components:\n  api: major_outage\n---\n\n## 2026-03-20 10:05 · Investigating\nDown.\n"
    (tmp_path / "incidents" / "2026-03-20-api.md").write_text(note.format(title="API down", more=""), "utf-8")
    build = f"""
        import sys
        from statuspage.cli import main
        code = main(["build", "--config", "statuspage.toml", "--now", "{NOW}", "-q"])
        print(code, sorted(name for name in ("http.client", "ssl", "feedgen", "icalendar") if name in sys.modules))
        """
    first = python(build, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "0 ['feedgen', 'icalendar']"  # the first build makes them
    draft = note.format(title="Not yet", more="draft: true\n")
    (tmp_path / "incidents" / "2026-03-20-draft.md").write_text(draft, "utf-8")  # shown nowhere
    again = python(build, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().splitlines()[-1] == "0 []"


#: Runs a whole build with an audit hook that records every write into the output folder (or
#: its staging and spare folders beside it) and the package module that asked for it.
AUDIT = """
import json, os, sys
from pathlib import Path

out = Path(sys.argv[1]).resolve()
writes = []

def inside(path):
    # In the site, or in a folder beside it that becomes the site (staging, spare)...
    try:
        resolved = Path(os.fsdecode(path)).resolve()
    except (TypeError, ValueError):
        return False
    return any(
        folder.parent == out.parent and folder.name.startswith((out.name, "." + out.name + "."))
        for folder in (resolved, *resolved.parents)
    )

def caller():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("statuspage."):
            return name
        frame = frame.f_back
    return "?"

WRITING = {"os.rename", "os.replace", "os.link", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "shutil.rmtree"}

def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = args[1] or "", args[2] or 0
        if ("w" in mode or "a" in mode or "x" in mode or "+" in mode or flags & (os.O_WRONLY | os.O_RDWR)) and inside(args[0]):
            writes.append(caller())
    elif event in WRITING and any(isinstance(a, (str, bytes, os.PathLike)) and inside(a) for a in args[:2]):
        writes.append(caller())

sys.addaudithook(hook)
from statuspage.cli import main
code = main(["build", "--config", "statuspage.toml", "--out", str(out), "--now", sys.argv[2], "-q"])
print(json.dumps({"code": code, "writers": sorted(set(writes)), "count": len(writes)}))
"""


def test_only_the_publisher_writes_into_the_site(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", AUDIT, str(tmp_path / "site"), README_NOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert report["count"] > 50  # the hook saw the build's writes: it is not blind
    assert report["writers"] and all(name.startswith("statuspage.publish.") for name in report["writers"]), report
