"""One deadline for a whole attempt: resolving the name, connecting, TLS, the answer and its body.

A socket's timeout bounds each wait, not their sum: a server that sends a byte a second never
trips it. So the name is resolved in a helper thread that is not waited for past the deadline,
and once connected a timer shuts the connection down at the deadline, ending whatever read is
under way.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any


class Deadline:
    """The moment an attempt must be over by."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; TimeoutError once there are none."""
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        return remaining

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at


def connect(host: str, port: int, deadline: Deadline) -> socket.socket:
    """A TCP connection to the host (each of its addresses in turn), within the deadline."""
    failure: OSError = socket.gaierror(socket.EAI_NONAME, "no address")
    for family, kind, proto, _, address in _resolve(host, port, deadline):
        connection = socket.socket(family, kind, proto)
        try:
            connection.settimeout(deadline.left())
            connection.connect(address)
            return connection
        except OSError as error:
            connection.close()
            failure = error
    raise failure


def _resolve(host: str, port: int, deadline: Deadline) -> list[tuple[Any, ...]]:
    """getaddrinfo, which no timeout bounds: asked in a thread that is let go at the deadline."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)  # an address: nothing to ask
    answer: list[list[tuple[Any, ...]] | Exception] = []

    def ask() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as error:  # raised again in the caller's thread
            answer.append(error)

    worker = threading.Thread(target=ask, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(deadline.left())
    if not answer:
        raise TimeoutError("timed out")
    if isinstance(answer[0], Exception):
        raise answer[0]
    return answer[0]


@contextmanager
def cut_off(connection: socket.socket, deadline: Deadline) -> Iterator[None]:
    """Shut the connection down when the deadline passes, so a read under way ends at once.

    The timer shuts down a duplicate of the socket (the same connection), under a lock with its
    closing, so it can never touch a descriptor the system has given to another connection.
    """
    guard = connection.dup()
    lock = threading.Lock()
    done = False

    def shut() -> None:
        with lock, suppress(OSError):
            if not done:
                guard.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline.at - time.monotonic(), 0.0), shut)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            done = True
            guard.close()
