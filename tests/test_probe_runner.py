"""`statuspage probe`: real checks against local HTTP and TCP servers that answer, slow down, fail
and stop on cue, and the lines they leave in data/probes/."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CONFIG, Site
from fixtures.servers import free_port, http_server, tcp_listener

from statuspage import config as config_module
from statuspage.core.probes import Seen
from statuspage.probes import runner, store
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
    assert [line["location"] for line in lines(site, "api")] == ["ci"]
    assert [line["location"] for line in lines(site, "web")] == ["lab"]


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
            ["statuspage", "probe", "--config", str(site.config_path)], stderr=subprocess.PIPE, text=True
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
