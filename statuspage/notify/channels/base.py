"""What every channel type shares: the message it renders, the secrets it is sent with, how it fails.

A channel type is a module with `WANTS`, `SCHEMES`, `NEEDS`, `render` and `deliver`
(`ChannelType`); `render` is pure, so `--dry-run` shows the exact body a run would send.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any, Protocol
from urllib.parse import urlsplit

from ...core.config import Channel
from ...net import RETRYABLE, Client, NetError
from ..events import Kind
from ..notice import Context, Notice

#: Chat channels carry what people read; component changes are for machines (webhooks).
PEOPLE = frozenset({Kind.UPDATE, Kind.STARTED, Kind.ENDED})
ELLIPSIS = "…"


@dataclass(frozen=True)
class Message:
    """One channel's message for one event: the body it sends, and how --dry-run shows it."""

    event_id: str
    title: str
    body: Any  # a JSON value for HTTP channels; the email; Apprise's title, body and type
    shown: str


@dataclass(frozen=True)
class Endpoint:
    """A channel's secrets, read from the environment; `repr` shows none of them."""

    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)
    recipients: tuple[str, ...] = field(default=(), repr=False)


class Failure(enum.Enum):
    """What a failed delivery means for the channel's other events."""

    #: It may pass (the service is down or busy, or did not answer): the next run tries again,
    #: and the channel's later events wait for it, so that they arrive in order.
    LATER = "later"
    #: The service refuses this message as it is (malformed, too big): the others still go.
    MESSAGE = "message"
    #: The service refuses the channel (a revoked or deleted webhook, a wrong URL or password):
    #: nothing more is sent to it this run, and its events wait until it is fixed.
    CHANNEL = "channel"


class DeliveryError(Exception):
    """Not delivered; the message names hosts only. `unsure`: it was sent and no answer came."""

    def __init__(self, message: str, failure: Failure = Failure.LATER, *, unsure: bool = False):
        super().__init__(message)
        self.failure = failure
        self.unsure = unsure


@dataclass(frozen=True)
class Parts:
    """A message that goes out in parts (email's batches): the parts an earlier try delivered,
    and the hook that records each part the moment it is delivered, so a retry sends only the rest."""

    done: frozenset[str] = frozenset()
    record: Callable[[str], None] = field(default=lambda part: None)


class ChannelType(Protocol):
    WANTS: frozenset[Kind]
    SCHEMES: tuple[str, ...]  # what its URL may start with
    NEEDS: str  # what its url_env holds, for the error when it is missing

    def render(self, notice: Notice, channel: Channel, context: Context) -> Message: ...

    def deliver(self, message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None: ...


def units(text: str) -> int:
    """A length as JavaScript counts it (UTF-16 code units): never less than Python's, so a limit
    counted either way holds."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int, *, escape: Callable[[str], str] = str, measure: Callable[[str], int] = units) -> str:
    """`text` escaped, cut with an ellipsis (at a word where one is near) so that it measures at most `limit`."""
    whole = escape(text)
    if measure(whole) <= limit:
        return whole

    def cut(n: int) -> str:
        return escape(text[:n].rstrip() + ELLIPSIS)

    low, high = 0, len(text)  # the longest prefix that fits: measures grow with the prefix
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if measure(cut(middle)) <= limit else (low, middle - 1)
    space = text.rfind(" ", 0, low)
    return cut(space if space > low * 0.8 else low)


def json_size(text: str) -> int:
    """The bytes a string adds inside a JSON body, quotes not counted."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2


def fit_rest(text: str, body: Any, limit: int, *, escape: Callable[[str], str] = str) -> str:
    """`text` cut to what a JSON `body` (with an empty string where the text goes) leaves of `limit` bytes."""
    return fit(text, limit - len(encode(body)), escape=escape, measure=json_size)


def json_message(
    notice: Notice, channel: Channel, body: Any, query: str = "", headers: tuple[str, ...] = ()
) -> Message:
    """An HTTP channel's message, shown as the request it makes (the URL by its variable's name)."""
    request = "\n".join((f"POST ${channel.url_env}{query}", *headers))
    return Message(notice.event.id, notice.title, body, f"{request}\n{json.dumps(body, indent=2, ensure_ascii=False)}")


def encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


#: Refused as it is (malformed, too big): the same body would be refused again, another may not.
REFUSED = frozenset({400, 413, 422})


def failure_of(status: int | None) -> Failure:
    """What an HTTP status says: busy or no answer, a bad message, or a channel that is refused
    (401, 403, 404, 410, a redirect: the webhook was revoked or deleted, or its URL is wrong)."""
    if status is None or status in RETRYABLE or status == 408:
        return Failure.LATER
    return Failure.MESSAGE if status in REFUSED else Failure.CHANNEL


def post(
    client: Client,
    url: str,
    data: bytes,
    headers: dict[str, str] | None = None,
    accept: tuple[int, ...] = (200, 204),
    *,
    dedupe: str | None = None,
) -> None:
    """POST a JSON body; a failure becomes DeliveryError, with anything of the URL redacted from the answer.
    `dedupe` names what lets the service drop a repeat (its idempotency key), if it has one."""
    try:
        client.request(
            "POST", url, body=data, headers={"Content-Type": "application/json", **(headers or {})}, accept=accept
        )
    except NetError as error:
        if error.unsure:
            again = f"with the same {dedupe}, by which a repeat is dropped" if dedupe else "which may show it twice"
            raise DeliveryError(f"{error}: the next run sends it again, {again}", unsure=True) from None
        raise DeliveryError(f"{error}{_said(error, url)}", failure_of(error.status)) from None


def is_loopback(host: str) -> bool:
    """This machine: plain http or an SMTP password in the clear crosses no network there."""
    try:
        return host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        return False


def with_query(url: str, parameter: str) -> str:
    return url + ("&" if urlsplit(url).query else "?") + parameter


def _said(error: NetError, url: str) -> str:
    """What the service answered, briefly: its words help ("invalid_blocks"), its echo of our URL must not show."""
    if error.response is None or not error.response.body:
        return ""
    text = " ".join(error.response.body[:300].decode("utf-8", "replace").split())
    parts = urlsplit(url)
    secrets = [url, parts.path, parts.query, *re.split(r"[/?&=]", parts.path + "?" + parts.query)]
    for secret in sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return f" ({text[:200]})" if text else ""
