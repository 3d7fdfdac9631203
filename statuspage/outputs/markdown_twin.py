"""`index.md`: the status page as Markdown, for terminals, chat bots and language models.

The same summary as the HTML page, in the same words and language: the banner, what is
going on, every component with its status and window uptime, and its bars as one character
a day. Names from notes and vendors are escaped, so a title cannot turn into a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..core import addresses
from ..core.model import ComponentStatus, Incident
from ..core.site import Site
from ..core.upstream import Vendor
from ..core.uptime import Day
from ..files import Files
from . import i18n
from .formatting import formatter

#: One character a day, as tall as the day was good: a sparkline of the bars.
BARS = {
    ComponentStatus.OPERATIONAL: "█",
    ComponentStatus.UNDER_MAINTENANCE: "▇",
    ComponentStatus.DEGRADED_PERFORMANCE: "▅",
    ComponentStatus.PARTIAL_OUTAGE: "▃",
    ComponentStatus.MAJOR_OUTAGE: "▁",
}
NO_DATA = "·"
#: What could start emphasis, code, a link or markup in the middle of a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def render(site: Site) -> Files:
    return {addresses.MARKDOWN: ("\n".join(_lines(site)) + "\n").encode("utf-8")}


def escape(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def bars(days: tuple[Day, ...]) -> str:
    return "".join(BARS[d.worst] if d.has_data else NO_DATA for d in days)


def _lines(site: Site) -> Iterator[str]:
    config, summary, upstream = site.config, site.summary, site.upstream
    translations = i18n.translations(config.language)
    _ = translations.gettext
    fmt = formatter(config.timezone, config.language)
    yield f"# {escape(config.title)}"
    yield ""
    yield f"**{_(summary.description)}** · {_('As of %(time)s') % {'time': fmt.datetime(summary.now)}}"
    for heading, incidents in (
        (_("Ongoing incidents"), summary.ongoing),
        (_("Maintenance in progress"), summary.active_maintenance),
        (_("Scheduled maintenance"), summary.upcoming_maintenance),
    ):
        if incidents:
            yield from ("", f"## {heading}")
            for incident in incidents:
                yield from _incident(site, incident, _, fmt.datetime)
    yield from ("", f"## {_('Components')}", "")
    days = translations.ngettext("Uptime over the last day", "Uptime over the last %(num)s days", config.uptime_days)
    legend = ", ".join(f"{BARS[s]} {_(s.label)}" for s in ComponentStatus)
    oldest, none = _("oldest first"), _("No data")
    yield f"{days % {'num': config.uptime_days}}, {oldest}: {legend}, {NO_DATA} {none}."
    for group in summary.groups:
        if group.name:
            yield from ("", f"### {escape(group.name)}")
        yield ""
        for c in group.components:
            look = upstream.look(c.component.id, c.status)
            status = _("Affected by a third party") if look == "third_party" else _(c.status.label)
            uptime = _("no data") if c.uptime is None else _("%(percent)s uptime") % {"percent": fmt.percent(c.uptime)}
            link = config.url + addresses.component(c.component.id)
            yield f"- [{escape(c.component.name)}]({link}): {status}, {uptime}"
            for vendor in upstream.affecting.get(c.component.id, ()):
                yield f"  - {_('Affected by a third party:')} {_vendor_line(vendor, _)}"
            yield f"  `{bars(c.days)}`"
    for name, vendors in upstream.groups:
        yield from ("", f"### {escape(name)}")
        for vendor in vendors:
            yield from _vendor(vendor, _, fmt.datetime, fmt.percent)
    yield from ("", f"## {_('Subscribe and API')}", "")
    yield f"- {_('Atom feed')}: {config.url}{addresses.feed(addresses.HOME, 'atom')}"
    yield f"- {_('RSS feed')}: {config.url}{addresses.feed(addresses.HOME, 'rss')}"
    yield f"- JSON Feed: {config.url}{addresses.json_feed(addresses.HOME)}"
    yield f"- {_('Status API')}: {config.url}{addresses.API}summary.json"


def _incident(site: Site, incident: Incident, _: Callable[[str], str], when: Callable[..., str]) -> Iterator[str]:
    state = site.summary.states[incident.slug]
    link = site.config.url + addresses.incident(incident.slug)
    yield ""
    yield f"### [{escape(incident.title)}]({link})"
    yield ""
    if incident.is_maintenance:
        window = f"{when(incident.start)} – {when(incident.end) if incident.end else _('ongoing')}"
        facts = [_(state.status.label), window]
    else:
        facts = [_(state.status.label), when(state.latest.at)]
    if incident.component_ids:
        names = ", ".join(escape(site.config.component_names[cid]) for cid in incident.component_ids)
        facts.append(_("Affected: %(components)s") % {"components": names})
    yield " · ".join(facts)
    if state.latest.text.strip():
        yield ""
        yield from (f"> {line}".rstrip() for line in state.latest.text.strip().splitlines())


def _vendor_line(vendor: Vendor, _: Callable[[str], str]) -> str:
    parts = [f"[{escape(vendor.source.name)}]({vendor.source.url})"]
    parts += [f"{escape(c.component.name)}: {_(c.status.label)}" for c in vendor.troubled if c.status]
    parts += [f"[{escape(i.name)}]({i.url})" for i in vendor.incidents]
    return ", ".join(parts)


def _vendor(
    vendor: Vendor, _: Callable[[str], str], when: Callable[..., str], percent: Callable[..., str]
) -> Iterator[str]:
    yield ""
    shown = _("As of %(time)s") % {"time": when(vendor.as_of)} if vendor.as_of else _("No status received yet")
    yield f"[{escape(vendor.source.name)}]({vendor.source.url}) · {shown}"
    yield ""
    for incident in vendor.incidents:
        status = _(incident.status.label) if incident.status else _("Unknown")
        yield f"- [{escape(incident.name)}]({incident.url}): {status}"
    for c in vendor.components:
        status = _(c.status.label) if c.status else _("Unknown")
        uptime = _("no data") if c.uptime is None else _("%(percent)s uptime") % {"percent": percent(c.uptime)}
        yield f"- {escape(c.component.name)}: {status}, {uptime}"
        yield f"  `{bars(c.days)}`"
