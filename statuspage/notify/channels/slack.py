"""Slack incoming webhooks: Block Kit, with a plain-text `text` for notifications.

Limits (Slack's Block Kit reference): a header's text 150 characters, a section's text 3,000,
a section's fields 10 of 2,000 each, 50 blocks. mrkdwn needs `&`, `<` and `>` escaped, which
also keeps a note from pinging `<!channel>`. The impact's colour is the bar of the one
attachment, which carries the facts.
"""

from __future__ import annotations

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, Parts, encode, fit, json_message, post

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL of a Slack incoming webhook (https://hooks.slack.com/services/…)"
HEADER = 150
SECTION = 3000
FIELD = 2000
FIELDS = 10
NAME = 200  # a label or the site's title, well inside any limit above


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; `|` and `>` would end it early, so they are percent-encoded."""
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{escape(label)}>"


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    blocks: list[dict[str, object]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(notice.title, HEADER)}},
    ]
    if notice.text:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": fit(notice.text, SECTION, escape=escape)}})
    facts = []
    for label, value in notice.facts[:FIELDS]:
        name = f"*{escape(fit(label, NAME))}*\n"
        facts.append({"type": "mrkdwn", "text": name + fit(value, FIELD - len(name), escape=escape)})
    details: list[dict[str, object]] = [{"type": "section", "fields": facts}] if facts else []
    site, *rest = notice.footer()
    footer = [link(notice.url, fit(site, NAME)), *map(escape, rest)]
    details.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(footer)}]})
    body = {
        "text": fit(f"{notice.title}\n{notice.text}".strip(), SECTION, escape=escape),
        "blocks": blocks,
        "attachments": [{"color": f"#{notice.colour}", "blocks": details}],
    }
    return json_message(notice, channel, body)


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    post(client, endpoint.url, encode(message.body), accept=(200,))
