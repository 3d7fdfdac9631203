"""HTTP receivers on 127.0.0.1 standing in for Slack, Discord, Teams, Google Chat, Mattermost
and webhook consumers: each records every request and answers as its test scripts it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Every receiver's path ends in this, as real webhook URLs end in their token.
TOKEN = "T0KEN-9f3b2c7d1e"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """One service. `answers` are given in order (status, headers, body), then `default`.
    While `gate` is an unset Event, every request from number `hold_from` on (counted from 0)
    waits for it before it is answered; the test, or its end, sets it."""

    name: str
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    default: tuple[int, dict[str, str], bytes] = (200, {}, b"ok")
    delay: float = 0.0
    gate: threading.Event | None = None
    hold_from: int = 0
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{self.name}/{TOKEN}"

    def bodies(self) -> list[Any]:
        return [r.json() for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    receiver: Receiver

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, parts.path, parse_qs(parts.query), headers, body)
        with receiver.lock:
            receiver.requests.append(request)
            status, headers, data = receiver.answers.pop(0) if receiver.answers else receiver.default
            gate = receiver.gate if len(receiver.requests) > receiver.hold_from else None
        receiver.arrived.set()
        if gate is not None:
            gate.wait(30)
        time.sleep(receiver.delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST


def serve(*names: str) -> Iterator[dict[str, Receiver]]:
    """Start a receiver per name; stop them all when the generator is closed."""
    servers = []
    receivers = {}
    for name in names:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        receiver = Receiver(name, httpd.server_port)
        httpd.receiver = receiver  # type: ignore[attr-defined]
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(httpd)
        receivers[name] = receiver
    try:
        yield receivers
    finally:
        for receiver in receivers.values():
            if receiver.gate is not None:
                receiver.gate.set()
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
