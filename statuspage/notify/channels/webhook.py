"""Webhooks in Atlassian Statuspage's format, signed per Standard Webhooks.

Receivers written for Statuspage (Zulip's integration, incident tools, routers) read these
unchanged: `meta`, `page`, and either `incident` (the API's incident document as it stood at
the event, `incident_updates` newest first) or `component` + `component_update`. The objects
come from `outputs.api.Statuspage`, so a webhook never disagrees with the JSON API.

With `secret_env`, each request carries `webhook-id` (the event's id: the same on every
retry, so a receiver can drop a repeat), `webhook-timestamp` (the wall clock, which receivers
check against theirs) and `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of
"id.timestamp.body" under the secret that follows `whsec_`, base64-decoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC
from typing import Any

from ...core.config import Channel
from ...core.status import state
from ...core.timeline import as_of
from ...net import Client
from ..events import ComponentEvent, IncidentEvent, Kind
from ..notice import Context, Notice
from .base import Endpoint, Message, Parts, encode, json_message, post

WANTS = frozenset(Kind)
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL that receives the webhooks"
DOCUMENTATION = "https://github.com/statuspage-md/statuspage/blob/main/docs/notify.md#webhook"
SECRET_PREFIX = "whsec_"


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    api, event = context.api, notice.event
    body: dict[str, Any] = {
        "meta": {
            "unsubscribe": channel.unsubscribe_url or context.site.config.url,
            "documentation": DOCUMENTATION,
            "generated_at": api.time(context.site.now),
        },
        "page": {
            "id": api.page_id,
            "status_indicator": api.status["indicator"],
            "status_description": api.status["description"],
        },
    }
    if isinstance(event, IncidentEvent):
        then = as_of(event.incident, event.at) or event.incident  # the incident as it stood at that event
        body["incident"] = api.incident(then, state(then, event.at))
    else:
        body |= _component(context, event)
    headers = [f"webhook-id: {event.id}", "webhook-timestamp: (the clock when it is sent)"]
    if channel.secret_env:
        headers.append(f"webhook-signature: v1,… (signed with ${channel.secret_env})")
    return json_message(notice, channel, body, headers=tuple(headers))


def _component(context: Context, event: ComponentEvent) -> dict[str, Any]:
    api, at = context.api, context.api.time(event.at)
    cid = event.component.id
    return {
        "component": {**api.component(cid), "status": event.new.value, "updated_at": at},
        "component_update": {
            "old_status": event.old.value,
            "new_status": event.new.value,
            "created_at": at,
            "component_type": "Component",
            "id": f"{cid}-{event.at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            "component_id": cid,
        },
    }


#: The key's length in bytes, per Standard Webhooks: at least 192 bits, at most 512.
KEY_BYTES = range(24, 65)


def decode_secret(secret: str) -> bytes | None:
    """The key of a `whsec_…` secret (strict base64 of 24 to 64 bytes), or None when it is not one."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except ValueError:  # binascii.Error
        return None
    return key if len(key) in KEY_BYTES else None


def signature(key: bytes, message_id: str, timestamp: str, data: bytes) -> str:
    signed = message_id.encode() + b"." + timestamp.encode() + b"." + data
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    data = encode(message.body)
    # The wall clock, not the run's `now`: receivers refuse a timestamp far from their own clock.
    timestamp = str(int(time.time()))
    headers = {"webhook-id": message.event_id, "webhook-timestamp": timestamp}
    key = decode_secret(endpoint.secret) if endpoint.secret else None
    if key is not None:
        headers["webhook-signature"] = signature(key, message.event_id, timestamp, data)
    post(client, endpoint.url, data, headers, accept=(200, 201, 202, 204), dedupe="webhook-id")
