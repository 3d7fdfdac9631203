"""Replace tests/golden/expected with a fresh build of tests/golden/site, and say what changed.

    python tests/golden/regenerate.py

The build is the one tests/test_golden.py runs (tests/fixtures/golden.py). Review the result
with `git diff tests/golden/expected` before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for `fixtures`

from fixtures.golden import EXPECTED, build_golden, files


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "site"
        code = build_golden(out)
        if code != 0:
            print(f"the golden site did not build (exit code {code}); tests/golden/expected is unchanged")
            return code
        old, new = files(EXPECTED), files(out)
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
    root = EXPECTED.relative_to(EXPECTED.parent.parent.parent)
    changes = [
        *(f"added    {root}/{path}" for path in sorted(new.keys() - old.keys())),
        *(f"removed  {root}/{path}" for path in sorted(old.keys() - new.keys())),
        *(f"changed  {root}/{path}" for path in sorted(old.keys() & new.keys()) if old[path] != new[path]),
    ]
    print("\n".join(changes) if changes else f"{root} is unchanged")
    if changes:
        print(f"{len(changes)} file(s) differ; review with: git diff {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
