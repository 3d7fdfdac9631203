"""HTTP receivers on 127.0.0.1 standing in for Slack, Discord, Teams, Google Chat, Mattermost
and webhook consumers: each records every request and answers as its test scripts it."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
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


class Raw:
    """A TCP server on 127.0.0.1 that answers each connection with `answer` (raw bytes, maybe not HTTP),
    once it has read the request and waited `wait` seconds; it counts the connections."""

    def __init__(self, answer: bytes = b"", wait: float = 0.0) -> None:
        self.answer, self.wait, self.connections = answer, wait, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(65536)
                if self.wait:
                    self.stop.wait(self.wait)
                conn.sendall(self.answer)
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def raw_server() -> Iterator[Callable[..., Raw]]:
    """Start raw servers on demand; close them when the generator is closed (a fixture's body)."""
    started: list[Raw] = []

    def start(answer: bytes = b"", wait: float = 0.0) -> Raw:
        started.append(Raw(answer, wait))
        return started[-1]

    yield start
    for server in started:
        server.close()
