"""Who may use the console: the holder of the printed link, from the console's own pages only.

The link's token opens a session (an HttpOnly, SameSite=Strict cookie); every form carries a
token derived from that session (CSRF); and a request naming another host or coming from
another origin is refused, so a page elsewhere cannot reach the console through the
browser, not even by pointing its own name at 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

from ...outputs.i18n import N_

#: Where the console lives beside the preview (no site address starts with an underscore).
PATH = "/_console/"
LOCAL_HOSTS = ("127.0.0.1", "localhost")


NEEDS_LINK = N_(
    "Open the console with the link printed in the terminal where it runs (the link ends in ?token=…). "
    "The console is only for whoever started it."
)
WRONG_TOKEN = N_("This link's token is not this console's: use the link printed in the terminal.")
WRONG_HOST = N_(
    "This console answers only at %(address)s, not at the host %(host)s: open it with the link printed in the terminal."
)
FOREIGN = N_("Requests from other sites are refused: use the console's own pages.")
WRONG_FORM = N_(
    "This form did not come from this console's session (or the console was restarted): reload the page and post again."
)


class Refused(Exception):
    """A request the console will not serve; the message (translated where shown) says why and what to do."""

    def __init__(self, status: int, message: str, **values: str):
        super().__init__(message % values if values else message)
        self.status = status
        self.message = message
        self.values = values


@dataclass
class Guard:
    host: str  # the address the console is reached at ("127.0.0.1", or what --console-host named)
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    _sessions: set[str] = field(default_factory=set, repr=False)

    @property
    def cookie(self) -> str:
        """One name per port: cookies do not tell ports apart, and two consoles may run at once."""
        return f"statuspage-console-{self.port}"

    @property
    def origins(self) -> frozenset[str]:
        """The `Host` values of requests meant for this console."""
        names = {self.host, *LOCAL_HOSTS} if self.host in LOCAL_HOSTS else {self.host}
        return frozenset(authority(name, self.port) for name in names)

    @property
    def address(self) -> str:
        return f"http://{authority(self.host, self.port)}{PATH}"

    @property
    def link(self) -> str:
        """The URL to print: it opens the console once, then the cookie does."""
        return f"{self.address}?token={self.token}"

    def admits(self, headers: Mapping[str, str]) -> bool:
        """Whether a request names this server's own host (the preview's pages are checked too: they
        show notes not yet published)."""
        return headers.get("Host", "").strip().lower() in self.origins

    def check_host(self, headers: Mapping[str, str]) -> None:
        """Refuse a request naming another host: a page elsewhere whose name now points here (DNS rebinding)."""
        if not self.admits(headers):
            raise Refused(403, WRONG_HOST, address=self.address, host=headers.get("Host", "").strip() or "-")

    def check_origin(self, headers: Mapping[str, str]) -> None:
        """Refuse a request sent by another site's page (what browsers say in `Origin` and `Sec-Fetch-Site`)."""
        origin = headers.get("Origin")
        foreign = origin is not None and origin.lower() not in {f"http://{name}" for name in self.origins}
        if foreign or headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
            raise Refused(403, FOREIGN)

    def login(self, token: str) -> str:
        """A new session for the holder of the link's token."""
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            raise Refused(403, WRONG_TOKEN)
        session = secrets.token_urlsafe(32)
        self._sessions.add(session)
        return session

    def session(self, headers: Mapping[str, str]) -> str:
        """The request's session, from its cookie; refused without one."""
        try:
            cookies = SimpleCookie(headers.get("Cookie", ""))
        except CookieError:
            cookies = SimpleCookie()
        morsel = cookies.get(self.cookie)
        if morsel is None or morsel.value not in self._sessions:
            raise Refused(403, NEEDS_LINK)
        return morsel.value

    def set_cookie(self, session: str) -> str:
        return f"{self.cookie}={session}; Path={PATH}; HttpOnly; SameSite=Strict"

    def csrf(self, session: str) -> str:
        """The token every form of this session carries."""
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session: str, given: str) -> None:
        if not hmac.compare_digest(given.encode(), self.csrf(session).encode()):
            raise Refused(403, WRONG_FORM)


def authority(host: str, port: int) -> str:
    """ "127.0.0.1:8000", "[::1]:8000": a host and port as a URL and a `Host` header write them."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
