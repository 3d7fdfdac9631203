"""Email channels against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import NOW, Run, Site
from notify_site import channel_table, write_site

from statuspage.notify.channels import mail

SENDER = "Test Status <status@status.test>"
PASSWORD = "p@ss:w/rd secret"


@dataclass
class Mailbox:
    """What the server accepted: each transaction's envelope and message."""

    port: int = 0
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    answers: list[str | None] = field(default_factory=list)  # DATA replies to give first, like "451 …"; None: take it
    refuse: dict[str, str] = field(default_factory=dict)  # RCPT replies for these addresses, like "550 …"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self.answers.pop(0) if self.answers else None
        if answer is not None:
            return answer
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password.decode() == PASSWORD)

    def messages(self) -> list[EmailMessage]:
        """One per update: the first batch's copy of each."""
        seen: dict[str, EmailMessage] = {}
        for _, _, message in self.received:
            seen.setdefault(str(message["Message-ID"]), message)
        return list(seen.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Mailbox]]:
    started: list[Controller] = []
    # aiosmtpd runs in this process and logs every command (with the addresses) at INFO: the
    # server's log is not the run's, and must not be read as if notify had printed it.
    server_log = logging.getLogger("mail.log")
    monkeypatch.setattr(server_log, "level", logging.WARNING)

    def start(**options: Any) -> Mailbox:
        box = Mailbox(free_port())
        controller = Controller(box, hostname="127.0.0.1", port=box.port, authenticator=box.authenticate, **options)
        controller.start()
        started.append(controller)
        return box

    yield start
    for controller in started:
        controller.stop()


def email_site(site: Site, monkeypatch: pytest.MonkeyPatch, url: str, recipients: str, **extra: object) -> None:
    table = channel_table("email", **{"from": SENDER, "to_env": "SUBSCRIBERS", **extra})
    write_site(site, table)
    monkeypatch.setenv("EMAIL_URL", url)
    monkeypatch.setenv("SUBSCRIBERS", recipients)


def notify(site: Site, *args: str) -> Run:
    return site.run("notify", "--config", str(site.config_path), "--now", NOW, *args)


def test_one_mail_per_update_threaded_per_incident_and_sent_in_batches(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    box = smtp()
    people = tmp_path / "subscribers.txt"
    people.write_text(
        "# subscribers, kept out of the repository\n" + "".join(f"user{n}@example.org\n" for n in range(120))
    )
    email_site(
        site,
        monkeypatch,
        f"smtp://127.0.0.1:{box.port}",
        str(people),
        unsubscribe_url="https://status.test/unsubscribe",
    )
    result = notify(site)
    assert result.code == 0, result.err

    # Five updates, each to 120 recipients in batches of 50, 50 and 20, never in a header.
    assert len(box.received) == 15
    assert [len(to) for _, to, _ in box.received[:3]] == [50, 50, 20]
    assert sorted(a for _, to, _ in box.received[:3] for a in to) == sorted(f"user{n}@example.org" for n in range(120))
    for sender, _, message in box.received:
        assert sender == "status@status.test" and message["To"] == SENDER and "Bcc" not in message
        assert "user" not in str(message["To"]) + str(message.get("Cc", ""))

    messages = box.messages()
    assert [str(m["Subject"]) for m in messages] == [
        "[Test Status] Investigating: Login page offline",
        "[Test Status] Identified: Login page offline",
        "[Test Status] Investigating: Slow API responses",
        "[Test Status] Resolved: Login page offline",
        "[Test Status] Completed: Database upgrade",
    ]
    first, identified, api, resolved = messages[:4]
    assert first["Message-ID"] == "<status-test.2026-03-20-login-down.update-20260320T1005Z@status.test>"
    assert "In-Reply-To" not in first  # the incident's first message starts the thread
    for reply in (identified, resolved):
        assert reply["In-Reply-To"] == reply["References"] == first["Message-ID"]
    assert api["In-Reply-To"] is None
    assert resolved["List-Unsubscribe"] == "<https://status.test/unsubscribe>"
    assert resolved["List-Id"] == "Test Status <status-test.status.test>"
    assert resolved["Auto-Submitted"] == "auto-generated"
    text = resolved.get_body(("plain",))
    html = resolved.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert (
        "Logins work again." in plain
        and "https://status.test/incidents/2026-03-20-login-down/#update-20260320T1040Z" in plain
    )
    assert "Affected: Login" in plain and "Unsubscribe: https://status.test/unsubscribe" in plain
    page = html.get_content()
    assert "<p>Logins work again.</p>" in page and 'href="https://status.test/unsubscribe"' in page
    assert "#1a7f37" in page  # resolved: green

    # Nothing twice; Message-IDs are the same if the same update is rendered again.
    again = notify(site, "--dry-run")
    assert "no new messages" in again.out and len(box.received) == 15


def test_starttls_then_login_with_the_password_from_the_url(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = smtp(tls_context=context, require_starttls=True, auth_required=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client verifies the server against this
    url = f"smtp://{quote('status@status.test')}:{quote(PASSWORD, safe='')}@127.0.0.1:{box.port}"
    email_site(site, monkeypatch, url, "a@example.org, b@example.org; a@example.org")
    result = notify(site)
    assert result.code == 0, result.err
    assert box.logins[0] == ("status@status.test", PASSWORD)
    assert len(box.received) == 5 and box.received[0][1] == ["a@example.org", "b@example.org"]
    assert PASSWORD not in result.err and quote(PASSWORD, safe="") not in result.err


def test_a_password_is_never_sent_unencrypted_to_another_machine(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    box = smtp(auth_require_tls=False)
    monkeypatch.setattr(mail, "is_loopback", lambda host: False)  # as if 127.0.0.1 were across a network
    email_site(site, monkeypatch, f"smtp://status:{quote(PASSWORD, safe='')}@127.0.0.1:{box.port}", "a@example.org")
    result = notify(site)
    assert result.code == 1
    assert "offers no STARTTLS, and the password is not sent unencrypted; use smtps://" in result.err
    assert box.logins == [] and box.received == []


def test_a_temporary_refusal_is_retried_on_the_next_run(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    box = smtp()
    box.answers = ["451 4.3.0 Try again later"]
    email_site(site, monkeypatch, f"smtp://127.0.0.1:{box.port}", "a@example.org")
    first = notify(site)
    assert first.code == 1 and "email-channel: not delivered" in first.err and "451" in first.err
    assert "4 later events wait for the next run" in first.err and box.received == []
    assert notify(site).code == 0 and len(box.received) == 5


def test_recipients_are_checked_and_never_printed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    email_site(site, monkeypatch, "smtp://127.0.0.1:25", "alice@example.org, not-an-address, bob@example.org")
    result = notify(site)
    assert result.code == 2
    assert "notify[0].to_env: entry 2 in it (SUBSCRIBERS) is not an email address" in result.err
    assert "not-an-address" not in result.err and "alice" not in result.err
    monkeypatch.setenv("EMAIL_URL", "https://mail.example.com/")
    monkeypatch.setenv("SUBSCRIBERS", "/no/such/file")
    result = notify(site)
    assert "EMAIL_URL must hold a smtp:// or smtps:// URL" in result.err
    assert "SUBSCRIBERS holds no email address, and names no file that exists" in result.err


def test_a_user_name_or_password_that_smtp_cannot_send_is_a_config_error_that_shows_neither(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's SMTP login sends them as ASCII: it would fail with a traceback quoting a piece of them."""
    email_site(site, monkeypatch, f"smtp://us%C3%A9r:p%C3%A4ss@127.0.0.1:{free_port()}", "a@example.org")
    result = notify(site)
    assert result.code == 2 and "Traceback" not in result.err
    assert (
        "notify[0].url_env: EMAIL_URL has a user name or password with non-ASCII characters, which SMTP cannot send"
    ) in result.err
    assert "é" not in result.err and "ä" not in result.err and "%C3" not in result.err


def test_a_server_refusing_every_recipient_is_a_failure_not_a_delivery(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    box = smtp()
    box.refuse = {a: f"550 5.7.1 <{a}>: Relay access denied" for a in ("a@example.org", "b@example.org")}
    email_site(site, monkeypatch, f"smtp://127.0.0.1:{box.port}", "a@example.org, b@example.org")
    result = notify(site)
    assert result.code == 1 and box.received == []
    assert (
        "email-channel: the service refuses this channel: SMTP 127.0.0.1: refused every recipient (550)" in result.err
    )
    assert "a@example.org" not in result.err
    assert json.loads((site.root / "notify.json").read_text())["channels"]["email-channel"]["sent"] == {}
    # Some refused is a delivery to the others, logged by count only.
    box.refuse = {"a@example.org": "550 5.1.1 <a@example.org>: no such user"}
    again = notify(site)
    assert again.code == 0 and "SMTP 127.0.0.1 refused 1 of 2 recipients" in again.err
    assert len(box.received) == 5 and all(to == ["b@example.org"] for _, to, _ in box.received)


def test_a_batch_that_failed_is_sent_again_alone_and_the_others_never_twice(
    site: Site, smtp: Callable[..., Mailbox], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    box = smtp()
    people = tmp_path / "subscribers.txt"
    people.write_text("".join(f"user{n}@example.org\n" for n in range(120)))
    email_site(site, monkeypatch, f"smtp://127.0.0.1:{box.port}", str(people))
    box.answers = [None, "451 4.3.0 Try again later"]  # the first mail's second batch
    first = notify(site)
    assert first.code == 1 and "451" in first.err
    assert [len(to) for _, to, _ in box.received] == [50]
    ledger = (site.root / "notify.json").read_text()
    assert "user" not in ledger and '"parts"' in ledger  # the batch by a keyed digest, never its addresses
    assert notify(site).code == 0
    # The first mail: its second and third batch only; then the others to all three batches.
    assert [len(to) for _, to, _ in box.received] == [50, 50, 20] + [50, 50, 20] * 4
    first_mail = [to for _, to, message in box.received if "update-20260320T1005Z" in str(message["Message-ID"])]
    assert sorted(a for to in first_mail for a in to) == sorted(f"user{n}@example.org" for n in range(120))
    assert '"parts"' not in (site.root / "notify.json").read_text()  # once whole, the event is simply sent
