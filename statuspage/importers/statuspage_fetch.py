"""Where Atlassian Statuspage documents come from: a page's public API, saved copies, or the management API.

The public API (`<page>/api/v2/components.json`, `incidents.json`, `scheduled-maintenances.json`)
needs no key and holds the latest 50 of each. The management API holds the whole history: it
is paginated (100 a page) and allows one request a second, so requests are paced, and a 429
is retried after its Retry-After by `net.Client`. Its key is read from the environment
variable the user names and never appears in a message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import display_path
from ..net import NetError, Response, describe
from .fields import read_json, read_text
from .records import Export, Options, SourceError

log = logging.getLogger(__name__)

PER_PAGE = 100
#: A page's documents, by the names Statuspage serves them under.
PUBLIC = ("components.json", "incidents.json", "scheduled-maintenances.json")
#: More pages than any page has; a server that never stops paginating is not followed forever.
MAX_PAGES = 10_000


@dataclass
class Documents:
    components: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""

    def add(self, data: Any, shown: str, export: Export) -> None:
        """Take what one document holds: a v2 document (`{"page": …, "incidents": […]}`) or a bare list."""
        if isinstance(data, dict):
            page = data.get("page")
            if isinstance(page, dict) and not self.label:
                self.label = str(page.get("url") or page.get("name") or "")
            found = False
            for key, target in (
                ("components", self.components),
                ("incidents", self.incidents),
                ("scheduled_maintenances", self.incidents),
            ):
                items = data.get(key)
                if isinstance(items, list):
                    target.extend(item for item in items if isinstance(item, dict))
                    found = True
            if found:
                return
        elif isinstance(data, list):
            items = [item for item in data if isinstance(item, dict)]
            incidents = [item for item in items if "incident_updates" in item]
            self.incidents.extend(incidents)
            self.components.extend(item for item in items if "incident_updates" not in item and "status" in item)
            if items:
                return
        export.note(shown, "holds no components, incidents or scheduled maintenances; ignored")


def fetch(source: str, options: Options, export: Export) -> Documents:
    """The documents SOURCE names: the management API with --page-id, else an address, else files."""
    if options.page_id:
        return _management(options)
    if not source:
        raise SourceError("give the page's address (https://status.example.com), saved files, or --page-id")
    if urlsplit(source).scheme in ("http", "https"):
        return _public(source, options, export)
    return _saved(Path(source), export)


# -- the public API --------------------------------------------------------------------------


def _public(address: str, options: Options, export: Export) -> Documents:
    base = address.rstrip("/")
    if not base.endswith("/api/v2"):
        base += "/api/v2"
    documents = Documents(label=address.rstrip("/"))
    for name in PUBLIC:
        log.info("Reading %s from %s", name, describe(address))
        try:
            response = options.client.request("GET", f"{base}/{name}", headers={"Accept": "application/json"})
        except NetError as error:
            if name == "scheduled-maintenances.json" and error.status == 404:
                export.note(name, "not served by this page (HTTP 404); no maintenance imported")
                continue
            raise SourceError(f"cannot read {name}: {error}") from None
        documents.add(_json(response, name), name, export)
    return documents


def _json(response: Response, shown: str) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):
        raise SourceError(f"{shown}: the answer is not JSON; is this a Statuspage page?") from None


# -- saved copies ------------------------------------------------------------------------------


def _saved(path: Path, export: Export) -> Documents:
    documents = Documents()
    if path.is_dir():
        folder = path / "api" / "v2" if (path / "api" / "v2").is_dir() else path
        files = [folder / name for name in (*PUBLIC, "summary.json") if (folder / name).is_file()]
        if not files:
            raise SourceError(f"{display_path(path)} has none of {', '.join(PUBLIC)}")
    else:
        files = [path]
    for file in files:
        shown = display_path(file)
        documents.add(read_json(read_text(file, shown), shown), shown, export)
    documents.label = documents.label or display_path(path)
    return documents


# -- the management API ----------------------------------------------------------------------


def _management(options: Options) -> Documents:
    if not options.api_key_env:
        raise SourceError("--page-id needs --api-key-env NAME: the environment variable that holds the API key")
    key = options.environ.get(options.api_key_env, "").strip()
    if not key:
        raise SourceError(f"the environment variable {options.api_key_env} is not set; put the API key in it")
    get = _Paced(options, {"Authorization": f"OAuth {key}", "Accept": "application/json"})
    page = quote(options.page_id or "", safe="")
    root = f"{options.api_url.rstrip('/')}/pages/{page}"
    return Documents(
        components=_all_pages(get, f"{root}/components", "per_page", "components"),
        groups=_all_pages(get, f"{root}/component-groups", "per_page", "component groups"),
        incidents=_all_pages(get, f"{root}/incidents", "limit", "incidents"),
        label=f"page {options.page_id}",
    )


class _Paced:
    """GET at most once per `pace` seconds, on the client's own clock (so tests need not wait)."""

    def __init__(self, options: Options, headers: dict[str, str]):
        self.client, self.pace, self.headers = options.client, options.pace, headers
        self.last: float | None = None

    def __call__(self, url: str) -> Response:
        if self.last is not None:
            wait = self.last + self.pace - self.client.clock()
            if wait > 0:
                self.client.sleep(wait)
        try:
            return self.client.request("GET", url, headers=self.headers)
        finally:
            self.last = self.client.clock()


def _all_pages(get: Callable[[str], Response], url: str, size: str, what: str) -> list[dict[str, Any]]:
    """Every item of a paginated list: pages of PER_PAGE until a shorter one."""
    items: list[dict[str, Any]] = []
    for number in range(1, MAX_PAGES + 1):
        try:
            response = get(f"{url}?page={number}&{size}={PER_PAGE}")
        except NetError as error:
            hint = "; check the API key and --page-id" if error.status in (401, 403, 404) else ""
            raise SourceError(f"cannot read the {what} from the management API: {error}{hint}") from None
        data = _json(response, f"the management API's {what}")
        if not isinstance(data, list):
            raise SourceError(f"the management API's {what} are not a list; is --api-url right?")
        items.extend(item for item in data if isinstance(item, dict))
        log.info("Read %d %s from the management API", len(items), what)
        if len(data) < PER_PAGE:
            break
    return items
