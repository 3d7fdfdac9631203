"""RSS 2.0, Atom and JSON feeds with one entry per incident update.

One entry per update, not per incident: feed readers never show a changed entry again,
so an incident entry that gets edited would hide every later update from subscribers.
A feed shows only its newest entries, so each file is keyed by them and made only when
they changed: editing an old note leaves the site's 39 feed files alone.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from html import escape
from typing import TYPE_CHECKING

from ..core import addresses
from ..core.config import Config
from ..core.model import Incident, Update
from ..core.site import Site
from ..core.status import Summary
from ..core.words import status_title
from ..files import Deferred, Files
from . import i18n, json_feed
from .formatting import Formatter, formatter
from .keys import page_key, state_key

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

#: How a value goes into the entry's words: escaped for HTML, as it is for plain text.
Quote = Callable[[str], str]


@dataclass(frozen=True)
class Entry:
    incident: Incident
    update: Update


def latest_entries(
    posted: Sequence[Incident], summary: Summary, limit: int, wanted: Callable[[Incident], bool] = lambda i: True
) -> list[Entry]:
    """The newest `limit` posted updates, newest first, in a stable order.

    `posted` is in `Summary.by_latest_update` order, so only the first `limit` wanted incidents can
    hold them: the updates of all others (nearly all, on a site with years of history) are
    never looked at.
    """
    newest = itertools.islice((incident for incident in posted if wanted(incident)), limit)
    candidates = (
        (update.at, incident.slug, update.anchor, Entry(incident, update))
        for incident in newest
        for update in summary.states[incident.slug].updates
    )
    return [item[3] for item in heapq.nlargest(limit, candidates, key=lambda item: item[:3])]


def render(site: Site) -> Files:
    """The site-wide feeds, at the paths Statuspage uses (clients already look there), and one per component."""
    config, summary = site.config, site.summary
    posted = summary.by_latest_update
    entries = latest_entries(posted, summary, config.feed_entries)
    result = _deferred(config, summary, entries, title=config.title, folder=addresses.HOME)
    for component in config.components:
        mine = latest_entries(posted, summary, config.feed_entries, wanted=partial(_touches, component.id))
        title = f"{component.name} · {config.title}"
        result |= _deferred(config, summary, mine, title=title, folder=addresses.component(component.id))
    return result


def _touches(component_id: str, incident: Incident) -> bool:
    return component_id in incident.component_ids


def _deferred(
    config: Config, summary: Summary, entries: Sequence[Entry], *, title: str, folder: str
) -> dict[str, bytes | Deferred]:
    """The folder's three feed files, each made only when its key changed. An entry shows its
    update and its incident as of now; a feed without entries shows the build time."""
    shown = [state_key(e.incident, summary.states[e.incident.slug], e.update.anchor) for e in entries]
    key = None if None in shown else page_key("feed", title, folder, shown or summary.now.isoformat())
    make = partial(document, config, entries, summary.now, title=title, folder=folder)
    return {path: Deferred(key, partial(make, path)) for path in feed_paths(folder)}


def feed_paths(folder: str) -> tuple[str, str, str]:
    """The JSON Feed, Atom and RSS files of a page's folder."""
    return addresses.json_feed(folder), addresses.feed(folder, "atom"), addresses.feed(folder, "rss")


def document(config: Config, entries: Sequence[Entry], now: datetime, path: str, *, title: str, folder: str) -> bytes:
    """One of the folder's feeds (which one, by its path), of these entries."""
    gettext = i18n.translations(config.language).gettext
    if path == addresses.json_feed(folder):
        items = [
            json_feed.Item(
                config.url + addresses.update(e.incident.slug, e.update.anchor),
                entry_title(e, gettext),
                entry_html(config, e, gettext),
                entry_text(config, e, gettext),
                e.update.at,
                (e.incident.kind.value, e.update.status.value),
            )
            for e in entries
        ]
        return json_feed.document(config, items, title=title, folder=folder)
    kind = "atom" if path == addresses.feed(folder, "atom") else "rss"
    updated = entries[0].update.at if entries else now
    feed = _feed(config, title, config.url + folder, config.url + path, updated)
    if kind == "rss":  # readers show an RSS description as HTML; Atom's subtitle is plain text
        feed.description(escape(config.description or title, quote=False))
    for entry in entries:
        _add(feed, config, entry, gettext)
    return bytes(feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True))


def _feed(config: Config, title: str, page_url: str, self_url: str, updated: datetime) -> FeedGenerator:
    # Imported here: feedgen and lxml take longer to import than a rebuild takes to find the feeds unchanged.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(config.description or title)
    feed.author({"name": config.title})
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.language(config.language)
    # feedgen would stamp the wall clock; an explicit time keeps builds byte-identical.
    feed.updated(updated)
    feed.lastBuildDate(updated)
    return feed


def _add(feed: FeedGenerator, config: Config, entry: Entry, gettext: Callable[[str], str]) -> None:
    """Titles and text are for people, in the site's language; ids, links and dates stay machine fields."""
    incident, update = entry.incident, entry.update
    link = config.url + addresses.update(incident.slug, update.anchor)
    item = feed.add_entry(order="append")
    item.id(link)
    item.guid(link, permalink=True)
    item.title(entry_title(entry, gettext))
    item.link(href=link, rel="alternate")
    item.published(update.at)
    item.updated(update.at)
    item.content(entry_html(config, entry, gettext), type="html")


def entry_title(entry: Entry, gettext: Callable[[str], str]) -> str:
    """ "Resolved: Login page offline", in the site's language."""
    return status_title(entry.update.status.label, entry.incident.title, gettext)


def entry_html(config: Config, entry: Entry, gettext: Callable[[str], str]) -> str:
    """The update's text and the components the incident touches; a maintenance's window first,
    since subscribers read the entry, not the page."""
    window = _window(config, entry.incident, gettext, escape)
    affected = _affected(config, entry.incident, gettext, escape)
    return (f"<p>{window}</p>\n" if window else "") + entry.update.html + (f"<p>{affected}</p>" if affected else "")


def entry_text(config: Config, entry: Entry, gettext: Callable[[str], str]) -> str:
    """The same as plain text (JSON Feed's `content_text`), paragraphs apart."""
    parts = (_window(config, entry.incident, gettext), entry.update.text, _affected(config, entry.incident, gettext))
    return "\n\n".join(part for part in parts if part)


def _plain(text: str) -> str:
    return text


def _window(config: Config, incident: Incident, gettext: Callable[[str], str], quote: Quote = _plain) -> str:
    if not incident.is_maintenance or incident.end is None:
        return ""
    fmt: Formatter = formatter(config.timezone, config.language)
    window = f"{fmt.datetime(incident.start)} – {fmt.datetime(incident.end)}"
    return gettext("Scheduled for %(window)s") % {"window": quote(window)}


def _affected(config: Config, incident: Incident, gettext: Callable[[str], str], quote: Quote = _plain) -> str:
    if not incident.component_ids:
        return ""
    listed = ", ".join(quote(config.component_names[cid]) for cid in incident.component_ids)
    return gettext("Affected: %(components)s") % {"components": listed}
