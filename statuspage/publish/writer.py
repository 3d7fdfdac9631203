"""The only writer: assemble the new site beside the old one, then swap it in atomically.

Unchanged files are hard-linked from the previous build, so their bytes and modification
times stay as they were (rsync and CDN uploads skip them). The site replaced by a swap is
kept as `.<site>.spare` and becomes the next build's staging folder. With a `Manifest` (what
the site holds, and where the spare differs from it) bringing the spare up to date touches
only the files this build or the last one changed; without one, every file is looked at. A
lock stops two builds from writing the same folder, and leftovers of a killed build are
removed by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.addresses import MARKER
from ..errors import BuildError
from ..storage import identity

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_MARKER_TEXT = b"Built by statuspage. This folder is replaced on every build; edit the notes instead.\n"


class Previous:
    """Stands for "the same bytes as this path in the previous build"; the caller vouches for it."""


#: Output data meaning: keep the previous build's file (hard-linked, so its mtime stays).
KEEP = Previous()


@dataclass(frozen=True)
class WriteStats:
    files: int
    bytes: int
    changed: int  # files whose bytes differ from the previous build


@dataclass
class Manifest:
    """Every file of the site with its size, and the files where the spare is not the site's
    very file. Kept true as the spare changes, so after a failed build it still describes it."""

    files: dict[str, int]
    differ: set[str] = field(default_factory=set)


def write(
    outputs: Iterable[tuple[str, bytes | Previous]],
    site: Path,
    protected: Iterable[Path] = (),
    manifest: Manifest | None = None,
) -> tuple[WriteStats, Manifest]:
    """Write every (relative path, bytes) into `site`, replacing its previous content whole.

    KEEP may stand only for files the `manifest` lists; without a manifest, for any file of
    the site. Returns the manifest of the new site and its spare."""
    import tempfile  # here, not at the top: a build with nothing to do (publish.stamp) never writes

    _refuse_dangerous(site, protected)
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _lock(site):
            _clean_leftovers(site)
            spare = _spare(site)
            staging = spare if spare.is_dir() else Path(tempfile.mkdtemp(prefix=f".{site.name}.tmp-", dir=site.parent))
            everything = itertools.chain(outputs, [(MARKER, _MARKER_TEXT)])
            try:
                os.chmod(staging, 0o755)
                if manifest is not None and staging == spare:
                    stats, new = _update(str(staging), str(site), everything, manifest)
                else:
                    stats, new = _fill(staging, site, everything)
                _swap(staging, site)
            except BaseException:
                _discard(staging, spare)
                raise
    except OSError as error:  # a full or read-only disk, permissions
        raise BuildError(f"cannot write {site}: {error.strerror or error}; the previous site is unchanged") from None
    return stats, new


def _spare(site: Path) -> Path:
    return site.parent / f".{site.name}.spare"


def folders_of(site: Path) -> list[list[int] | None]:
    """The identities of the site's folder and its spare: a build that finds them as the last
    one left them may trust its manifest; a folder replaced or restored since may not."""
    return [identity(str(site)), identity(str(_spare(site)))]


def _discard(staging: Path, spare: Path) -> None:
    """After a failed build: a half-updated spare is still a fine staging folder; a new one goes."""
    if staging != spare:
        shutil.rmtree(staging, ignore_errors=True)


def _fill(
    staging: Path, previous: Path, outputs: Iterable[tuple[str, bytes | Previous]]
) -> tuple[WriteStats, Manifest]:
    """Make `staging` hold exactly `outputs`, linking every file whose bytes are already in `previous`.

    Plain string paths: this runs once per page, and pathlib costs more than the syscalls.
    """
    leftovers, folders = _tree(str(staging))
    before = _tree(str(previous))[0] if previous.is_dir() else set()
    files: dict[str, int] = {}
    written: set[str] = set()
    for relative, data in outputs:
        _check_new(relative, files)
        leftovers.discard(relative)
        target, old = os.path.join(staging, relative), os.path.join(previous, relative)
        _make_parent(staging, relative, folders)
        if isinstance(data, Previous) or _same_bytes(old, data):
            files[relative] = _link(old, target)
        else:
            files[relative] = _put(target, data)
            written.add(relative)
    for relative in leftovers:
        _remove(os.path.join(staging, relative))
    _prune_empty_folders(str(staging), {os.path.dirname(r) for r in leftovers})
    # After the swap the spare is `previous`: it differs where this build wrote, and where it had files no more.
    return WriteStats(len(files), sum(files.values()), len(written)), Manifest(files, written | (before - files.keys()))


def _update(
    staging: str, site: str, outputs: Iterable[tuple[str, bytes | Previous]], manifest: Manifest
) -> tuple[WriteStats, Manifest]:
    """Bring the spare `staging` up to date from the live `site` it differs from only where
    `manifest` says: first make it the site's twin there, then apply this build's changes."""
    folders: set[str] = {""}
    for relative in sorted(manifest.differ):
        if relative in manifest.files:
            _make_parent(staging, relative, folders)
            _link(os.path.join(site, relative), os.path.join(staging, relative))
        else:
            _remove(os.path.join(staging, relative))
    _prune_empty_folders(staging, {os.path.dirname(r) for r in manifest.differ - manifest.files.keys()})
    files: dict[str, int] = {}
    written: set[str] = set()
    for relative, data in outputs:
        _check_new(relative, files)
        if isinstance(data, Previous):
            if relative not in manifest.files:
                raise BuildError(f"{relative} was to be kept but is not in the site; build again with --force")
            files[relative] = manifest.files[relative]
            continue
        if relative in manifest.files and _same_bytes(os.path.join(site, relative), data):
            files[relative] = len(data)
            continue
        manifest.differ.add(relative)  # before touching it: a failed build leaves the manifest true
        _make_parent(staging, relative, folders)
        files[relative] = _put(os.path.join(staging, relative), data)
        written.add(relative)
    gone = manifest.files.keys() - files.keys()
    manifest.differ |= gone
    for relative in gone:
        _remove(os.path.join(staging, relative))
    _prune_empty_folders(staging, {os.path.dirname(r) for r in gone})
    return WriteStats(len(files), sum(files.values()), len(written)), Manifest(files, written | gone)


def _check_new(relative: str, files: dict[str, int]) -> None:
    _check_relative(relative)
    if relative in files:
        raise BuildError(f"two outputs want the same path {relative}; rename one of the notes")


def _make_parent(root: str | Path, relative: str, folders: set[str]) -> None:
    parent = os.path.dirname(relative)
    if parent not in folders:
        os.makedirs(os.path.join(root, parent), exist_ok=True)
        folders.add(parent)


def _put(target: str, data: bytes) -> int:
    """Write a new file at `target`; never write through the old one, which the live site may share."""
    _remove(target)
    with open(target, "wb") as file:
        file.write(data)
    return len(data)


def _tree(root: str) -> tuple[set[str], set[str]]:
    """The files and the folders under `root`, as relative POSIX paths ("" is `root` itself)."""
    files: set[str] = set()
    folders = {""}
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path)
                else:
                    files.add(path)
    return files, folders


def _check_relative(path: str) -> None:
    """Refuse anything but a plain relative path like "incidents/login/index.html": no empty
    part (a leading, trailing or double slash), no "." or "..", no backslash. Asked of every
    file of every build, so as substring tests."""
    wrapped = f"/{path}/"
    if "//" in wrapped or "/./" in wrapped or "/../" in wrapped or "\\" in path:
        raise BuildError(f"refusing to write outside the site folder: {path!r}")


def _same_bytes(old: str, data: bytes) -> bool:
    try:
        if os.lstat(old).st_size != len(data) or os.path.islink(old):
            return False
        with open(old, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def _link(old: str, new: str) -> int:
    """Make `new` the same file as `old` (nothing to do if it already is); return its size."""
    try:
        source = os.stat(old)
    except FileNotFoundError:
        raise BuildError(f"{old} is missing from the site; build again with --force") from None
    try:
        target = os.stat(new)
        if (target.st_dev, target.st_ino) == (source.st_dev, source.st_ino):
            return source.st_size
    except FileNotFoundError:
        pass
    _remove(new)
    os.link(old, new)
    return source.st_size


def _remove(path: str) -> None:
    """Remove a file or folder; never write through a file, which may be linked into the live site."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _prune_empty_folders(root: str, candidates: set[str]) -> None:
    """Remove folders left empty by removed files, deepest first, up to the root."""
    for folder in sorted(candidates, key=lambda f: f.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:  # not empty, or already gone
                break
            folder = os.path.dirname(folder)


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
    """Put `staging` in place of `site`; the replaced site becomes the next build's spare."""
    spare = _spare(site)
    if not site.exists():
        os.rename(staging, site)
        return
    if _exchange(staging, site):
        if staging != spare:
            shutil.rmtree(spare, ignore_errors=True)
            os.rename(staging, spare)
        return
    # No atomic exchange here: two renames, and `_clean_leftovers` repairs a kill in between.
    old = site.parent / f".{site.name}.old-{os.getpid()}"
    os.rename(site, old)
    try:
        os.rename(staging, site)
    except OSError:
        os.rename(old, site)
        raise
    shutil.rmtree(spare, ignore_errors=True)
    os.rename(old, spare)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes.util  # here, not at the top: a build with nothing to do never swaps

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
