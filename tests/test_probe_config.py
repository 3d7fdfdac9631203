"""`probe = { … }` on a component: every problem with its key, unknown keys warned, secrets from the environment."""

from __future__ import annotations

from conftest import CONFIG, Site

from statuspage import config as config_module
from statuspage.core.config import HttpTarget, Probe, TcpTarget


def with_probe(site: Site, probe: str) -> None:
    site.config(CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {probe}\n'))


def test_a_full_http_probe_and_a_tcp_probe_are_read(site: Site) -> None:
    text = CONFIG.replace(
        'id = "api"\n',
        'id = "api"\nprobe = { type = "http", url = "https://api.test/health", expect_status = [200, 204], '
        'expect_text = "ok", degraded_ms = 2000, timeout_s = 5, interval_s = 60, sets_status = true, '
        'location = "fra-1", headers = { Authorization = { env = "TOKEN" }, Accept = "application/json" } }\n',
    ).replace('id = "web"\n', 'id = "web"\nprobe = { type = "tcp", host = "web.test", port = 443 }\n')
    site.config(text)
    config, warnings = config_module.load(site.config_path)
    assert warnings == []
    assert config.probe_of["api"] == Probe(
        "api",
        HttpTarget(
            "https://api.test/health",
            (200, 204),
            "ok",
            (("Authorization", None, "TOKEN"), ("Accept", "application/json", None)),
        ),
        5.0,
        60,
        2000,
        True,
        "fra-1",
    )
    assert config.probe_of["web"] == Probe("web", TcpTarget("web.test", 443))


def test_every_problem_is_named_with_its_key(site: Site) -> None:
    with_probe(
        site,
        '{ type = "http", url = "ftp://x", expect_status = ["200"], timeout_s = 0, interval_s = 5, '
        'headers = { Authorization = "Bearer abc" }, intervall = 3 }',
    )
    result = site.check()
    assert result.code == 1
    for expected in (
        "components[2].probe.url: expected an http(s) URL",
        "components[2].probe.expect_status: expected HTTP status codes",
        "components[2].probe.timeout_s: must be between 0.1 and 120",
        "components[2].probe.interval_s: must be between 10 and 86400",
        "components[2].probe.headers.Authorization: carries a secret: name an environment variable instead",
        "components[2].probe.intervall: unknown setting, ignored; did you mean 'interval_s'?",
    ):
        assert expected in result.err, expected
    assert "Bearer abc" not in result.err


def test_a_probe_needs_a_known_type_and_its_target(site: Site) -> None:
    with_probe(site, '{ type = "ping", host = "x" }')
    assert "components[2].probe.type: unknown probe type 'ping'; use http or tcp" in site.check().err
    with_probe(site, '{ type = "tcp", host = "x" }')
    assert "components[2].probe.port: is required" in site.check().err
    with_probe(site, '{ type = "http" }')
    assert "components[2].probe.url: give url" in site.check().err
    with_probe(site, '{ type = "http", url = "https://user:pw@api.test/" }')
    result = site.check()
    assert "must not carry a user or password" in result.err and "pw@" not in result.err


def test_an_address_that_cannot_be_read_is_an_error_not_a_traceback(site: Site) -> None:
    for url in ("http://[", "http://api.test:99999/", "http://api.test:0/"):
        with_probe(site, f'{{ type = "http", url = "{url}" }}')
        result = site.check()
        expected = f'components[2].probe.url: expected an http(s) URL like "https://acme.example/health", got {url!r}'
        assert result.code == 1 and expected in result.err, result.err


def test_a_value_given_where_a_variable_name_belongs_is_not_echoed(site: Site) -> None:
    with_probe(
        site,
        '{ type = "http", url_env = "https://api.test/?key=s3cret", headers = { X-Token = { env = "Bearer s3cret" } } }',
    )
    result = site.check()
    assert result.code == 1
    assert "components[2].probe.url_env: must name an environment variable" in result.err
    assert "components[2].probe.headers.X-Token.env: must name an environment variable" in result.err
    assert "s3cret" not in result.err
