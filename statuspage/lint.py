"""Checks on notes that need the built site: images without alt text, links to nowhere.

A note is valid Markdown long before it is a good page: an image nobody can describe fails
screen readers, and a link to a path the site does not have is a broken page. Both are
warnings naming the note and line (errors with --strict); links to other sites are not
fetched.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .core import addresses
from .core.config import Config
from .core.model import Incident, Reference
from .core.recall import EVER, ByBlock
from .errors import Problem, display_path


def check(config: Config, incidents: Sequence[Incident], paths: Collection[str]) -> list[Problem]:
    """Warnings for every reference in every update (posted or not) that would mislead a reader."""
    warnings = []
    for block in _to_check(config)(incidents):
        for incident, reference, place in block:
            for message in _problems(reference, place, paths):
                warnings.append(Problem(display_path(Path(incident.source)), reference.line, message, warning=True))
    return warnings


#: A reference that may mislead, with where on our host it leads (see `_on_site`).
Found = tuple[Incident, Reference, tuple[str, bool] | None]
#: The references to look at, by block of incidents, for the config they were found under:
#: a preview asks on every save, and looking at each of 10,000 notes' links cost 10-15 ms.
_FOUND: list[tuple[Config, ByBlock[Incident, list[Found]]]] = []


def _to_check(config: Config) -> ByBlock[Incident, list[Found]]:
    if not _FOUND or _FOUND[0][0] != config:
        _FOUND[:] = [(config, ByBlock(partial(_block, config)))]
    return _FOUND[0][1]


def _block(config: Config, block: tuple[Incident, ...], now: datetime) -> tuple[list[Found], datetime]:
    """The references of these incidents that lack alt text or lead to our own host: the same at any `now`.
    Whether the site has a file there is asked on every build, as files come and go."""
    found: list[Found] = []
    for incident in block:
        if not incident.references:
            continue
        page = config.url + addresses.incident(incident.slug)
        for reference in incident.references:
            place = _on_site(config.url, config.base_path, page, reference.target)
            if place is not None or (reference.image and not reference.alt):
                found.append((incident, reference, place))
    return found, EVER


def _problems(reference: Reference, place: tuple[str, bool] | None, paths: Collection[str]) -> list[str]:
    found = []
    if reference.image and not reference.alt:
        found.append(
            f"the image {reference.target} has no alt text; describe it for people who cannot see it, "
            f"like ![Error rate during the outage]({reference.target})"
        )
    missing = _missing(place, paths) if place is not None else None
    if missing is not None:
        what = f"shows the image {reference.target}" if reference.image else f"links to {reference.target}"
        found.append(f"{what}, which is not in the built site ({missing}); fix the address, or put the file in static/")
    return found


def _missing(place: tuple[str, bool], paths: Collection[str]) -> str | None:
    """The site path a reference points at when the site has no such file; None if it has."""
    path, inside = place
    if not inside:
        return path  # on our host, but outside the site
    if addresses.file_of(path) in paths or f"{path}/index.html" in paths:  # a folder without its slash is redirected
        return None
    return path or "/"


@lru_cache(maxsize=1 << 16)
def _on_site(site_url: str, base_path: str, page: str, target: str) -> tuple[str, bool] | None:
    """Where on our host a reference from `page` leads: the path below the site's base path
    (True), or the host's path outside it (False); None when it leads elsewhere. Remembered,
    because a preview asks again on every save; a link to another site skips urljoin, the
    cost of nearly every reference."""
    if not target or target.startswith("#"):
        return None
    site = urlsplit(site_url)
    if target.startswith(("https://", "http://")) and urlsplit(target).netloc != site.netloc:
        return None
    absolute = urlsplit(urljoin(page, target))
    if absolute.scheme not in ("http", "https") or absolute.netloc != site.netloc:
        return None
    if not absolute.path.startswith(base_path):
        return absolute.path, False
    return unquote(absolute.path[len(base_path) :]), True
