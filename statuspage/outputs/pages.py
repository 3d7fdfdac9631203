"""The HTML pages: the status page, a page per incident and per component, the history, the 404.

Each page is planned with all it shows and a key that sums that up, and rendered by the
publisher only when its key changed (see `files.Deferred`). Only the status page and the
component pages show the build time ("Updated …"), so their keys hold `now` and a build at
another moment makes them again; the others change only when what they show changes, so
their files (and modification times) stay put between scheduled builds.

A page that shows the build time is rendered with a placeholder for it, and the time filled in.
A process that builds again (the preview, by the clock) keeps the rendered page and only fills in
the new time while the rest of what it shows is unchanged: by the clock, rendering the status
page and twelve component pages anew was a third of a preview's rebuild at 10,000 notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import jinja2

from ..core import addresses
from ..core.config import Config
from ..core.model import Incident
from ..core.recall import Recall, blocks, forget_after, same
from ..core.site import Site
from ..core.status import MONTHS, IncidentState, Phase
from ..files import Deferred, Files
from . import keys, templates
from .formatting import BUILD_TIME, BUILD_TIME_SHOWN
from .keys import listing_key, page_key, state_key


@dataclass(slots=True)  # not frozen: one per page, 10,000 a build, and frozen ones cost three times as much
class Page:
    """One page: where it goes, the template that renders it, all it shows, and its key."""

    path: str  # relative to the site root, e.g. "incidents/login/index.html"
    template: str
    #: What the page shows, or how to work it out when it is rendered (most pages never are).
    context: dict[str, Any] | Callable[[], dict[str, Any]]
    key: str | None = None  # None: render every time
    timed: bool = False  # shows the build time (`updated`), which its key leaves out


def render(site: Site) -> Files:
    env = templates.environment(site.config)
    now = site.summary.now
    # A site's own templates may show the time in ways the placeholder does not stand for.
    theme_only = not templates.overridden(site.config)

    def deferred(page: Page) -> Deferred:
        if page.timed:
            key = page.key and f"{page.key} {now.isoformat()}"
            return Deferred(key, partial(_timed, env, site.config, page, now, theme_only))
        return Deferred(page.key, partial(_render, env, site.config, page))

    planned = plan(site)
    home = next(planned)
    files: dict[str, bytes | Deferred] = {home.path: deferred(home)}
    for block in _incident_files(site, env):
        files.update(block)
    files.update((page.path, deferred(page)) for page in planned)
    return files


def _render(env: jinja2.Environment, config: Config, page: Page, **more: object) -> bytes:
    # The 404 page is served at any depth, so it links from the site's absolute path.
    root = config.base_path if page.path == addresses.NOT_FOUND else addresses.root_of(page.path)
    address = addresses.address_of(page.path)
    shown = page.context() if callable(page.context) else page.context
    context = {**shown, **more, "root": root, "page_url": config.url + address, "page_path": page.path}
    return templates.render(env, page.template, context)


#: Pages that show the build time, as last rendered in this process with the placeholder for it,
#: by path, with the config and key they were rendered for.
_TIMED: dict[str, tuple[Config, str | None, bytes]] = {}
_PLACEHOLDER = BUILD_TIME_SHOWN.encode()


def _timed(env: jinja2.Environment, config: Config, page: Page, now: datetime, theme_only: bool) -> bytes:
    """A page that shows the build time: rendered with a placeholder for it, or found again if
    rendered so for the same config and key, and the time filled in; rendered as is if the site
    has templates of its own."""
    if not theme_only:
        return _render(env, config, page)
    kept = _TIMED.get(page.path)
    if kept is None or kept[0] != config or kept[1] != page.key or page.key is None:
        kept = _TIMED[page.path] = (config, page.key, _render(env, config, page, updated=BUILD_TIME))
    return kept[2].replace(_PLACEHOLDER, env.filters["when"](now).encode())


def plan(site: Site) -> Iterator[Page]:
    """Every page but the incidents' (see `_incident_files`), the status page first."""
    summary = site.summary
    yield Page(
        addresses.file_of(addresses.HOME),
        "index.html",
        {"summary": summary, "titles": site.titles, "updated": summary.now, "upstream": site.upstream},
        _home_key(site, drawn := keys.drawn(summary)),
        timed=True,
    )
    yield from _history_pages(site)
    yield from _component_pages(site, drawn)
    yield Page(addresses.NOT_FOUND, "404.html", {"updated": None}, key=page_key("404"))


def listed_addresses(site: Site) -> Iterator[str]:
    """The address of every page a reader may look for (the 404 page is not one): for the sitemap."""
    yield addresses.HOME
    for incident in site.incidents:
        yield addresses.incident(incident.slug)
    for number in range(1, len(_history_chunks(site)) + 1):
        yield addresses.history(number)
    for cid in site.config.component_ids:
        yield addresses.component(cid)


#: Each incident's page, with the very incident and state it shows: found again by the next
#: plan while neither changed (an ongoing one shows how long it has gone on, so is planned anew).
_PLANNED: Recall[Page] = Recall()


#: The incidents' pages' files by block of incidents, with the very environment, incidents and
#: states they were made for, while none of them is ongoing: a preview's save finds all but the
#: changed note's block again, where planning each of 10,000 pages cost 25 ms.
_FILES: dict[int, tuple[list[object], dict[str, Deferred]]] = {}


def _incident_files(site: Site, env: jinja2.Environment) -> Iterator[dict[str, Deferred]]:
    """Each incident's page, by block of incidents, the newest block first."""
    states, now = site.summary.states, site.summary.now
    for number, block in blocks(site.incidents):
        shown = [states[incident.slug] for incident in block]
        made_from = [env, *block, *shown]
        kept = _FILES.get(number)
        if kept is not None and same(kept[0], made_from):
            yield kept[1]
            continue
        files = {}
        for incident, state in zip(block, shown, strict=True):
            page = _incident_page(incident, state, now)
            files[page.path] = Deferred(page.key, partial(_render, env, site.config, page))
        if any(state.phase is Phase.ONGOING for state in shown):  # shows how long it has gone on
            _FILES.pop(number, None)
        else:
            _FILES[number] = made_from, files
        yield files
    forget_after(_FILES, len(site.incidents))


def _incident_page(incident: Incident, state: IncidentState, now: datetime) -> Page:
    if state.phase is not Phase.ONGOING:
        found = _PLANNED.get(incident.slug, incident, state)
        return found or _PLANNED.keep(incident.slug, _planned(incident, state, None), incident, state)
    return _planned(incident, state, now - incident.start)


def _planned(incident: Incident, state: IncidentState, ongoing_for: timedelta | None) -> Page:
    context = {"incident": incident, "state": state, "ongoing_for": ongoing_for, "updated": None}
    path = addresses.file_of(addresses.incident(incident.slug))
    return Page(path, "incident.html", context, state_key(incident, state, ongoing_for))


def _component_pages(site: Site, drawn: dict[str, str]) -> Iterator[Page]:
    """A page per component: its status, bars, monthly uptime, and the incidents that touched it."""
    summary = site.summary
    shown = {cid: {slug for month in c.months for slug in month.incidents} for cid, c in summary.components.items()}
    order = _positions(site.incidents, set().union(*shown.values()))
    for c in summary.components.values():
        cid = c.component.id
        current = [i for i in summary.ongoing + summary.active_maintenance if cid in i.component_ids]
        touched = shown[cid] - {i.slug for i in current}
        upcoming = [i for i in summary.upcoming_maintenance if cid in i.component_ids]
        past = [site.incidents[n] for n in sorted(order[slug] for slug in touched)]
        context = {
            "summary": summary,
            "c": c,
            "current": current,
            "upcoming": upcoming,
            "past": past,
            "months": MONTHS,
            "titles": site.titles,
            "updated": summary.now,
            "upstream": site.upstream,
        }
        yield Page(
            addresses.file_of(addresses.component(cid)),
            "component.html",
            context,
            _summary_key(f"component {cid}", site, {cid: drawn[cid]}, [*current, *upcoming, *past]),
            timed=True,
        )


def _positions(incidents: Sequence[Incident], slugs: set[str]) -> dict[str, int]:
    """Where each of these incidents is in the newest-first list: the months the component pages
    show are the last few, so the scan stops long before the oldest of 10,000 notes."""
    found: dict[str, int] = {}
    for n, incident in enumerate(incidents):
        if len(found) == len(slugs):
            break
        if incident.slug in slugs:
            found[incident.slug] = n
    return found


def _home_key(site: Site, drawn: dict[str, str]) -> str | None:
    summary = site.summary
    runs = [(newest, oldest, tuple(i.slug for i in incidents)) for newest, oldest, incidents in summary.recent_runs]
    listed = [*summary.ongoing, *summary.active_maintenance, *summary.upcoming_maintenance]
    listed += [i for _, _, incidents in summary.recent_runs for i in incidents]
    return _summary_key("home", site, drawn, listed, summary.level, summary.description, runs)


def _summary_key(
    name: str, site: Site, drawn: dict[str, str], incidents: Sequence[Incident], *more: object
) -> str | None:
    """The key of a page that shows the components `drawn` and lists `incidents` (all but the
    build time): the components' summaries, each listed incident's state, and the titles the
    bars name. None when an incident was not read from a note."""
    components = [site.summary.components[cid] for cid in drawn]
    named = sorted({slug for c in components for day in c.days for slug in day.incidents})
    titles = [site.titles.get(slug) for slug in named]
    return listing_key(site.summary, incidents, drawn, repr(site.upstream), named, titles, *more, name=name)


@dataclass(frozen=True)
class Month:
    first_day: date
    incidents: tuple[Incident, ...]


def _history_chunks(site: Site) -> list[tuple[Incident, ...]]:
    """Past and ongoing incidents, newest first, `history_per_page` a page (one empty page at least)."""
    listed = site.history
    per_page = site.config.history_per_page
    return [listed[n : n + per_page] for n in range(0, len(listed), per_page)] or [()]


def _history_pages(site: Site) -> Iterator[Page]:
    """Incidents by month, empty months shown, each page starting where the one before ended."""
    config, summary = site.config, site.summary
    chunks = _history_chunks(site)
    top = _month_of(summary.now, config)
    for number, chunk in enumerate(chunks, start=1):
        bottom = _month_of(chunk[-1].start, config) if chunk else top
        months = (top.isoformat(), bottom.isoformat())
        key = listing_key(summary, chunk, "history", number, len(chunks), *months, name=f"history {number}")
        context = partial(_history_context, site, chunk, top, bottom, number, len(chunks))
        yield Page(addresses.file_of(addresses.history(number)), "history.html", context, key)
        if number < len(chunks):
            following = _month_of(chunks[number][0].start, config)
            top = bottom if following == bottom else _previous_month(bottom)


def _history_context(
    site: Site, chunk: Sequence[Incident], top: date, bottom: date, number: int, pages: int
) -> dict[str, Any]:
    """A history page's months and its incidents' states: worked out only for a page to render."""
    states = {i.slug: site.summary.states[i.slug] for i in chunk}
    months = _months(top, bottom, chunk, site.config)
    return {"months": months, "number": number, "pages": pages, "states": states, "updated": None}


def _month_of(moment: datetime, config: Config) -> date:
    return moment.astimezone(config.timezone).date().replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _months(top: date, bottom: date, chunk: Sequence[Incident], config: Config) -> tuple[Month, ...]:
    by_month: dict[date, list[Incident]] = {}
    for incident in chunk:
        by_month.setdefault(_month_of(incident.start, config), []).append(incident)
    months = []
    month = top
    while month >= bottom:
        months.append(Month(month, tuple(by_month.get(month, ()))))
        month = _previous_month(month)
    return tuple(months)
