"""`statuspage probe`: real checks against local HTTP and TCP servers that answer, slow down, fail
and stop on cue, and the lines they leave in data/probes/."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CONFIG, Site
from fixtures.servers import free_port, http_server, raw_server, tcp_listener
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statuspage import config as config_module
from statuspage.core.config import Probe
from statuspage.core.probes import Seen
from statuspage.probes import checks, runner, store
from statuspage.probes.runner import Runner

#: How messages name the local servers: scheme and host, never the port, path or query (net.describe).
HOST = "http://127.0.0.1"


def probed_site(site: Site, probe: str, component: str = "api") -> Path:
    """The test site with one component's probe table set."""
    text = CONFIG.replace(f'id = "{component}"\n', f'id = "{component}"\nprobe = {probe}\n')
    return site.config(text)


def lines(site: Site, component: str = "api") -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in store.months(site.root / "data" / "probes", component)
        for line in path.read_text().splitlines()
    ]


def once(site: Site, **options: object) -> list[store.Check]:
    config, _ = config_module.load(site.config_path)
    return Runner(config, dict(os.environ) | options.pop("environ", {}), pause=0.01, **options).run(once=True)  # type: ignore[arg-type]


def test_an_answer_as_expected_is_up_with_its_code_and_time(site: Site) -> None:
    with http_server() as (url, cue, _):
        probed_site(site, f'{{ type = "http", url = "{url}/health", expect_text = "ok" }}')
        [check] = once(site)
    assert (check.seen, check.code, check.attempts, check.error) == (Seen.UP, 200, 1, None)
    assert check.ms is not None and 0 <= check.ms < 2000
    [line] = lines(site)
    assert line["status"] == "up" and line["code"] == 200 and line["interval_s"] == 300
    assert datetime.strptime(str(line["time"]), "%Y-%m-%dT%H:%M:%SZ")
    assert cue.paths == ["/health"]


def test_a_failure_is_down_only_after_three_attempts(site: Site) -> None:
    with http_server() as (url, cue, _):
        cue.status = 500
        probed_site(site, f'{{ type = "http", url = "{url}/" }}')
        [check] = once(site)
    assert (check.seen, check.code, check.attempts) == (Seen.DOWN, 500, 3)
    assert check.error == f"{HOST}: HTTP 500, expected 200"
    assert len(cue.paths) == 3


def test_a_flap_that_recovers_is_up_with_the_failure_in_its_error(site: Site) -> None:
    with http_server() as (url, cue, _):
        cue.failures = 1
        probed_site(site, f'{{ type = "http", url = "{url}/" }}')
        [check] = once(site)
    assert (check.seen, check.attempts) == (Seen.UP, 2)
    assert check.error == f"recovered on attempt 2 of 3; first: {HOST}: HTTP 503, expected 200"


def test_missing_text_is_down(site: Site) -> None:
    with http_server() as (url, cue, _):
        cue.body = b"maintenance page"
        probed_site(site, f'{{ type = "http", url = "{url}/", expect_text = "Welcome" }}')
        [check] = once(site)
    assert check.seen is Seen.DOWN and "does not contain 'Welcome'" in (check.error or "")


def test_a_slow_answer_is_degraded_and_one_past_the_timeout_is_down(site: Site) -> None:
    with http_server() as (url, cue, _):
        cue.delay = 0.4
        probed_site(site, f'{{ type = "http", url = "{url}/", degraded_ms = 200, timeout_s = 2 }}')
        [slow] = once(site)
        assert slow.seen is Seen.DEGRADED and slow.ms is not None and slow.ms >= 400
        assert slow.error == f"slow: {slow.ms} ms, over 200 ms"
        cue.delay = 1.5
        probed_site(site, f'{{ type = "http", url = "{url}/", timeout_s = 0.5 }}')
        started = time.monotonic()
        [late] = once(site)
    assert late.seen is Seen.DOWN and late.error == f"{HOST}: timed out after 0.5 s"
    assert time.monotonic() - started < 3 * 0.5 + 1  # each attempt keeps to its timeout


def test_a_stopped_server_is_down_and_redirects_are_followed(site: Site) -> None:
    with http_server() as (url, cue, server):
        probed_site(site, f'{{ type = "http", url = "{url}/redirect" }}')
        [followed] = once(site)
        assert followed.seen is Seen.UP and cue.paths == ["/redirect", "/"]
        server.shutdown()
        server.server_close()
        [stopped] = once(site)
    assert stopped.seen is Seen.DOWN and stopped.error == f"{HOST}: connection refused"


def test_tcp_connects_within_the_timeout(site: Site) -> None:
    with tcp_listener() as (port, _):
        probed_site(site, f'{{ type = "tcp", host = "127.0.0.1", port = {port} }}')
        [open_port] = once(site)
    assert open_port.seen is Seen.UP and open_port.code is None
    closed = free_port()
    probed_site(site, f'{{ type = "tcp", host = "127.0.0.1", port = {closed} }}')
    [refused] = once(site)
    assert refused.seen is Seen.DOWN and refused.error == f"127.0.0.1:{closed}: connection refused"


def test_headers_come_from_the_environment_and_secrets_stay_out_of_the_record(site: Site) -> None:
    with http_server() as (url, cue, _):
        probed_site(
            site,
            '{ type = "http", url_env = "HEALTH_URL", headers = { Authorization = { env = "HEALTH_TOKEN" }, Accept = "text/plain" } }',
        )
        secret_url = f"{url}/health?key=hunter2"
        [check] = once(site, environ={"HEALTH_URL": secret_url, "HEALTH_TOKEN": "Bearer s3cret"})
        assert check.seen is Seen.UP
        assert cue.requests[0]["Authorization"] == "Bearer s3cret" and cue.requests[0]["Accept"] == "text/plain"
        cue.status = 401
        [refused] = once(site, environ={"HEALTH_URL": secret_url, "HEALTH_TOKEN": "Bearer s3cret"})
        [unset] = once(site, environ={"HEALTH_URL": secret_url})
    assert refused.error == f"{HOST}: HTTP 401, expected 200"
    assert unset.error == "header Authorization: the environment variable HEALTH_TOKEN is not set"
    written = b"".join(p.read_bytes() for p in store.months(site.root / "data" / "probes", "api"))
    assert b"hunter2" not in written and b"s3cret" not in written and b"/health" not in written


SECRET_HEADERS = '{ Authorization = { env = "HEALTH_TOKEN" }, Accept = "text/plain" }'


def test_a_redirect_to_another_origin_drops_the_secret_headers(site: Site) -> None:
    # Another port is another origin (RFC 6454), as another host is: neither gets the token.
    with http_server() as (elsewhere, far, _), http_server() as (url, near, _):
        for target in (f"{elsewhere}/landing", f"{elsewhere.replace('127.0.0.1', 'localhost')}/landing"):
            near.redirect = target
            probed_site(site, f'{{ type = "http", url = "{url}/", headers = {SECRET_HEADERS} }}')
            [check] = once(site, environ={"HEALTH_TOKEN": "Bearer s3cret"})
            assert check.seen is Seen.UP and far.paths[-1] == "/landing"
            assert near.requests[-1]["Authorization"] == "Bearer s3cret"
            assert "Authorization" not in far.requests[-1] and far.requests[-1]["Accept"] == "text/plain"


def test_a_redirect_on_the_same_origin_keeps_them(site: Site) -> None:
    with http_server() as (url, cue, _):
        probed_site(site, f'{{ type = "http", url = "{url}/redirect", headers = {SECRET_HEADERS} }}')
        [check] = once(site, environ={"HEALTH_TOKEN": "Bearer s3cret"})
    assert check.seen is Seen.UP and cue.paths == ["/redirect", "/"]
    assert [r["Authorization"] for r in cue.requests] == ["Bearer s3cret", "Bearer s3cret"]


def test_a_redirect_from_https_to_plain_http_is_not_followed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/usr/bin/openssl").exists():
        pytest.skip("needs openssl to make a certificate")
    key, cert = _certificate(tmp_path, days=30)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with http_server() as (plain, far, _), http_server() as (url, near, server):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        near.redirect = f"{plain}/"
        probed_site(site, f'{{ type = "http", url = "{url.replace("http://", "https://")}/" }}')
        [check] = once(site)
    assert check.seen is Seen.DOWN and check.code == 302
    assert check.error == "https://127.0.0.1: redirects to plain http (http://127.0.0.1), which is not followed"
    assert far.paths == [] and len(near.paths) == 3


def _probe_of(site: Site) -> Probe:
    config, _ = config_module.load(site.config_path)
    [probe] = config.probes
    return probe


def test_an_answer_dribbled_byte_by_byte_is_cut_off_at_the_timeout(site: Site) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\nX-Pad: " + b"a" * 40 + b"\r\n\r\n"
    for at_once in (0, len(head)):  # the headers dribble; then the body does
        with raw_server(head + b"ok" * 10, pause=0.05, at_once=at_once) as (url, _):
            probed_site(site, f'{{ type = "http", url = "{url}/", timeout_s = 0.5, expect_text = "okok" }}')
            started = time.monotonic()
            outcome = checks.check(_probe_of(site), {})
            took = time.monotonic() - started
        assert (outcome.seen, outcome.error) == (Seen.DOWN, f"{HOST}: timed out after 0.5 s")
        assert 0.5 <= took < 1.0  # one byte every 50 ms would take 3.4 s


def test_resolving_the_name_is_inside_the_timeout(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def slow(host: str, *args: object, **kwargs: object) -> object:
        time.sleep(1.5)  # a resolver that does not answer
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with http_server() as (url, _, _):
        probed_site(site, f'{{ type = "http", url = "{url.replace("127.0.0.1", "localhost")}/", timeout_s = 0.3 }}')
        started = time.monotonic()
        outcome = checks.check(_probe_of(site), {})
        took = time.monotonic() - started
    assert (outcome.seen, outcome.error) == (Seen.DOWN, "http://localhost: timed out after 0.3 s")
    assert took < 1.0  # the resolver alone takes 1.5 s


def test_the_command_runs_every_probe_in_parallel_and_appends_a_line_each(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "RETRY_PAUSE", 0.01)
    with http_server() as (url, cue, _):
        cue.delay = 0.6
        text = CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {{ type = "http", url = "{url}/a" }}\n')
        text = text.replace(
            'id = "web"\n', f'id = "web"\nprobe = {{ type = "http", url = "{url}/w", location = "lab" }}\n'
        )
        site.config(text)
        started = time.monotonic()
        result = site.run("probe", "--once", "--config", str(site.config_path), "--location", "ci")
        took = time.monotonic() - started
        assert result.code == 0, result.err
        assert "Recorded 2 checks in data/probes." in result.err
        assert took < 1.1  # two checks of 0.6 s each, side by side
        # The command line wins over the config, which wins over the host's name.
        assert [line["location"] for line in lines(site, "api")] == ["ci"]
        assert [line["location"] for line in lines(site, "web")] == ["ci"]
        assert site.run("probe", "--once", "--config", str(site.config_path)).code == 0
    assert [line["location"] for line in lines(site, "api")] == ["ci", socket.gethostname()]
    assert [line["location"] for line in lines(site, "web")] == ["ci", "lab"]


def test_without_probes_the_command_says_how_to_add_one(site: Site) -> None:
    result = site.run("probe", "--once", "--config", str(site.config_path))
    assert result.code == 1 and "no component has a probe" in result.err


def test_the_loop_runs_every_interval_and_stops_cleanly(site: Site) -> None:
    with http_server() as (url, cue, _):
        probed_site(site, f'{{ type = "http", url = "{url}/", interval_s = 10 }}')
        config, _ = config_module.load(site.config_path)
        fast = replace(
            config, probes=tuple(replace(p, interval_s=1) for p in config.probes)
        )  # the shortest a test waits
        loop = Runner(fast, {}, pause=0.01)
        thread = threading.Thread(target=loop.run, args=(False,))
        thread.start()
        time.sleep(1.5)
        cue.status = 500
        cue.delay = 0.2
        time.sleep(0.6)  # mid-confirmation of the third check: the stop must not record half a verdict
        loop.stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    recorded = lines(site)
    assert [line["status"] for line in recorded][:2] == ["up", "up"]
    assert all(line["status"] in ("up", "down") for line in recorded)
    assert all(line.get("attempts", 1) in (1, 3) for line in recorded)


@pytest.mark.slow
def test_sigterm_stops_the_loop(site: Site, tmp_path: Path) -> None:
    with http_server() as (url, _, _):
        probed_site(site, f'{{ type = "http", url = "{url}/", interval_s = 10 }}')
        process = subprocess.Popen(
            [sys.executable, "-m", "statuspage", "probe", "--config", str(site.config_path)],
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 10
        while not lines(site) and time.monotonic() < deadline:
            time.sleep(0.1)
        process.terminate()
        assert process.wait(timeout=10) == 0
    assert len(lines(site)) == 1


def _certificate(folder: Path, days: int) -> tuple[Path, Path]:
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", str(days), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def test_https_reports_the_certificate_expiry_and_warns_two_weeks_ahead(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if not Path("/usr/bin/openssl").exists():
        pytest.skip("needs openssl to make a certificate")
    key, cert = _certificate(tmp_path, days=10)
    with http_server() as (url, _, server):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        https = url.replace("http://", "https://")
        probed_site(site, f'{{ type = "http", url = "{https}/" }}')
        [untrusted] = once(site)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust it, as a private CA would be
        with caplog.at_level("WARNING"):
            [check] = once(site)
    assert untrusted.seen is Seen.DOWN and (untrusted.error or "").startswith("https://127.0.0.1: TLS: ")
    expires = date.fromisoformat(check.tls_expires or "")
    assert check.seen is Seen.UP
    assert timedelta(days=9) <= expires - datetime.now(UTC).date() <= timedelta(days=11)
    assert "api: the TLS certificate expires on" in caplog.text and "renew it" in caplog.text


def _answers(port: int) -> st.SearchStrategy[bytes]:
    """What a broken or hostile server may send: noise, or an answer with odd parts (redirects lead only to 127.0.0.1)."""
    here = f"http://127.0.0.1:{port}"
    locations = st.sampled_from(
        ["", "/", "//", "/again", f"{here}/loop", "http://[", "http://127.0.0.1:0/", "http://127.0.0.1:99999/",
         "ftp://127.0.0.1/", "javascript:alert(1)", f"https://127.0.0.1:{port}/", "/ä ö?x=ü", "\x00", "/%zz",
         f"http://user:pw@127.0.0.1:{port}/", "http://%31%32%37.0.0.1/"]
    )  # fmt: skip
    names = st.sampled_from(["Content-Length", "Transfer-Encoding", "Location", "Connection", "Content-Type", "X"])
    values = st.one_of(
        locations, st.sampled_from(["chunked", "-1", "1" * 30, "close", "gzip, chunked"]), st.text(max_size=30)
    )
    header = st.tuples(names, values).map(lambda h: f"{h[0]}: {h[1]}")
    status = st.one_of(st.sampled_from([200, 301, 302, 303, 307, 308, 500]), st.integers(-5, 1200))
    answer = st.builds(
        lambda code, reason, headers, body: (
            (f"HTTP/1.1 {code} {reason}\r\n" + "".join(f"{h}\r\n" for h in headers) + "\r\n").encode(
                "utf-8", "surrogatepass"
            )
            + body
        ),
        status,
        st.text(max_size=10),
        st.lists(header, max_size=4),
        st.binary(max_size=200),
    )
    return st.one_of(st.binary(max_size=300), answer)


def test_whatever_a_server_sends_the_check_is_an_outcome_with_a_reason(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def here_only(host: str, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "not asked in tests")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", here_only)
    with raw_server() as (url, answers):
        probed_site(site, '{ type = "http", url_env = "HEALTH_URL", expect_text = "ok", timeout_s = 1 }')
        probe = _probe_of(site)
        environ = {"HEALTH_URL": f"{url}/health?token=hunter2"}

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(answer=_answers(int(url.rsplit(":", 1)[1])))
        def attempt(answer: bytes) -> None:
            answers.append(answer)
            outcome = checks.check(probe, environ)
            assert outcome.seen is not Seen.DOWN or outcome.error
            assert "hunter2" not in (outcome.error or "") and "/health" not in (outcome.error or "")
            assert outcome.ms is not None and outcome.ms < 1500

        attempt()
