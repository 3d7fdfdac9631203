"""The shape every output has: `{path: bytes or Deferred}`, paths relative to the site root.

Most files are cheap and given as bytes. A page that costs a template render is given as a
`Deferred`: its key sums up everything it shows, so the publisher renders it only when no
file made from the same key is already in the site. Outputs stay pure (no file is read or
written to decide), and the publisher stays free of templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(slots=True)  # not frozen: a build makes one per page, and frozen ones cost three times as much
class Deferred:
    key: str | None  # None: render on every build (the page shows the build time)
    make: Callable[[], bytes]


Files = Mapping[str, bytes | Deferred]
