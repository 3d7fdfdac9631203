"""The console's side of HTTP: requests and responses, the headers every page gets, forms read
within limits, and serving through the preview's `http.server` handler."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from ...errors import StatusPageError
from ...outputs.i18n import N_
from .guard import PATH, Refused

if TYPE_CHECKING:
    from .app import Console

log = logging.getLogger(__name__)

#: A form larger than this is refused before it is read.
MAX_BODY = 1_000_000
TOO_LARGE = N_("The form is too large to post.")
NOT_A_FORM = N_("The console takes only its own forms.")
INTERNAL = "Internal error in the console; the terminal where it runs shows the details. Nothing was posted.\n"
#: The console's pages load nothing from anywhere else, and no other site may frame them.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # not "no-referrer": Chromium then sends its forms with Origin: null
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query, as sent
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def headers_of(message: Any) -> dict[str, str]:
    """A request's headers by name as the console asks for them ("Host", "Sec-Fetch-Site"), whatever case was sent."""
    return {name.title(): value for name, value in message.items()}


def form_fields(request: Request) -> dict[str, list[str]]:
    kind = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, NOT_A_FORM)
    try:
        return parse_qs(request.body.decode("utf-8"), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError):
        raise Refused(HTTPStatus.BAD_REQUEST, NOT_A_FORM) from None


def page(body: bytes, status: int = 200) -> Response:
    return Response(status, body, {"Content-Type": "text/html; charset=utf-8"})


def redirect(location: str, extra: dict[str, str] | None = None) -> Response:
    return Response(HTTPStatus.SEE_OTHER, b"", {"Location": location, **(extra or {})})


def takes(path: str) -> bool:
    """Whether a request is the console's to answer."""
    return path == PATH.rstrip("/") or path.startswith(PATH)


def check_host(host: str) -> None:
    """Refuse a --console-host that names no address: the guard checks that requests name it."""
    if host.strip("[]") in ("", "0.0.0.0", "::"):
        raise StatusPageError(
            f"--console-host {host!r} would listen everywhere but names no address; give the address others "
            "use to reach this machine, like 192.168.1.20 or its host name (requests naming another are refused)"
        )


def reachable_from_others(address: str) -> bool:
    """Whether other machines can reach a server bound to `address`: any address but a loopback one."""
    try:
        return not ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:  # not an address: assume the worst
        return True


def respond(console: Console, handler: Any, with_body: bool) -> None:
    """Serve one request of `http.server` through the console."""
    length = handler.headers.get("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        response = console.refuse(Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE))
        handler.close_connection = True
    else:
        body = handler.rfile.read(int(length)) if int(length) else b""
        try:
            response = console.handle(Request(handler.command, handler.path, headers_of(handler.headers), body))
        except Exception:  # a bug must not cost the person their page without a word; the terminal has the details
            log.exception("internal error in the console")
            response = Response(500, INTERNAL.encode(), {"Content-Type": "text/plain; charset=utf-8"})
    handler.send_response(response.status)
    for name, value in {**HEADERS, **response.headers, "Content-Length": str(len(response.body))}.items():
        handler.send_header(name, value)
    handler.end_headers()
    if with_body:
        handler.wfile.write(response.body)
