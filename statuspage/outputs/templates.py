"""The Jinja environment of a build: the theme, the site's overrides, translations and filters.

Template lookup order: the site's own `templates/`, then the built-in theme. The theme is
also reachable as `theme/<name>`, so an override can extend the original it replaces.
What templates may use (the template API): the globals `config`, `components` (by id),
`href` (the site's addresses), `looks` (each level's and status's icon and colours),
`levels` (the same, by level only), `ComponentStatus` and `m` (the macros of
`partials/macros.html`, the site's override if it has one); `_()` and `ngettext()`; and the
filters below in `environment`.
"""

from __future__ import annotations

import functools
import os
import shutil
import traceback
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..core import addresses, looks
from ..core.config import Config
from ..core.model import ComponentStatus
from ..errors import BuildError, display_path
from ..fingerprint import code_fingerprint, digest, folder_digest
from . import i18n
from .formatting import css_string, formatter
from .sparkline import scale_top, sparkline

THEME = Path(__file__).parent / "theme"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the life of the process (the preview server
    rebuilds on every save) and, once a build has succeeded, in the cache folder, so a new
    process need not compile them again either: compiling the theme was a tenth of a rebuild.
    Jinja checks each entry against the template's source, so an edited template is compiled
    afresh. Jinja also folds filters applied to constants (`{{ 100 | percent }}`) into the
    code, so each zone, language and version of this code has its own (see `_compiled`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._code: dict[str, bytes] = {}
        self._unsaved: set[str] = set()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self._code:
            try:
                self._code[bucket.key] = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        self._unsaved.add(bucket.key)

    def save(self) -> None:
        """Keep what this process compiled for the next one; never fail the build."""
        if not self._unsaved:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for stale in self.folder.parent.iterdir():  # other zones, languages, versions
                if stale != self.folder:
                    shutil.rmtree(stale, ignore_errors=True)
            for key in sorted(self._unsaved):
                temporary = self.folder / f".{key}.{os.getpid()}"
                temporary.write_bytes(self._code[key])
                os.replace(temporary, self.folder / key)
        except OSError:
            return
        self._unsaved.clear()


@functools.lru_cache(maxsize=4)
def _compiled(zone: ZoneInfo, language: str, cache_dir: Path) -> _CompiledTemplates:
    version = digest(f"{code_fingerprint()} {zone.key} {language}".encode())[:16]
    return _CompiledTemplates(cache_dir / "templates" / version)


def save_compiled(config: Config) -> None:
    """After a build: compiled templates go to the cache folder (`check` writes nothing)."""
    _compiled(config.timezone, config.language, config.cache_dir).save()


MACROS = "partials/macros.html"


def overridden(config: Config) -> bool:
    """Whether the site has templates of its own, looked up before the theme's."""
    return config.templates_dir.is_dir()


def environment(config: Config) -> jinja2.Environment:
    """The environment of a build: templates are compiled once and cached."""
    return _environment(config, folder_digest(config.templates_dir))


@functools.lru_cache(maxsize=1)
def _environment(config: Config, site_templates: str) -> jinja2.Environment:
    """Made again only for another config or other templates of the site's own (by their bytes):
    the preview builds again and again in one process, and a new environment loaded every
    template it rendered from the compiled code again (3% of a save at 10,000 notes). The theme
    is part of the code, which does not change while a process runs (see `code_fingerprint`)."""
    theme = jinja2.FileSystemLoader(THEME)
    loaders: list[jinja2.BaseLoader] = []
    if overridden(config):
        loaders.append(jinja2.FileSystemLoader(config.templates_dir))
    loaders += [theme, jinja2.PrefixLoader({"theme": theme})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # compiled once; no mtime check per include and page
        bytecode_cache=_compiled(config.timezone, config.language, config.cache_dir),
    )
    translations = i18n.translations(config.language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _translator(translations.gettext)
    fmt = formatter(config.timezone, config.language)
    env.filters.update(
        date=fmt.date,
        short_date=fmt.short_date,
        long_date=fmt.long_date,
        month=fmt.month,
        iso=fmt.iso,
        when=fmt.when,
        duration=fmt.duration,
        percent=fmt.percent,
        css_string=css_string,
        seconds=lambda count: timedelta(seconds=count),
    )
    env.globals.update(sparkline=sparkline, scale_top=scale_top)
    # Globals, not page context: imported macros see globals only. Only what the config
    # determines goes here: a page is kept between builds when its own context is unchanged.
    env.globals.update(
        config=config,
        components={c.id: c for c in config.components},
        href=addresses,
        looks=looks.BY_NAME,
        levels=looks.LEVELS,
        ComponentStatus=ComponentStatus,
    )
    # The shared macros as a global, made once: an `{% import %}` in every page rebuilt the
    # module's view of the globals on each render (a tenth of rendering 10,000 incident pages).
    env.globals["m"] = env.get_template(MACROS).module
    return env


def _translator(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """`_()` as Jinja's new-style gettext has it (the text is markup, values are escaped into
    it), with each constant text translated once: pages call it tens of thousands of times."""
    constant: dict[str, Markup] = {}

    def translate(text: str, **values: object) -> Markup:
        if values:
            return Markup(gettext(text)) % values
        if text not in constant:
            constant[text] = Markup(gettext(text)) % {}
        return constant[text]

    return translate


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> bytes:
    """Render one template, turning any failure of a site's override into a `path:line` message."""
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except Exception as error:  # a site's template override can fail in any way
        raise BuildError(_template_message(error, template)) from None


def _template_message(error: Exception, template: str) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = display_path(Path(error.filename)) if error.filename else error.name or template
        return f"{where}:{error.lineno}: template error: {error.message}"
    frames = traceback.extract_tb(error.__traceback__)
    where = next(
        (
            f"{display_path(Path(f.filename))}:{f.lineno}"
            for f in reversed(frames)
            if f.filename.endswith((".html", ".xml", ".svg", ".css"))
        ),
        template,
    )
    return f"{where}: template error while rendering {template}: {error}"
