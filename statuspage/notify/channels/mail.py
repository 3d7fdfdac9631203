"""Email over SMTP: one message per update, threaded per incident, to recipients in batches.

`url_env` holds `smtp://user:password@host:port` (STARTTLS when the server offers it; a
password is never sent unencrypted except to this machine) or `smtps://…` (TLS from the
start). Recipients go in the envelope, BATCH at a time, never in a header: `To:` is the
sender. Each batch is a part of the delivery, recorded once the server takes it, so a retry
reaches only the batches that were not reached; a batch whose every recipient is refused is
not delivered. Each update's Message-ID is stable (a resend is recognisably the same mail) and
`In-Reply-To`/`References` name the incident's first update, so mail clients thread them.
"""

from __future__ import annotations

import email.policy
import hashlib
import hmac
import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape
from urllib.parse import unquote, urlsplit

from ...core.addresses import slugify
from ...core.config import Channel
from ...net import Client
from ..events import IncidentEvent, Kind
from ..notice import Context, Notice
from .base import PEOPLE, DeliveryError, Endpoint, Failure, Message, Parts, is_loopback

log = logging.getLogger(__name__)

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("smtp", "smtps")
NEEDS = "an SMTP URL: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465"
BATCH = 50
#: Header lines up to RFC 5322's 998 characters: a folded Message-ID reads back with a space in it.
POLICY = email.policy.default.clone(max_line_length=998)
PORTS = {"smtp": 587, "smtps": 465}


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    gettext, site, event = context.gettext, context.site, notice.event
    assert isinstance(event, IncidentEvent)  # WANTS: people's events, which are all about incidents
    mail = EmailMessage(policy=POLICY)
    mail["Subject"] = f"[{notice.site_title}] {notice.title}"
    mail["From"] = channel.sender
    mail["To"] = channel.sender  # the recipients are in the envelope only
    mail["Date"] = format_datetime(site.now)
    domain = urlsplit(site.config.url).hostname or "localhost"
    mail["Message-ID"] = _message_id(event, site.config.url, domain)
    first = _first_id(event, site.config.url, domain)
    if first is not None:
        mail["In-Reply-To"] = mail["References"] = first
    mail["List-Id"] = f"{notice.site_title} <{slugify(site.config.url.split('//', 1)[-1])}.{domain}>"
    if channel.unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{channel.unsubscribe_url}>"
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    unsubscribe = gettext("Unsubscribe")
    lines = [notice.title, *notice.plain_lines(), "", f"{notice.site_title} · {notice.site_url}"]
    if channel.unsubscribe_url:
        lines.append(f"{unsubscribe}: {channel.unsubscribe_url}")
    mail.set_content("\n".join(lines) + "\n")
    mail.add_alternative(_html(notice, site.config.language, unsubscribe, channel.unsubscribe_url), subtype="html")
    shown = f"SMTP ${channel.url_env}, to the recipients in ${channel.to_env}, {BATCH} a message\n{mail.as_string()}"
    return Message(notice.event.id, notice.title, mail, shown)


def _message_id(event: IncidentEvent, site_url: str, domain: str) -> str:
    what = event.update.anchor if event.kind is Kind.UPDATE else event.kind.value
    return _mail_id(site_url, event.incident.slug, what, domain)


def _first_id(event: IncidentEvent, site_url: str, domain: str) -> str | None:
    """The Message-ID of the incident's first update, unless this is it."""
    first = event.incident.updates[-1]
    if event.kind is Kind.UPDATE and event.update.anchor == first.anchor:
        return None
    return _mail_id(site_url, event.incident.slug, first.anchor, domain)


def _mail_id(site_url: str, slug: str, what: str, domain: str) -> str:
    """Unique to the site (two sites may share a host under different paths), the incident and the update."""
    return f"<{slugify(site_url.split('//', 1)[-1])}.{slug}.{what}@{domain}>"


def _html(notice: Notice, language: str, unsubscribe: str, unsubscribe_url: str | None) -> str:
    """The same as the text part: inline styles only, since mail clients drop style sheets."""
    facts = "".join(
        f'<tr><th style="text-align:left;padding-right:12px">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in notice.facts
    )
    footer = f'<a href="{escape(notice.site_url)}">{escape(notice.site_title)}</a>'
    if unsubscribe_url:
        footer += f' · <a href="{escape(unsubscribe_url)}">{escape(unsubscribe)}</a>'
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(notice.title)}</title></head>\n"
        '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328">\n'
        f'<div style="border-left:4px solid #{notice.colour};padding-left:12px">\n'
        f'<h1 style="font-size:20px;margin:0"><a href="{escape(notice.url)}" style="color:inherit">'
        f"{escape(notice.title)}</a></h1>\n"
        f'<p style="color:#{notice.colour};margin:0 0 12px">{escape(notice.subtitle)} · {escape(notice.when)}</p>\n'
        f"{notice.html}\n<table>{facts}</table>\n</div>\n"
        f'<p style="font-size:12px;color:#59636e">{footer}</p>\n</body></html>\n'
    )


def batches(recipients: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [recipients[n : n + BATCH] for n in range(0, len(recipients), BATCH)]


def batch_id(endpoint: Endpoint, batch: tuple[str, ...]) -> str:
    """What the ledger records of a delivered batch: keyed with the secret URL, so the committed
    ledger cannot be used to check whether an address is among the subscribers."""
    return hmac.new(endpoint.url.encode(), "\n".join(batch).encode(), hashlib.sha256).hexdigest()[:16]


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    """Each batch not delivered before, recorded as it is delivered: a run that fails halfway
    sends the next run's try only to the batches that did not get it."""
    url = urlsplit(endpoint.url)
    host = url.hostname or ""
    sender = parseaddr(str(message.body["From"]))[1]
    pending = [(batch_id(endpoint, b), b) for b in batches(endpoint.recipients)]
    pending = [(part, batch) for part, batch in pending if part not in parts.done]
    if not pending:  # every batch went out before; only the record of the whole was missing
        return
    refused: list[int] = []  # the codes of refused recipients in batches that went out
    lost: list[list[int]] = []  # per batch whose every recipient was refused, their codes
    try:
        with _connect(url.scheme, host, url.port or PORTS[url.scheme], client.timeout) as smtp:
            if url.username:
                if url.scheme == "smtp" and not _encrypted(smtp) and not is_loopback(host):
                    raise DeliveryError(
                        f"SMTP {host}: offers no STARTTLS, and the password is not sent unencrypted; use smtps://",
                        Failure.CHANNEL,
                    )
                smtp.login(unquote(url.username), unquote(url.password or ""))
            for part, batch in pending:
                codes = _send(smtp, message, sender, batch)
                if len(codes) == len(batch):
                    lost.append(codes)
                    continue
                parts.record(part)
                refused += codes
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"SMTP {host}: {error.smtp_code} {_words(error.smtp_error)}", _failure(error)) from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(f"SMTP {host}: cannot take non-ASCII addresses (no SMTPUTF8)", Failure.CHANNEL) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP {host}: {type(error).__name__}: {_words(str(error))}") from None
    except UnicodeError:  # its message would show part of the credentials
        raise DeliveryError(f"SMTP {host}: cannot send a non-ASCII user name or password", Failure.CHANNEL) from None
    if refused:
        # Named by count only: the addresses are the subscribers' and stay out of logs.
        log.warning("SMTP %s refused %d of %d recipients", host, len(refused), len(endpoint.recipients))
    if lost:
        codes = sorted({code for batch in lost for code in batch})
        gone = len(lost) == len(pending)  # nobody got it: these recipients, or this relay, will refuse the rest
        failure = Failure.LATER if codes[0] < 500 else Failure.CHANNEL if gone else Failure.MESSAGE
        whom = "every recipient" if gone else f"every recipient in {len(lost)} of {len(pending)} batches"
        raise DeliveryError(f"SMTP {host}: refused {whom} ({', '.join(map(str, codes))})", failure)


def _send(smtp: smtplib.SMTP, message: Message, sender: str, batch: tuple[str, ...]) -> list[int]:
    """Send to one batch; the codes of the recipients the server refused (an address, not the run, is at fault)."""
    try:
        refused = smtp.send_message(message.body, from_addr=sender, to_addrs=list(batch))
    except smtplib.SMTPRecipientsRefused as error:
        refused = error.recipients
    return [code for code, _ in refused.values()]


def _failure(error: smtplib.SMTPResponseException) -> Failure:
    """4xx may pass; a refused login or sender refuses every message; a refused DATA this one only."""
    if error.smtp_code < 500:
        return Failure.LATER
    channel = isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused | smtplib.SMTPConnectError)
    return Failure.CHANNEL if channel else Failure.MESSAGE


def _words(said: bytes | str) -> str:
    """The server's words, short, with any address in them (a subscriber's) left out."""
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else said
    return _ADDRESS.sub("[address]", " ".join(text.split()))[:200]


_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


def _connect(scheme: str, host: str, port: int, timeout: float) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if scheme == "smtps":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _encrypted(smtp: smtplib.SMTP) -> bool:
    return isinstance(smtp.sock, ssl.SSLSocket)
