"""The console's pages: its own Jinja templates, in the site's language, dressed in the theme's stylesheet.

The console is not part of the built site, so its templates live here rather than in the theme;
they include the theme's `style.css` (its colours come from `core.looks`) and use the theme's
message catalogue, so the console speaks the site's language.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ...core import addresses, looks
from ...core.clock import show, write_time
from ...core.config import Config
from ...core.model import COMPONENT_STATUSES, STATUSES_BY_KIND, ComponentStatus, Kind
from ...outputs import i18n
from ...outputs.formatting import formatter
from ...outputs.templates import THEME
from . import forms

TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=4)
def environment(zone: ZoneInfo, language: str) -> jinja2.Environment:
    """One per zone and language for the life of the server; templates compile once."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(TEMPLATES), jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(THEME)})]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    translations = i18n.translations(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    fmt = formatter(zone, language)
    env.filters.update(
        when=fmt.when,
        written=lambda moment: write_time(moment, zone),
        shown=lambda moment: show(moment, zone),
        choices=lambda statuses: [(s.value, translations.gettext(s.label)) for s in statuses],
    )
    env.globals.update(
        levels=looks.LEVELS,
        looks=looks.BY_NAME,
        href=addresses,
        Kind=Kind,
        ComponentStatus=ComponentStatus,
        STATUSES_BY_KIND=STATUSES_BY_KIND,
        COMPONENT_STATUSES=COMPONENT_STATUSES,
        rendered=lambda message: Markup(forms.rendered(message)),  # sanitised by the build's renderer
    )
    return env


def render(config: Config, template: str, context: Mapping[str, Any]) -> bytes:
    env = environment(config.timezone, config.language)
    return env.get_template(template).render({"config": config, **context}).encode("utf-8")
