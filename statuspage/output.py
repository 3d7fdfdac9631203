"""The only writer: assemble the new site beside the old one, then swap it in atomically.

Unchanged files are hard-linked from the previous build, so their bytes and modification
times stay as they were (rsync and CDN uploads skip them). A lock stops two builds from
writing the same folder, and leftovers of a killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BuildError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Written into every built site so a later build knows the folder is safe to replace.
MARKER = ".statuspage"
_MARKER_TEXT = b"Built by statuspage. This folder is replaced on every build; edit the notes instead.\n"


@dataclass(frozen=True)
class WriteStats:
    files: int
    bytes: int
    changed: int  # files whose bytes differ from the previous build


def write(outputs: Iterable[tuple[str, bytes]], site: Path, protected: Iterable[Path] = ()) -> WriteStats:
    """Write every (relative path, bytes) into `site`, replacing its previous content whole."""
    _refuse_dangerous(site, protected)
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _lock(site):
            _clean_leftovers(site)
            staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.tmp-", dir=site.parent))
            try:
                os.chmod(staging, 0o755)
                stats = _fill(staging, site, itertools.chain(outputs, [(MARKER, _MARKER_TEXT)]))
                _swap(staging, site)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as error:  # a full or read-only disk, permissions
        raise BuildError(f"cannot write {site}: {error.strerror or error}; the previous site is unchanged") from None
    return stats


def _fill(staging: Path, previous: Path, outputs: Iterable[tuple[str, bytes]]) -> WriteStats:
    seen: set[str] = set()
    files = total = changed = 0
    for relative, data in outputs:
        relative = _safe_relative(relative)
        if relative in seen:
            raise BuildError(f"two outputs want the same path {relative}; rename one of the notes")
        seen.add(relative)
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _link_if_unchanged(previous / relative, target, data):
            target.write_bytes(data)
            changed += 1
        files += 1
        total += len(data)
    return WriteStats(files, total, changed)


def _safe_relative(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BuildError(f"refusing to write outside the site folder: {path!r}")
    return str(pure)


def _link_if_unchanged(old: Path, new: Path, data: bytes) -> bool:
    try:
        if not old.is_file() or old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def _refuse_dangerous(site: Path, protected: Iterable[Path]) -> None:
    for folder in protected:
        folder = folder.resolve()
        if site == folder or site in folder.parents:
            raise BuildError(f"refusing to build into {site}: it would replace {folder}; choose another --out")
    if site.exists() and not site.is_dir():
        raise BuildError(f"{site} exists and is not a folder; remove it or choose another --out")
    if site.is_dir() and any(site.iterdir()) and not (site / MARKER).exists():
        raise BuildError(
            f"{site} already has files not built by statuspage; empty it or choose another --out (nothing was changed)"
        )


@contextmanager
def _lock(site: Path) -> Iterator[None]:
    path = site.parent / f".{site.name}.lock"
    with open(path, "a") as handle:
        if fcntl is None:  # Windows: no advisory locks; concurrent builds are not guarded there
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another build is writing {site} right now; wait for it to finish and try again"
            ) from None
        yield


def _clean_leftovers(site: Path) -> None:
    """Remove what a killed build left behind; restore the site if it was caught mid-swap."""
    old = sorted(site.parent.glob(f".{site.name}.old-*"))
    if old and not site.exists():
        os.rename(old.pop(), site)
    for leftover in [*old, *site.parent.glob(f".{site.name}.tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(staging: Path, site: Path) -> None:
    if not site.exists():
        os.rename(staging, site)
        return
    if _exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    # No atomic exchange here: two renames, and `_clean_leftovers` repairs a kill in between.
    old = site.parent / f".{site.name}.old-{os.getpid()}"
    os.rename(site, old)
    try:
        os.rename(staging, site)
    except OSError:
        os.rename(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
