"""The console's requests: pages and forms under /_console/, beside the live preview.

Every request passes the guard first. Every post goes through the authoring layer (one post
at a time), then waits for the preview to rebuild from the new note, so the link the person
follows shows what they posted. A post answers with a redirect (post, redirect, get), so
reloading the page cannot post twice.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from ... import config as config_module
from ... import inputs
from ...authoring import posting
from ...authoring.insert import EditableNote
from ...authoring.listing import component_statuses
from ...core import addresses
from ...core.clock import write_time
from ...core.config import Config
from ...core.status import Phase, state
from ...core.timeline import as_of
from ...errors import ChangedError, ConfigError, ProblemsError, StatusPageError, display_path
from ...fingerprint import digest
from ...outputs.i18n import N_
from . import forms, git, pending, views
from .guard import PATH, Guard, Refused
from .transport import Request, Response, form_fields, page, redirect

log = logging.getLogger(__name__)

#: Seconds a post waits for the preview to show it before sending the person there anyway.
REBUILD_PATIENCE = 15.0
NOT_FOUND = N_("There is no such page in the console.")
SCRIPT = Path(__file__).parent / "console.js"


class Rebuilds(Protocol):
    """What the console needs of the live preview."""

    base_path: str

    def wait_built_after(self, moment: float, timeout: float) -> bool: ...


@dataclass(frozen=True)
class Notice:
    """What a post did, shown once on the overview it redirects to."""

    title: str
    status: str
    when: str
    page: str  # the incident's page in the preview
    fresh: bool  # whether the preview had rebuilt with it
    ahead: str = ""
    warnings: tuple[str, ...] = ()


class Console:
    """The console of one site, for the life of one `serve --console`."""

    def __init__(self, config_path: Path, now: str | None, guard: Guard, preview: Rebuilds, mark: Callable[[], None]):
        self.config_path = config_path
        self.now = now  # `serve --now`: the console posts at the time the preview shows
        self.guard = guard
        self.preview = preview
        self.mark = mark
        self.outcome: git.Outcome | None = None  # what the last Publish did, to show until the next one
        self._notices: dict[str, list[Notice]] = {}
        self._posting = threading.Lock()

    def handle(self, request: Request) -> Response:
        """Answer one request under /_console/, refusing it unless it comes from the console's own session."""
        url = urlsplit(request.target)
        try:
            self.guard.check_host(request.headers)
            self.guard.check_origin(request.headers)
            if not url.path.startswith(PATH):
                return redirect(PATH)
            token = parse_qs(url.query).get("token")
            if token and request.method == "GET":
                session = self.guard.login(token[0])
                return redirect(url.path, {"Set-Cookie": self.guard.set_cookie(session)})
            session = self.guard.session(request.headers)
            route = url.path[len(PATH) :]
            if request.method == "POST":
                fields = form_fields(request)
                self.guard.check_csrf(session, fields.get("csrf", [""])[0])
                return self._post(route, session, fields)
            if request.method in ("GET", "HEAD"):
                return self._get(route, session)
            raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, NOT_FOUND)
        except Refused as refused:
            return self.refuse(refused)

    # -- pages -------------------------------------------------------------------------

    def _get(self, route: str, session: str) -> Response:
        if route == "console.js":
            return Response(200, SCRIPT.read_bytes(), {"Content-Type": "text/javascript; charset=utf-8"})
        config = self._config()
        if route == "":
            return self._overview(config, session)
        if route in ("new", "maintenance"):
            return self._new_form(config, session, forms.Form(), maintenance=route == "maintenance")
        action, _, slug = route.partition("/")
        if action in ("update", "resolve"):
            path = self._note(config, slug)
            return self._note_form(config, session, action, path, forms.Form())
        raise Refused(HTTPStatus.NOT_FOUND, NOT_FOUND)

    def _post(self, route: str, session: str, fields: Mapping[str, Sequence[str]]) -> Response:
        config = self._config()
        form = forms.Form.posted(fields, config)
        previewing = fields.get("action", [""])[0] == "preview"
        if route == "preview":  # the live preview's fragment, for the script
            return page(forms.rendered(form.value("message")).encode())
        if route == "publish":
            return self._publish(config)
        if route in ("new", "maintenance"):
            maintenance = route == "maintenance"
            if previewing:
                return self._new_form(config, session, form, maintenance=maintenance, preview=True)
            return self._posted(
                config,
                session,
                form,
                lambda: forms.create(config, form, self.now, maintenance=maintenance),
                lambda status: self._new_form(config, session, form, maintenance=maintenance, status=status),
                forms.MAINTENANCE_WORDS if maintenance else forms.WORDS,
            )
        action, _, slug = route.partition("/")
        if action in ("update", "resolve"):
            path = self._note(config, slug)
            if previewing:
                return self._note_form(config, session, action, path, form, preview=True)
            post = forms.update if action == "update" else forms.resolve
            return self._posted(
                config,
                session,
                form,
                lambda: post(config, path, form, self.now),
                lambda status: self._note_form(config, session, action, path, form, status=status),
            )
        raise Refused(HTTPStatus.NOT_FOUND, NOT_FOUND)

    def _posted(
        self,
        config: Config,
        session: str,
        form: forms.Form,
        post: Callable[[], posting.Posted],
        again: Callable[[int], Response],
        words: Mapping[str, str] = forms.WORDS,
    ) -> Response:
        """Post, then send the person to the overview once the preview shows it; on an error, the
        form again with the error beside its field (in the form's `words`) and everything typed kept."""
        try:
            with self._posting:  # one at a time: a second post reads the note the first one wrote
                posted = post()
                pending.record(config, posted.path, posted.title, posted.status.label)
        except StatusPageError as error:
            form.fail(error, config, words)
            return again(HTTPStatus.CONFLICT if isinstance(error, ChangedError) else HTTPStatus.UNPROCESSABLE_ENTITY)
        saved = time.monotonic()
        self.mark()
        fresh = self.preview.wait_built_after(saved, REBUILD_PATIENCE)
        slug = addresses.slugify(posted.path.stem)
        log.info("Console: posted %s to %s.", posted.status.label, display_path(posted.path))
        notice = Notice(
            posted.title,
            posted.status.label,
            posted.when,
            self.preview.base_path + addresses.incident(slug),
            fresh,
            posted.ahead,
            tuple(str(w) for w in posted.warnings),
        )
        self._notices.setdefault(session, []).append(notice)
        return redirect(PATH)

    def _publish(self, config: Config) -> Response:
        tree = git.work_tree(config.root)
        if tree is not None:
            with self._posting:
                waiting = pending.waiting(config, tree)
                if waiting.posts or _unpushed(tree, config):
                    outcome = git.publish(tree, waiting.paths, waiting.message(), config.console)
                    if outcome.committed:
                        pending.forget(config, waiting.paths)
                    self.outcome = outcome
                    log.info("Console: %s", "published." if outcome.ok else "not published:\n" + outcome.output)
        return redirect(PATH + "#publish")

    def _overview(self, config: Config, session: str) -> Response:
        context: dict[str, Any] = {"notices": self._notices.pop(session, []), "problems": []}
        try:
            gathered = inputs.gather(self.config_path, self.now)
        except ProblemsError as error:
            context["problems"] = [str(p) for p in error.problems]
        else:
            site = gathered.site()
            summary = site.summary
            ongoing = {i.slug for i in (*summary.ongoing, *summary.active_maintenance, *summary.upcoming_maintenance)}
            context.update(
                site=site,
                ahead=[i for i in gathered.incidents if as_of(i, gathered.now) is None],
                recent=[i for _, day in summary.recent for i in day if i.slug not in ongoing],
                statuses={i.slug: component_statuses(i, site.now) for i in site.incidents},
            )
        tree = git.work_tree(config.root)
        context.update(
            git=tree is not None,
            pending=[display_path(p) for p in pending.waiting(config, tree).paths] if tree else [],
            unpushed=tree is not None and _unpushed(tree, config),
            outcome=self.outcome,
            Held=git.Held,
            target=config.console,
        )
        return self._page(config, session, "overview.html", context)

    def _new_form(
        self,
        config: Config,
        session: str,
        form: forms.Form,
        *,
        maintenance: bool,
        preview: bool = False,
        status: int = 200,
    ) -> Response:
        now = self._default_time(config)
        if not form.values:  # a fresh form: the defaults
            form.values = {"status": "" if maintenance else "investigating"}
            if maintenance:
                start = now.replace(second=0)
                form.values.update(start=write_time(start, config.timezone))
                form.values.update(end=write_time(start + timedelta(hours=1), config.timezone))
        context = {"form": form, "maintenance": maintenance, "now": now, "preview": preview}
        return self._page(config, session, "new.html", context, status)

    def _note_form(
        self,
        config: Config,
        session: str,
        action: str,
        path: Path,
        form: forms.Form,
        *,
        preview: bool = False,
        status: int = 200,
    ) -> Response:
        """The update or resolve form of a note, as it is on disk now (its digest goes with the form)."""
        try:
            note = EditableNote.read(path, config)
        except StatusPageError as error:
            form.fail(error, config)
            return self._page(config, session, "broken.html", {"form": form, "path": display_path(path)}, 422)
        now = self._default_time(config)
        incident = as_of(note.incident, now) or note.incident
        shown = state(incident, now)
        if not form.values or status == HTTPStatus.CONFLICT:  # fresh, or refused as stale: show the note as it is
            typed = form.values
            form.values = {**typed, "seen": digest(note.data), "status": typed.get("status") or ""}
            if not typed:
                form.values["status"] = posting.default_status(note.incident, now).value
        context = {
            "form": form,
            "action": action,
            "incident": incident,
            "state": shown,
            "statuses": component_statuses(incident, now),
            "can_resolve": shown.phase is Phase.ONGOING
            or (shown.phase is Phase.UPCOMING and not incident.is_maintenance),
            "page": self.preview.base_path + addresses.incident(incident.slug),
            "now": now,
            "preview": preview,
        }
        return self._page(config, session, f"{action}.html", context, status)

    # -- helpers -----------------------------------------------------------------------

    def _config(self) -> Config:
        try:
            return config_module.load(self.config_path)[0]
        except ConfigError as error:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, "%(problems)s", problems=str(error)) from None

    def _note(self, config: Config, slug: str) -> Path:
        path = forms.note(config, slug)
        if path is None:
            raise Refused(HTTPStatus.NOT_FOUND, NOT_FOUND)
        return path

    def _default_time(self, config: Config) -> datetime:
        """What an empty Time field means: the preview's `--now`, else the clock."""
        try:
            return posting.moment(self.now, config.timezone)
        except StatusPageError:  # an unreadable --now: the preview shows why; post at the clock's time
            return posting.moment(None, config.timezone)

    def _page(
        self, config: Config, session: str, template: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        common = {"csrf": self.guard.csrf(session), "console": PATH, "base": self.preview.base_path}
        return page(views.render(config, template, {**common, **context}), status)

    def refuse(self, refused: Refused) -> Response:
        """The page saying why a request was refused, in the site's language where the config reads."""
        try:
            config = config_module.load(self.config_path)[0]
        except ConfigError:
            body = (
                f"<!doctype html><meta charset=utf-8><title>Refused</title><p>{html.escape(str(refused))}</p>".encode()
            )
        else:
            body = views.render(config, "refused.html", {"refused": refused, "console": PATH})
        return page(body, refused.status)


def _unpushed(tree: Path, config: Config) -> bool:
    """Whether a commit of the console's waits to be pushed (an earlier push failed)."""
    return any(commit.ours for commit in git.ahead(tree, config.console) or ())
