"""The console's forms over the authoring layer: what was typed becomes the request `new`,
`update` or `resolve` would get from flags, so the same code validates and writes it; an
error comes back beside the field it concerns, with everything typed kept."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ...authoring import posting
from ...authoring.find import find
from ...core.addresses import slugify
from ...core.config import Config
from ...errors import EditError, ProblemsError, StatusPageError
from ...notes.markdown import Markup
from ...outputs.i18n import N_, translations

#: Everything a form may send besides the component choices; "" is the form as a whole.
FIELDS = ("title", "impact", "status", "start", "end", "message", "now", "ahead", "seen")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: The inputs the authoring layer's errors name (errors.NAMES), as the forms label them.
WORDS = {
    "start": N_("Start"),
    "end": N_("End"),
    "impact": N_("Impact"),
    "status": N_("Status"),
    "component": N_("Component"),
    "now": N_("Time"),
    "confirm": N_("tick “Post it ahead” to post it anyway"),
    "update": N_("“Post update” on the overview"),
}
#: The maintenance form calls its time what it is: when the schedule was announced.
MAINTENANCE_WORDS = {**WORDS, "now": N_("Announced at")}


@dataclass
class Form:
    """A form as typed, and the errors to show beside each field ("": about the whole form)."""

    values: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)  # id -> status as chosen, "" for none
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: Whether to offer "Post it ahead": the time given is later than the real clock.
    asks_ahead: bool = False

    @classmethod
    def posted(cls, fields: Mapping[str, Sequence[str]], config: Config) -> Form:
        values = {name: fields.get(name, [""])[0] for name in FIELDS}
        components = {cid: fields.get(f"component-{cid}", [""])[0] for cid in config.component_ids}
        return cls(values, components, asks_ahead=values["ahead"] == "yes")

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def fail(self, error: StatusPageError, config: Config, words: Mapping[str, str] = WORDS) -> None:
        """Keep the error, in the site's language and the form's words, for the field it concerns;
        a note's problems are listed line by line."""
        if isinstance(error, ProblemsError):
            messages = [str(p) for p in error.problems]
        else:
            translate = translations(config.language).gettext
            messages = [error.worded({name: translate(word) for name, word in words.items()}, translate)]
        where = error.field if error.field in (*FIELDS, "components") else ""
        self.errors.setdefault(where or "", []).extend(messages)

    @property
    def changes(self) -> list[str]:
        """The component choices as `--component` takes them."""
        return [f"{cid}={status}" for cid, status in self.components.items() if status]


def note(config: Config, slug: str) -> Path | None:
    """The note behind /incidents/<slug>/: that exact slug, in the site's folder; None otherwise."""
    if not _SLUG.fullmatch(slug):
        return None
    try:
        path = find(config, slug)
    except EditError:
        return None
    inside = path.resolve().is_relative_to(config.incidents_dir.resolve())
    return path if inside and slugify(path.stem) == slug else None


def stamp(config: Config, form: Form, default: str | None) -> datetime:
    """The time to post at: the one typed, else the console's (`serve --now`, else the clock); refused
    when later than the real clock unless "Post it ahead" is ticked, as `--yes` does."""
    now = posting.moment(form.value("now").strip() or default, config.timezone)
    try:
        posting.refuse_ahead(now, config, confirmed=form.value("ahead") == "yes")
    except EditError:
        form.asks_ahead = True
        raise
    return now


def create(config: Config, form: Form, default: str | None, *, maintenance: bool) -> posting.Posted:
    """`statuspage new` (with `--maintenance` for a schedule) from the form."""
    now = stamp(config, form, default)
    request = posting.NewNote(
        title=form.value("title"),
        components=form.changes,
        impact=form.value("impact") or None,
        status=form.value("status") or None,
        maintenance=maintenance,
        start=form.value("start").strip() or None,
        end=form.value("end").strip() or None,
    )
    return posting.create(config, request, form.value("message"), _no_editor, now)


def update(config: Config, path: Path, form: Form, default: str | None) -> posting.Posted:
    """`statuspage update` from the form; refused if the note changed since the form showed it."""
    now = stamp(config, form, default)
    return posting.update(
        config,
        path,
        status=form.value("status") or None,
        changes=form.changes,
        message=form.value("message"),
        ask=_no_editor,
        now=now,
        seen=form.value("seen"),
    )


def resolve(config: Config, path: Path, form: Form, default: str | None) -> posting.Posted:
    """`statuspage resolve` from the form; refused if the note changed since the form showed it."""
    now = stamp(config, form, default)
    return posting.resolve(
        config, path, message=form.value("message"), ask=_no_editor, now=now, seen=form.value("seen")
    )


def rendered(message: str) -> str:
    """The message as the site will show it: the build's own Markdown renderer and sanitiser."""
    return _markup().render(message.replace("\r\n", "\n").strip()).html


@functools.cache
def _markup() -> Markup:
    return Markup()


def _no_editor(about: str) -> str:
    """The console always has the typed message; there is no editor to ask."""
    raise EditError(N_("the message is empty; nothing was changed"), field="message", values={})
