"""Local preview: build into a temporary folder, serve it on 127.0.0.1, rebuild on every change.

The preview runs the very pipeline `statuspage build` runs (`build.build`, into a private
folder instead of `site/`), so it cannot differ from the published site. Only HTML responses
get more: a few lines of script that reload the page after a rebuild, and, while the latest
change does not build, a panel listing the errors above the last good build.
"""

from __future__ import annotations

import html
import logging
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .. import build, storage
from .. import config as config_module
from ..errors import ProblemsError, StatusPageError
from ..inputs import Fetch
from .console import app as console_app
from .console import transport
from .console.guard import Guard, authority
from .watch import Changes, Watcher

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
#: Pages ask here whether a newer build exists; the answer waits until one does (long polling).
RELOAD_PATH = "/__statuspage/reload"
WAIT_SECONDS = 25
_RELOAD_SCRIPT = """<script>
(function wait(seen) {{
  fetch("{path}?version=" + seen, {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(
    function (now) {{ if (now === seen) wait(seen); else location.reload(); }},
    function () {{ setTimeout(function () {{ wait(seen); }}, 1000); }});
}})("{version}");
</script>
"""
_TYPES = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".json": "application/json",
}
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_PANEL_STYLE = (
    "margin:0;padding:1rem 1.25rem;background:#fff0f0;color:#5c0000;border-bottom:4px solid #b00020;"
    "font:16px/1.5 system-ui,sans-serif"
)


class Preview:
    """The served build and its state, shared by the rebuilding thread and the request threads."""

    def __init__(self, config_path: Path, now: str | None, folder: Path):
        storage.remember()  # it builds again and again: an unchanged cache file is not parsed anew
        self.config_path = config_path
        self.now = now
        self.site = folder / "site"
        self.base_path = "/"
        self.version = 0  # counts rebuilds, good or not: a page reloads when it changes
        self.problems: tuple[str, ...] = ()  # why the latest rebuild failed; empty when it worked
        self.built = False  # whether `site` holds a good build
        #: When (time.monotonic) the shown build began reading its inputs: it shows every save before that.
        self.read_at = 0.0
        self._changed = threading.Condition()

    def rebuild(
        self,
        overtaken: Callable[[], bool] = lambda: False,
        fetch: Fetch | None = None,
        changed: Collection[Path] | None = None,
        warming: bool = False,
    ) -> None:
        """Build and show the result; a failed build `overtaken()` by a change is not shown.
        `changed`: the paths the watcher saw change since the last build (None: unknown).
        `warming`: a build of nothing new, to have the next one fast; shown only if it differs.

        An editor's save can fail a build that reads the note mid-save (renamed away, or truncated
        and not yet written); the rebuild that follows at once tells whether the error is real.
        """
        started = time.perf_counter()
        read_at = time.monotonic()
        problems: tuple[str, ...] = ()
        try:
            result = build.build(self.config_path, out=self.site, now=self.now, fetch=fetch, changed=changed)
        except ProblemsError as error:
            problems = tuple(str(p) for p in error.problems)
        except StatusPageError as error:
            problems = (f"error: {error}",)
        except Exception as error:  # a bug must not stop the preview; show it and keep serving
            log.exception("internal error while rebuilding")
            problems = (f"internal error: {error!r}",)
        else:
            for warning in result.inputs.warnings:
                log.warning("%s", warning)
            log.info(
                "Built %d files (%d changed) in %.2f s.",
                result.stats.files,
                result.stats.changed,
                time.perf_counter() - started,
            )
        if problems and overtaken():
            log.debug("A change came in while building; building again.")
            return
        if warming and not problems and not result.stats.changed:
            return  # the very site already shown: no page need reload
        for problem in problems:
            log.error("%s", problem)
        if problems:
            log.error(
                "The preview shows these errors above the last good build; fix them and save."
                if self.built
                else "Nothing to show yet; the preview shows these errors until they are fixed."
            )
        with self._changed:
            if not problems:
                self.base_path = result.inputs.config.base_path
            self.version += 1
            self.read_at = read_at
            self.problems = problems
            self.built = self.built or not problems
            self._changed.notify_all()

    def wait(self, seen: str | None, timeout: float) -> int:
        """The current version, once it differs from `seen` (or after `timeout` seconds)."""
        with self._changed:
            if seen is not None:
                self._changed.wait_for(lambda: str(self.version) != seen, timeout)
            return self.version

    def wait_built_after(self, moment: float, timeout: float) -> bool:
        """Wait until a build that began after `moment` (time.monotonic) is shown; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.read_at > moment, timeout)

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def page(self, data: bytes) -> bytes:
        """A served HTML page: the built bytes plus the reload script, and the errors if any."""
        script = _RELOAD_SCRIPT.format(path=RELOAD_PATH, version=self.version).encode()
        if self.problems:
            data = _BODY.sub(lambda m: m.group(0) + self._panel(), data, count=1)
        end = data.lower().rfind(b"</body>")
        return data[:end] + script + data[end:] if end >= 0 else data + script

    def error_page(self) -> bytes:
        """Shown for every page while no good build exists yet."""
        return self.page(
            b'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            b'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            b"<title>Build failed \xc2\xb7 statuspage preview</title>\n</head>\n<body>\n</body>\n</html>\n"
        )

    def _panel(self) -> bytes:
        heading = (
            "This preview is out of date: the latest change does not build."
            if self.built
            else "The site does not build yet."
        )
        below = "Below is the last good build." if self.built else ""
        items = "".join(f"<li><code>{html.escape(p)}</code></li>\n" for p in self.problems)
        return (
            f'\n<section role="alert" id="statuspage-build-error" style="{_PANEL_STYLE}">\n'
            f"<h2 style='margin:0 0 .5rem'>{html.escape(heading)}</h2>\n<ul>\n{items}</ul>\n"
            f"<p style='margin:0'>Fix it and save: this page reloads by itself. {below}</p>\n</section>\n"
        ).encode()


def _handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any):
            self.extensions_map = _TYPES
            super().__init__(*args, directory=str(preview.site), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def do_POST(self) -> None:
            console = self._console()
            if console is not None and transport.takes(urlsplit(self.path).path):
                transport.respond(console, self, with_body=True)
            else:
                self._send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain", b"Only the console takes posts\n", True)

        def _console(self) -> console_app.Console | None:
            return getattr(self.server, "console", None)

        def _respond(self, with_body: bool) -> None:
            url = urlsplit(self.path)
            console = self._console()
            if console is not None and transport.takes(url.path):
                transport.respond(console, self, with_body)
                return
            if console is not None and not console.guard.admits(transport.headers_of(self.headers)):
                transport.respond(console, self, with_body)  # refused there, as the console's own pages are
                return
            if url.path == RELOAD_PATH:
                seen = parse_qs(url.query).get("version", [None])[0]
                self._send(HTTPStatus.OK, "text/plain", str(preview.wait(seen, WAIT_SECONDS)).encode(), with_body)
                return
            if not preview.built:
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html", preview.error_page(), with_body)
                return
            base = preview.base_path
            if not url.path.startswith(base):  # the site lives under its URL's path, as when published
                self._redirect(base) if url.path == "/" else self._not_found(with_body)
                return
            file = Path(self.translate_path("/" + url.path[len(base) :]))
            if file.is_dir():
                if not url.path.endswith("/"):
                    self._redirect(url.path + "/")
                    return
                file = file / "index.html"
            if not self._send_file(file, HTTPStatus.OK, with_body):
                self._not_found(with_body)

        def _not_found(self, with_body: bool) -> None:
            if not self._send_file(preview.site / "404.html", HTTPStatus.NOT_FOUND, with_body):
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"Not found\n", with_body)

        def _send_file(self, file: Path, status: HTTPStatus, with_body: bool) -> bool:
            try:
                data = file.read_bytes()
            except OSError:  # missing, a folder, or replaced by a rebuild this instant
                return False
            kind = self.guess_type(str(file))
            if kind == "text/html":
                data = preview.page(data)
            self._send(status, kind, data, with_body)
            return True

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: HTTPStatus, kind: str, data: bytes, with_body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if with_body:
                self.wfile.write(data)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a page waiting for a reload must not keep the process alive
    console: console_app.Console | None = None  # set once the port is known (the guard checks it)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("request from %s failed", client_address, exc_info=True)  # usually a closed browser tab


def run(
    config_path: Path,
    port: int,
    now: str | None = None,
    fetch: Fetch | None = None,
    *,
    console: bool = False,
    host: str = HOST,
    opened: Callable[[str], None] | None = None,
) -> None:
    """Serve a live preview until interrupted (Ctrl-C or SIGTERM); with `console`, the console beside it,
    whose link (with its token) goes to `opened` once the server listens.

    Third-party status is fetched (with `fetch`) for the first build only: a rebuild on every
    save must not wait on vendors, so later rebuilds show the snapshots that build stored.
    """
    config, _ = config_module.load(config_path)  # fails early: without a config we know nothing to watch
    if host != HOST:
        transport.check_host(host)
    with tempfile.TemporaryDirectory(prefix="statuspage-serve-", ignore_cleanup_errors=True) as folder:
        preview = Preview(config_path, now, Path(folder))
        try:
            server = _Server((host, port), _handler(preview))
        except OSError as error:
            raise StatusPageError(f"cannot serve on {host}:{port}: {error.strerror}; choose another --port") from None
        changes = Changes()
        if console:
            server.console = console_app.Console(
                config_path, now, Guard(host, server.server_port), preview, changes.mark
            )
        watcher = Watcher(config_path, (config.incidents_dir, config.templates_dir), changes)
        before = watcher.snapshot()
        preview.rebuild(
            fetch=fetch
        )  # before any thread starts: workers are forked only then, so a big site uses every core
        try:
            watcher.start()
        except OSError as error:  # out of inotify watches, say
            raise StatusPageError(f"cannot watch {config_path.parent} for changes: {error}") from None
        if watcher.snapshot() != before:  # changed during the first build, before the watch began
            changes.mark()
        rebuilder = threading.Thread(target=_rebuild_on_change, args=(preview, changes, watcher), daemon=True)
        rebuilder.start()
        log.info("Serving http://%s%s (press Ctrl-C to stop)", authority(host, server.server_port), preview.base_path)
        if server.console is not None:
            if transport.reachable_from_others(str(server.server_address[0])):  # "localhost" is not
                log.warning(
                    "warning: the console is open to other machines at %s: anyone who has its link can post to "
                    "this site, and the link travels unencrypted; use this only on a network you trust",
                    server.console.guard.address,
                )
            if opened is not None:
                opened(server.console.guard.link)
        try:
            with _sigterm_interrupts():
                server.serve_forever()
        except KeyboardInterrupt:
            log.info("Stopping.")
        finally:
            changes.stop()
            watcher.stop()
            server.server_close()
            preview.wake()
            rebuilder.join(timeout=10)


def _rebuild_on_change(preview: Preview, changes: Changes, watcher: Watcher) -> None:
    # The first build leaves no spare folder (the next build's staging, see publish/writer.py),
    # and making one costs a link per page: 1.5 s at 10,000 notes, better now than on the first save.
    preview.rebuild(overtaken=changes.coming, warming=True)
    while changes.wait():
        changed = changes.take()
        watcher.refresh()
        preview.rebuild(overtaken=changes.coming, changed=changed)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Let SIGTERM stop the server as Ctrl-C does (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
