"""net.Client against a real HTTP server on 127.0.0.1 that answers what each test scripts."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from receivers import Raw, raw_server

from statuspage import storage
from statuspage.net import Client, NetError, Retry


class Script:
    """The answers to give, in order (status, headers, body), and the requests seen."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.seen: list[tuple[str, str, bytes]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            script.seen.append((self.command, self.path, body))
            status, headers, data = script.answers.pop(0) if script.answers else (200, {}, b"ok")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", script
    httpd.shutdown()
    httpd.server_close()


def client(**retry: float) -> tuple[Client, list[float]]:
    """A client whose pauses are recorded and pass on a clock of their own, instead of taking time."""
    pauses: list[float] = []

    def clock() -> float:
        return sum(pauses)

    return Client(timeout=1.0, retry=Retry(**retry), sleep=pauses.append, clock=clock), pauses  # type: ignore[arg-type]


def test_a_server_error_is_retried_with_growing_pauses(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(500, {}, b""), (503, {}, b""), (200, {}, b'{"ok": true}')]
    http, pauses = client()
    response = http.request("POST", url + "/hook?token=secret", body=b"{}")
    assert response.json() == {"ok": True}
    assert pauses == [1.0, 2.0]
    assert [method for method, _, _ in script.seen] == ["POST"] * 3


def test_retry_after_is_honoured_within_the_longest_pause(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "7"}, b""), (429, {"Retry-After": "999"}, b""), (204, {}, b"")]
    http, pauses = client(longest_pause=30.0, total=600.0)
    assert http.request("POST", url).status == 204
    assert pauses == [7.0, 30.0]


def test_a_client_error_is_not_retried_and_the_message_hides_the_path(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(404, {}, b"no such hook")]
    http, pauses = client()
    with pytest.raises(NetError) as raised:
        http.request("POST", url + "/services/T000/B000/XXXXSECRET")
    assert raised.value.status == 404
    assert str(raised.value) == "POST http://127.0.0.1: HTTP 404"
    assert "SECRET" not in str(raised.value) and pauses == []


def test_retries_stop_at_the_attempts_and_the_total_time(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(502, {}, b"")] * 10
    http, pauses = client(attempts=3)
    with pytest.raises(NetError, match="HTTP 502"):
        http.request("GET", url)
    assert len(script.seen) == 3 and pauses == [1.0, 2.0]
    script.seen.clear()
    script.answers = [(503, {"Retry-After": "20"}, b"")] * 10
    http, pauses = client(attempts=10, total=30.0)
    with pytest.raises(NetError, match="HTTP 503"):
        http.request("GET", url)
    assert pauses == [20.0]  # a second pause of 20 s would pass the 30 s budget


def test_no_answer_is_retried_then_named(server: tuple[str, Script]) -> None:
    url, _ = server
    closed = url.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens there
    http, pauses = client(attempts=2)
    with pytest.raises(NetError, match=r"^GET http://127\.0\.0\.1: no answer \(") as raised:
        http.request("GET", closed + "/x")
    assert raised.value.status is None and pauses == [1.0]


def test_a_lock_turns_a_second_holder_away(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    with (
        storage.locked(path),
        pytest.raises(storage.Locked, match="held by another run"),
        storage.locked(path, wait=0.2),
    ):
        pass
    with storage.locked(path):  # released: free again
        pass


@pytest.fixture
def raw() -> Iterator[Callable[..., Raw]]:
    yield from raw_server()


SECRET_PATH = "/services/T0/B0/SECRET-TOKEN123"


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "the answer is not HTTP"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", "the answer was cut short"),
        (b"", "the connection was closed before an answer"),
    ],
    ids=["not-http", "truncated", "closed"],
)
def test_a_garbled_answer_is_a_net_error_naming_only_the_host(
    raw: Callable[..., Raw], answer: bytes, said: str
) -> None:
    server = raw(answer)
    http, pauses = client()
    url = f"http://127.0.0.1:{server.port}{SECRET_PATH}?token=SECRET"
    with pytest.raises(NetError) as raised:
        http.request("GET", url)  # a GET may be asked again: the same answer every time
    assert str(raised.value) == f"GET http://127.0.0.1: {said}"
    assert server.connections == 4 and len(pauses) == 3


def test_a_post_that_got_no_answer_is_not_sent_again_in_the_run(raw: Callable[..., Raw]) -> None:
    """The service may have taken it: another try could post it twice."""
    server = raw(b"SSH-2.0-OpenSSH_9.6\r\n")
    http, pauses = client()
    with pytest.raises(NetError) as raised:
        http.request("POST", f"http://127.0.0.1:{server.port}{SECRET_PATH}", body=b"{}")
    assert raised.value.unsure and raised.value.status is None
    assert str(raised.value) == "POST http://127.0.0.1: sent, but the answer is not HTTP; it may have arrived"
    assert server.connections == 1 and pauses == []


def test_a_post_whose_answer_times_out_is_not_sent_again_in_the_run(raw: Callable[..., Raw]) -> None:
    server = raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", wait=3.0)
    http = Client(timeout=0.3, retry=Retry(), sleep=lambda s: None)
    with pytest.raises(NetError) as raised:
        http.request("POST", f"http://127.0.0.1:{server.port}/x", body=b"{}")
    assert raised.value.unsure and "sent, but no answer (timed out); it may have arrived" in str(raised.value)
    assert server.connections == 1


def test_a_refused_connection_sent_nothing_so_a_post_is_tried_again(server: tuple[str, Script]) -> None:
    url, _ = server
    closed = url.rsplit(":", 1)[0] + ":9"
    http, pauses = client(attempts=3)
    with pytest.raises(NetError) as raised:
        http.request("POST", closed + SECRET_PATH, body=b"{}")
    assert not raised.value.unsure and pauses == [1.0, 2.0]
    assert str(raised.value) == "POST http://127.0.0.1: no answer (connection refused)"


def test_a_url_the_client_cannot_ask_is_named_by_its_host_only(server: tuple[str, Script]) -> None:
    url, script = server
    http, pauses = client()
    for bad in (url + "/services/T0/B0/SECRET TOKEN123", url + "/a\r\nX-Injected: SECRET"):
        with pytest.raises(NetError) as raised:
            http.request("POST", bad, body=b"{}")
        assert str(raised.value) == "POST http://127.0.0.1: not a URL that can be asked"
        assert "SECRET" not in repr(raised.value.args)
    with pytest.raises(NetError, match=r"^GET \(an address that is not a URL\): not a URL that can be asked$"):
        http.request("GET", "nonsense SECRET")
    assert script.seen == [] and pauses == []


def test_state_that_matters_reaches_the_disk_before_it_replaces_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renamed before its data is on disk, a ledger can come back empty after a power cut."""
    calls: list[str] = []
    fsync, replace = os.fsync, os.replace

    def recorded_fsync(fd: int) -> None:
        calls.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        fsync(fd)

    def recorded_replace(source: str, target: Path) -> None:
        calls.append("replace")
        replace(source, target)

    monkeypatch.setattr(os, "fsync", recorded_fsync)
    monkeypatch.setattr(os, "replace", recorded_replace)
    storage.replace_json(tmp_path / "notify.json", {"version": 1}, readable=True)
    assert calls == ["fsync file", "replace", "fsync folder"]
    assert (tmp_path / "notify.json").read_text() == '{\n  "version": 1\n}\n'
    calls.clear()
    storage.write_json(tmp_path / "cache.json", {"a": 1})  # a cache: a lost write costs a recomputation
    assert calls == ["replace"]


def test_state_files_are_kept_in_memory_only_by_a_process_that_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-off build lets a read or written cache go once used; the preview keeps it, so an
    unchanged file is not parsed again, and a changed one is."""
    monkeypatch.setattr(storage, "_SEEN", {})
    monkeypatch.setattr(storage, "_remembering", False)
    path = tmp_path / "cache.json"
    storage.write_json(path, {"a": [1]})
    first = storage.read_json(path)
    assert first == {"a": [1]}
    assert storage.read_json(path) is not first  # parsed again: nothing was kept
    assert storage._SEEN == {}

    storage.remember()
    kept = storage.read_json(path)
    assert storage.read_json(path) is kept
    storage.write_json(path, {"a": [2]})
    assert storage.read_json(path) == {"a": [2]}
    path.write_text('{"a": [3]}')  # changed behind its back: its identity tells
    assert storage.read_json(path) == {"a": [3]}
