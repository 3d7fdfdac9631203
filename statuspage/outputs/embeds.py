"""Status for other sites: small pages for an <iframe>, and `embed.js` for a banner in a page.

`embed/status.html` (the banner's words and colour, under 2 kB), `embed/incident.html` (what
is going on now, or "All Systems Operational") and `components/<id>/embed.html`: one request
each, no script, styles inline, light or dark with the visitor's system. `embed.js` reads
`api/v2/summary.json` in the host page and shows a banner only while something is going on.
"""

from __future__ import annotations

from ..core import addresses, looks, words
from ..core.model import Impact
from ..core.site import Site
from ..files import Files
from . import templates
from .favicon import icon_path


def render(site: Site) -> Files:
    config, summary = site.config, site.summary
    env = templates.environment(config)
    sprite = env.get_template("partials/icons.svg").render()
    glyphs = {name: icon_path(sprite, look.icon) for name, look in looks.BY_NAME.items()}
    base = {"summary": summary, "upstream": site.upstream, "glyphs": glyphs}

    def page(template: str, shown: list[str], **context: object) -> bytes:
        used = [looks.BY_NAME[name] for name in dict.fromkeys(shown)]
        return templates.render(env, template, {**base, "shown": used, **context})

    going_on = summary.ongoing + summary.active_maintenance
    files = {
        addresses.EMBED_STATUS: page("embed/status.html", [summary.level]),
        addresses.EMBED_INCIDENTS: page("embed/incident.html", [i.level for i in going_on] or ["none"]),
        addresses.EMBED_SCRIPT: templates.render(
            env, "embed.js", {"banner_colours": _banner_colours(), "active": words.ACTIVE_MAINTENANCE}
        ),
    }
    for c in summary.components.values():
        look = site.upstream.look(c.component.id, c.status)
        files[addresses.component_embed(c.component.id)] = page("embed/component.html", [look], c=c)
    return files


def _banner_colours() -> dict[str, tuple[str, str]]:
    """The banner's light and dark colour by Statuspage indicator (and for maintenance)."""
    levels = [impact.value for impact in Impact] + ["maintenance"]
    return {level: (looks.LEVELS[level].light, looks.LEVELS[level].dark) for level in levels}
