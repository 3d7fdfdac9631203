"""An event as people read it, in the site's language: what every channel's message shows.

Titles are the feed entries' ("Resolved: Login page offline"), links the update on its
incident's page, colours the theme's, times as the pages write them. Channels only lay out
a `Notice`; none of them decides what to say.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from ..core import addresses, looks
from ..core.model import Impact, Incident
from ..core.site import Site
from ..core.timeline import as_of
from ..core.words import status_title
from ..outputs import formatting, i18n
from ..outputs.api import Statuspage
from ..outputs.i18n import N_
from .events import CLOCK_STATUS, ComponentEvent, Event, IncidentEvent, Kind

_IMPACT_LABELS = {
    Impact.NONE: N_("No impact"),
    Impact.MINOR: N_("Minor impact"),
    Impact.MAJOR: N_("Major impact"),
    Impact.CRITICAL: N_("Critical impact"),
}


@dataclass(frozen=True)
class Notice:
    event: Event
    title: str  # "Resolved: Login page offline"
    subtitle: str  # "Major impact", "Scheduled maintenance"
    url: str  # the update on its incident's page
    text: str  # plain text
    html: str  # the same, sanitised HTML
    level: str  # the look: a key of looks.LEVELS
    facts: tuple[tuple[str, str], ...]  # ("Affected", "Login, Website"), ("Started", "…")
    at: datetime
    when: str  # `at` as the pages write it: "Nov 28, 2026, 14:45 CET"
    thread: str  # the same for every message about one incident: its page's address
    site_title: str
    site_url: str

    @property
    def colour(self) -> str:
        """Hex, without "#": the theme's light colour, which also reads well on dark chat themes."""
        return looks.LEVELS[self.level].light

    @property
    def named_colour(self) -> str:
        return looks.NAMED[self.level]

    def plain_lines(self) -> list[str]:
        """The message as plain text, below its title: for email and Apprise."""
        facts = [f"{label}: {value}" for label, value in self.facts]
        return [self.subtitle, "", self.text, "", *facts, "", self.url]

    def footer(self, *, when: bool = True) -> list[str]:
        """What a chat message's small print says, to be joined with " · ": the site, the kind, the time."""
        return [self.site_title, self.subtitle, *([self.when] if when else [])]


class Context:
    """What every message of one run shares: the site, its words, and the API's objects."""

    def __init__(self, site: Site):
        self.site = site
        self.gettext: Callable[[str], str] = i18n.translations(site.config.language).gettext
        self.formatter = formatting.formatter(site.config.timezone, site.config.language)
        self._notices: dict[str, Notice] = {}

    @functools.cached_property
    def api(self) -> Statuspage:
        site = self.site
        return Statuspage(site.config, site.incidents, site.summary)

    def notice(self, event: Event) -> Notice:
        if event.id not in self._notices:
            made = self._incident(event) if isinstance(event, IncidentEvent) else self._component(event)
            self._notices[event.id] = made
        return self._notices[event.id]

    def _incident(self, event: IncidentEvent) -> Notice:
        """As it stood at the event: a run that sends two updates at once must not show the second's
        components in the first."""
        incident, update, _ = as_of(event.incident, event.at) or event.incident, event.update, self.gettext
        status = CLOCK_STATUS.get(event.kind, update.status)
        config = self.site.config
        if event.kind is Kind.UPDATE:
            url = config.url + addresses.update(incident.slug, update.anchor)
        else:
            url = config.url + addresses.incident(incident.slug)
        return Notice(
            event=event,
            title=status_title(status.label, incident.title, _),
            subtitle=_("Scheduled maintenance") if incident.is_maintenance else _(_IMPACT_LABELS[incident.impact]),
            url=url,
            text=update.text,
            html=update.html,
            # An update that ends the incident or the window is green, whatever the impact was.
            level=incident.level if status.is_open else "none",
            facts=self._facts(incident),
            at=event.at,
            when=self.formatter.datetime(event.at),
            thread=config.url + addresses.incident(incident.slug),
            site_title=config.title,
            site_url=config.url,
        )

    def _facts(self, incident: Incident) -> tuple[tuple[str, str], ...]:
        _, when = self.gettext, self.formatter.datetime
        facts = []
        if incident.component_ids:
            names = self.site.config.component_names
            facts.append((_("Affected"), ", ".join(names[cid] for cid in incident.component_ids)))
        if incident.is_maintenance and incident.end is not None:
            facts.append((_("Scheduled for"), f"{when(incident.start)} – {when(incident.end)}"))
        else:
            facts.append((_("Started"), when(incident.start)))
        return tuple(facts)

    def _component(self, event: ComponentEvent) -> Notice:
        _, config = self.gettext, self.site.config
        name, old, new = event.component.name, _(event.old.label), _(event.new.label)
        text = f"{name}: {old} → {new}"
        return Notice(
            event=event,
            title=status_title(event.new.label, name, _),
            subtitle=config.title,
            url=config.url + addresses.component(event.component.id),
            text=text,
            html=f"<p>{escape(text)}</p>",
            level=looks.of_status(event.new).level,
            facts=(),
            at=event.at,
            when=self.formatter.datetime(event.at),
            thread=config.url + addresses.component(event.component.id),
            site_title=config.title,
            site_url=config.url,
        )
