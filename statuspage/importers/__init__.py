"""`statuspage import`: bring another status page's history in as ordinary notes.

Each source is one module with a `read(source, options) -> Export` (see `records`); adding
one is a module and a line in `IMPORTERS`. `run` is the whole command: read, plan, write.
"""

from __future__ import annotations

from . import cstate, statusfy, statuspage, upptime
from .records import Read

#: Every kind of source `statuspage import KIND` knows, with what it reads.
IMPORTERS: dict[str, tuple[Read, str]] = {
    "statuspage": (statuspage.read, "Atlassian Statuspage: a page's address, saved API documents, or --page-id"),
    "cstate": (cstate.read, "cState: a Hugo site folder (config.yml and content/issues/)"),
    "upptime": (upptime.read, "Upptime: a clone (.upptimerc.yml) with an issues export, or the export"),
    "statusfy": (statusfy.read, "Statusfy: a site folder (config, locales/, content/)"),
}
