"""`llms.txt` (llmstxt.org): a Markdown index of what on this site a program or model can read.

It points at the Markdown twin of the status page first, then the API, the feeds, the
calendar, the badges and the embeds: each with what it holds, in English (machine fields).
"""

from __future__ import annotations

from ..core import addresses
from ..core.site import Site
from ..files import Files
from . import api
from .markdown_twin import escape


def render(site: Site) -> Files:
    config = site.config
    url = config.url

    def links(*entries: tuple[str, str, str]) -> list[str]:
        return [f"- [{name}]({url}{path}): {what}" for name, path, what in entries]

    about = config.description.rstrip(" .") or f"The status of {config.title}"  # one sentence, one full stop
    lines = [
        f"# {escape(config.title)}",
        "",
        f"> {escape(about)}: current status, incidents, maintenance and uptime.",
        "",
        "A static status page. Every file here is rebuilt from the same computed status, so they never disagree.",
        "",
        "## Status",
        "",
        *links(
            (
                "Status page as Markdown",
                addresses.MARKDOWN,
                "the banner, ongoing incidents and maintenance, components with status, uptime and daily bars",
            ),
            ("Status page", addresses.HOME, "the same, as HTML"),
        ),
        "",
        "## API",
        "",
        *links(
            (
                "summary.json",
                addresses.API + "summary.json",
                "Statuspage API v2: status indicator, components, unresolved incidents, scheduled maintenance",
            ),
            (
                "incidents.json",
                addresses.API + "incidents.json",
                f"the {api.RECENT} most recent incidents with every update",
            ),
            (
                "scheduled-maintenances.json",
                addresses.API + "scheduled-maintenances.json",
                f"the {api.RECENT} most recent maintenances",
            ),
            (
                "uptime.json",
                addresses.UPTIME,
                "per component and day: observed seconds, seconds at each status, uptime percentages",
            ),
        ),
        "",
        "## Feeds",
        "",
        *links(
            ("JSON Feed", addresses.json_feed(addresses.HOME), "one item per posted update, newest first"),
            ("Atom", addresses.feed(addresses.HOME, "atom"), "the same updates"),
            ("RSS", addresses.feed(addresses.HOME, "rss"), "the same updates"),
            ("Maintenance calendar", addresses.CALENDAR, "iCalendar of upcoming, ongoing and recent maintenance"),
        ),
        "",
        "## Optional",
        "",
        *links(
            ("Badge", addresses.badge(addresses.HOME, "json"), "shields.io endpoint JSON of the overall status"),
            ("Status embed", addresses.EMBED_STATUS, "a small HTML page of the overall status, for an iframe"),
            ("Sitemap", addresses.SITEMAP, "every page, including each component's and incident's"),
        ),
    ]
    return {addresses.LLMS: ("\n".join(lines) + "\n").encode("utf-8")}
