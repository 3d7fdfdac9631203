"""Checks on notes that need the built site: images without alt text, links to nowhere.

A note is valid Markdown long before it is a good page: an image nobody can describe fails
screen readers, and a link to a path the site does not have is a broken page. Both are
warnings naming the note and line (errors with --strict); links to other sites are not
fetched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .core import addresses
from .core.config import Config
from .core.model import Incident, Reference
from .errors import Problem, display_path


def check(config: Config, incidents: Iterable[Incident], paths: Collection[str]) -> list[Problem]:
    """Warnings for every reference in every update (posted or not) that would mislead a reader."""
    warnings = []
    for incident in incidents:
        if not incident.references:
            continue
        page = config.url + addresses.incident(incident.slug)
        for reference in incident.references:
            for message in _problems(config, page, reference, paths):
                warnings.append(Problem(display_path(Path(incident.source)), reference.line, message, warning=True))
    return warnings


def _problems(config: Config, page: str, reference: Reference, paths: Collection[str]) -> list[str]:
    found = []
    if reference.image and not reference.alt:
        found.append(
            f"the image {reference.target} has no alt text; describe it for people who cannot see it, "
            f"like ![Error rate during the outage]({reference.target})"
        )
    missing = _missing(config, page, reference.target, paths)
    if missing is not None:
        what = f"shows the image {reference.target}" if reference.image else f"links to {reference.target}"
        found.append(f"{what}, which is not in the built site ({missing}); fix the address, or put the file in static/")
    return found


def _missing(config: Config, page: str, target: str, paths: Collection[str]) -> str | None:
    """The site path a reference points at when the site has no such file; None if it has, or
    if the reference leads elsewhere (another site, an e-mail address, a part of the page)."""
    place = _on_site(config.url, config.base_path, page, target)
    if place is None:
        return None
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
