"""The theme's one message catalogue: gettext `.po` files, compiled in memory when a build starts.

Only the `.po` sources ship (package data under `locale/`): compiling them on load takes a few
milliseconds and means a compiled `.mo` can never be stale or missing from a checkout. English
is the source language, so it needs no catalogue. Words that come from the domain (status
labels, the banner) stay English in the data, the feeds' machine fields and the API; they are
marked here so `pybabel extract` puts them in the catalogue and pages show them translated.
"""

from __future__ import annotations

import functools
import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ..core.words import N_ as N_  # marked here for the theme; one home in core.words
from ..errors import Problem

LOCALE_DIR = Path(__file__).parent / "locale"


#: Every label the domain produces (`_Named.label` and `status.describe`); a test keeps this complete.
DOMAIN_MESSAGES = (
    # Component statuses
    N_("Operational"),
    N_("Under maintenance"),
    N_("Degraded performance"),
    N_("Partial outage"),
    N_("Major outage"),
    # Update statuses
    N_("Investigating"),
    N_("Identified"),
    N_("Monitoring"),
    N_("Update"),
    N_("Resolved"),
    N_("Postmortem"),
    N_("Scheduled"),
    N_("In progress"),
    N_("Verifying"),
    N_("Completed"),
    # The banner, in Statuspage's words
    N_("All Systems Operational"),
    N_("Service Under Maintenance"),
    N_("Partially Degraded Service"),
    N_("Minor Service Outage"),
    N_("Partial System Outage"),
    N_("Major System Outage"),
)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for a site language ("de-AT" falls back to "de"); English needs none.
    Compiled once per process: the catalogues ship with the package and do not change."""
    po = catalogue(language)
    return gettext.NullTranslations() if po is None else _compile(po)


def catalogue(language: str) -> Path | None:
    """The `.po` file that translates the theme into this language, if there is one."""
    parts = language.replace("-", "_").split("_")
    for name in ("_".join(parts), parts[0]):
        po = LOCALE_DIR / name / "LC_MESSAGES" / "messages.po"
        if po.is_file():
            return po
    return None


def untranslated(config_file: str, language: str) -> list[Problem]:
    """A warning (an error with --strict) for a language whose words the theme does not have."""
    if catalogue(language) is None and not language.lower().startswith("en"):
        message = f"language {language!r}: the theme has no translation for it yet; its text stays in English"
        return [Problem(config_file, None, message, warning=True)]
    return []


def _compile(po: Path) -> Translations:
    with po.open("rb") as source:
        catalog = read_po(source)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)
