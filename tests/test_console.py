"""The console over plain HTTP (urllib, as a browser without script): its guard and its forms.

Each test starts `statuspage serve --console` in a subprocess on 127.0.0.1 and talks to it as a
person's browser would; notes are compared with what the CLI writes for the same input.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, Server, Site, stop, text_of
from fixtures.console import LOGIN, Client, cli, console, errors, origin_of, twin, typed
from fixtures.folders import read_only

# -- the guard ----------------------------------------------------------------------------


def test_the_console_needs_the_printed_link(serve: Callable[..., Server]) -> None:
    server = serve("", "--console")
    assert server.link.startswith("http://127.0.0.1:") and "/_console/?token=" in server.link
    assert server.link not in "".join(server.log)  # printed for the person, never logged
    origin = origin_of(server.link)

    stranger = Client(origin)
    refused = stranger.get("/_console/")
    assert refused.status == 403
    assert "Open the console with the link printed in the terminal" in text_of(BeautifulSoup(refused.body, "html5lib"))
    assert stranger.get("/_console/?token=guessed").status == 403
    assert stranger.get("/_console/new").status == 403

    person = Client(origin, follow=False)
    opened = person.open(server.link)
    assert opened.status == 303 and opened.headers["Location"] == "/_console/"  # the token leaves the address bar
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/_console/" in cookie
    assert "token" not in cookie.split(";")[0].lower() and server.link.split("=")[-1] not in cookie
    page = person.get("/_console/")
    assert page.status == 200
    assert text_of(BeautifulSoup(page.body, "html5lib").h1) == "Console of Test Status"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert stop(server) == 0


def test_every_post_needs_the_csrf_token_of_its_own_session(site: Site, serve: Callable[..., Server]) -> None:
    server, person = console(serve)
    fields = {"title": "Login page offline", "message": "Down.", "status": "investigating", "action": "post"}
    assert person.post("/_console/new", fields).status == 403  # no token
    assert person.post("/_console/new", {**fields, "csrf": "0" * 64}).status == 403  # a made-up one
    other = Client(person.origin)
    other.open(server.link)
    foreign = other.get("/_console/new").hidden("csrf")  # another session's, valid there
    refused = person.post("/_console/new", {**fields, "csrf": foreign})
    assert refused.status == 403
    assert "did not come from this console's session" in refused.body
    assert not (site.root / "incidents").exists()
    own = person.get("/_console/new").hidden("csrf")
    assert person.post("/_console/new", {**fields, "csrf": own}).status == 200  # posted, then the overview
    assert (site.root / f"incidents/{LOGIN}.md").is_file()


def test_a_foreign_host_or_origin_is_refused(site: Site, serve: Callable[..., Server]) -> None:
    site.note(f"{LOGIN}.md", "---\ntitle: Login page offline\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n")
    server, person = console(serve)
    port = person.origin.rsplit(":", 1)[1]
    rebound = {"Host": f"attacker.example:{port}"}  # a name that points at 127.0.0.1 now (DNS rebinding)
    for path in ("/_console/", "/_console/new", "/", f"/incidents/{LOGIN}/"):
        answer = person.get(path, rebound)
        assert answer.status == 403, path
        assert "answers only at http://127.0.0.1:" in answer.body and "attacker.example" in answer.body
        assert "Login page offline" not in answer.body  # not even the preview, which shows unpublished notes
    assert person.get("/_console/", {"Host": f"localhost:{port}"}).status == 200
    csrf = person.get("/_console/new").hidden("csrf")
    fields = {"csrf": csrf, "title": "Hacked", "message": "x", "action": "post"}
    for headers in ({"Origin": "http://attacker.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        answer = person.post("/_console/new", fields, headers)
        assert answer.status == 403, headers
        assert "Requests from other sites are refused" in answer.body
    assert sorted(p.name for p in (site.root / "incidents").iterdir()) == [f"{LOGIN}.md"]
    assert stop(server) == 0


def test_the_console_serves_no_file_outside_the_site(site: Site, serve: Callable[..., Server]) -> None:
    (site.root / "secret.md").write_text("---\ntitle: Secret\n---\n## 2026-03-20 11:00 · Investigating\nSECRET\n")
    site.note("2026-03-20-real.md", "---\ntitle: Real\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n")
    (site.root / "incidents" / "2026-03-20-linked.md").symlink_to(site.root / "secret.md")
    server, person = console(serve)
    for path in (
        "/_console/../statuspage.toml",
        "/_console/%2e%2e/statuspage.toml",
        "/_console/update/..%2f..%2fstatuspage.toml",
        "/_console/update/../../secret.md",
        "/_console/update/%2e%2e%2fsecret",
        "/_console/update/2026-03-20-linked",  # a note linking out of incidents/
        "/_console/console.js/../../statuspage.toml",
        "/_console/templates/base.html",
        "/../statuspage.toml",
        "/%2e%2e/secret.md",
    ):
        answer = person.get(path)
        assert answer.status in (403, 404), path
        assert "SECRET" not in answer.body and 'title = "Test Status"' not in answer.body, path
    assert person.get("/_console/update/2026-03-20-real").status == 200
    assert person.get("/_console/console.js").headers["Content-Type"].startswith("text/javascript")
    assert stop(server) == 0


def test_console_host_needs_an_address_and_warns(site: Site, serve: Callable[..., Server]) -> None:
    run = site.run("serve", "--config", str(site.config_path), "--console", "--console-host", "0.0.0.0")
    assert run.code == 1
    assert "--console-host '0.0.0.0' would listen everywhere but names no address" in run.err
    run = site.run("serve", "--config", str(site.config_path), "--console-host", "127.0.0.2")
    assert (run.code, run.err) == (1, "error: --console-host is for the console; add --console\n")
    server = serve("", "--console", "--console-host", "127.0.0.2")
    assert server.link.startswith("http://127.0.0.2:")
    person = Client(origin_of(server.link))
    assert person.open(server.link).status == 200
    port = person.origin.rsplit(":", 1)[1]
    assert person.get("/_console/", {"Host": f"127.0.0.1:{port}"}).status == 403  # only the address it was given
    assert stop(server) == 0
    assert "warning" not in "".join(server.log)  # a loopback address: no other machine can reach it
    server = serve("", "--console", "--console-host", "localhost")
    assert server.link.startswith("http://localhost:")
    assert Client(origin_of(server.link)).open(server.link).status == 200
    assert stop(server) == 0
    assert "warning" not in "".join(server.log)

    lan = lan_address()
    if lan is None:
        pytest.skip("this machine has no address other machines could reach")
    server = serve("", "--console", "--console-host", lan)
    stop(server)  # sends nothing to it: other machines could
    assert f"warning: the console is open to other machines at http://{lan}:" in "".join(server.log)


def lan_address() -> str | None:
    """This machine's address on its network, if it has one (a UDP "connect" sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def test_a_config_broken_meanwhile_is_reported_escaped(site: Site, serve: Callable[..., Server]) -> None:
    server, person = console(serve)
    site.config(site.config_path.read_text() + '\n[console]\nremote = "<img src=x onerror=alert(1)>"\n')
    answer = person.get("/_console/")
    assert answer.status == 500
    assert "<img" not in answer.body
    assert "console.remote: &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27; is not a git remote" in answer.body
    assert stop(server) == 0


def test_statuspage_console_opens_the_browser_on_the_link(
    site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    # Written aside and renamed into place: the test waits for the file, and must not read it half written.
    browser.write_text(
        f"import os, sys, pathlib\npathlib.Path({str(opened)!r} + '.tmp').write_text(sys.argv[1])\n"
        f"os.replace({str(opened)!r} + '.tmp', {str(opened)!r})\n"
    )
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    server = serve("", command="console", env={"BROWSER": f"{sys.executable} {browser} %s"})
    deadline = time.monotonic() + 10
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text() == server.link
    assert Client(origin_of(server.link)).open(server.link).status == 200
    assert stop(server) == 0


# -- the forms ----------------------------------------------------------------------------


def test_posts_are_the_notes_the_cli_writes_and_the_preview_shows_them(
    site: Site, serve: Callable[..., Server], tmp_path: Path
) -> None:
    cli_site = twin(site, tmp_path)
    server, person = console(serve)
    posted = person.form(
        "/_console/maintenance",
        {"title": "Database upgrade", "start": "2026-03-24 22:00", "end": "2026-03-24 23:00",
         "component-api": "under_maintenance", "component-web": "partial_outage",
         "message": "Read-only for\r\n15 minutes.", "now": "2026-03-18 10:00"},
    )  # fmt: skip
    assert posted.status == 200 and posted.url.endswith("/_console/"), posted.body
    notice = text_of(BeautifulSoup(posted.body, "html5lib").select_one(".notice"))
    assert notice.startswith("Posted “Scheduled” to Database upgrade at 2026-03-18 10:00 CET.")
    cli(cli_site, "new", "Database upgrade", "--maintenance", "--start", "2026-03-24 22:00", "--end",
        "2026-03-24 23:00", "-c", "web=partial_outage", "-c", "api", "-m", "Read-only for\n15 minutes.",
        "--now", "2026-03-18 10:00")  # fmt: skip

    # Posting quickly: a new incident at the preview's time, then an update and a resolve in the same second.
    person.form(
        "/_console/new",
        {"title": "Login page offline", "component-login": "major_outage", "status": "investigating",
         "message": "Some users cannot log in."},
    )  # fmt: skip
    # The answer came after the rebuild: the preview shows the incident at once.
    page = BeautifulSoup(person.get(f"/incidents/{LOGIN}/").body, "html5lib")
    assert text_of(page.h1) == "Login page offline"
    person.form(f"/_console/update/{LOGIN}", {"status": "identified", "component-login": "degraded_performance",
                                             "component-api": "operational", "message": "A replica failed."})  # fmt: skip
    person.form(f"/_console/resolve/{LOGIN}", {"message": "Working normally again."})
    cli(
        cli_site,
        "new",
        "Login page offline",
        "-c",
        "login=major_outage",
        "-m",
        "Some users cannot log in.",
        "--now",
        NOW,
    )
    cli(cli_site, "update", LOGIN, "--status", "identified", "-c", "login=degraded_performance", "-c",
        "api=operational", "-m", "A replica failed.", "--now", NOW)  # fmt: skip
    cli(cli_site, "resolve", LOGIN, "-m", "Working normally again.", "--now", NOW)

    for name in ("2026-03-24-database-upgrade.md", f"{LOGIN}.md"):
        assert (site.root / "incidents" / name).read_bytes() == (cli_site.root / "incidents" / name).read_bytes()
    assert "## 2026-03-20 12:00:00 · Resolved\n" in (site.root / f"incidents/{LOGIN}.md").read_text()
    overview = BeautifulSoup(person.get("/_console/").body, "html5lib")
    assert text_of(overview.find(id="ongoing-h").find_next("p")) == "No ongoing incidents."
    recent = overview.find(id="recent-h").parent
    assert [text_of(h) for h in recent.find_all("h3")] == ["Login page offline"]
    assert "Resolved" in text_of(recent)
    page = BeautifulSoup(person.get(f"/incidents/{LOGIN}/").body, "html5lib")
    assert [text_of(s) for s in page.select(".update-status")] == ["Resolved", "Identified", "Investigating"]
    assert stop(server) == 0
    assert "Traceback" not in "".join(server.log)


def test_an_error_is_shown_beside_its_field_with_everything_typed_kept(
    site: Site, serve: Callable[..., Server]
) -> None:
    server, person = console(serve)
    message = "We upgrade the database.\r\n\r\n**Read-only** meanwhile."
    answer = person.form(
        "/_console/maintenance",
        {"title": "Database upgrade", "start": "2026-03-24 22:00", "end": "2026-03-24 21:00",
         "component-api": "under_maintenance", "message": message},
    )  # fmt: skip
    assert answer.status == 422
    assert errors(answer.body, "end") == (
        "End 2026-03-24 21:00 CET is not after Start 2026-03-24 22:00 CET; the maintenance must end after it starts"
    )
    page = BeautifulSoup(answer.body, "html5lib")
    assert page.find(id="f-end")["aria-invalid"] == "true"
    assert "end-error" in page.find(id="f-end")["aria-describedby"].split()
    assert text_of(page.find(id="errors-h")) == "Nothing was posted"
    assert [typed(answer.body, f) for f in ("title", "start", "end")] == [
        "Database upgrade", "2026-03-24 22:00", "2026-03-24 21:00"
    ]  # fmt: skip
    assert typed(answer.body, "message") == message.replace("\r\n", "\n")
    assert page.find(id="f-component-api").find("option", selected=True)["value"] == "under_maintenance"

    cases = {
        ("title", ""): ("title", "the title must not be empty"),
        ("message", " "): ("message", "the message is empty; nothing was changed"),
        ("now", "tomorrow"): ("now", "Time: cannot read the time 'tomorrow'; write it like 2026-03-14 09:41 (optionally +01:00 or Z)"),
        ("component-login", "down"): ("components", "Component login=down: unknown component status 'down'; use one of: degraded_performance, partial_outage, major_outage"),
        ("status", "fixing"): ("status", "Status fixing: not a status for an incident; use one of: investigating, identified, monitoring, update, resolved, postmortem"),
        ("impact", "huge"): ("impact", "Impact huge: unknown impact; use one of: none, minor, major, critical"),
        ("message", "Log:\n## 2026-03-20 11:00 · Fixing"): ("message", "incidents/2026-03-20-login-page-offline.md:7: unknown incident status 'Fixing'; use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem"),
    }  # fmt: skip
    for (name, value), (field, shown) in cases.items():
        fields = {"title": "Login page offline", "message": "Down.", "status": "investigating", name: value}
        answer = person.form("/_console/new", fields)
        assert (answer.status, errors(answer.body, field)) == (422, shown), name
        assert typed(answer.body, "title") == fields["title"]
    answer = person.form("/_console/maintenance", {"title": "Database upgrade", "start": "2026-03-24 22:00", "end": "",
                                                   "message": "Read-only."})  # fmt: skip
    assert errors(answer.body, "end") == (
        "a maintenance needs a time for Start and for End, like 2026-12-02 22:00 and 2026-12-02 23:30"
    )
    assert list(site.root.glob("incidents/*")) == []
    assert stop(server) == 0


def test_a_time_ahead_of_the_clock_needs_confirming(site: Site, serve: Callable[..., Server]) -> None:
    server, person = console(serve)
    ahead = "2999-01-01 10:00"
    fields = {"title": "Login page offline", "message": "Down.", "status": "investigating", "now": ahead}
    answer = person.form("/_console/new", fields)
    assert answer.status == 422
    assert "after the current time, so the update would not appear on the site until then; " in errors(
        answer.body, "now"
    )
    assert errors(answer.body, "now").startswith("Time 2999-01-01 10:00 CET is ")
    assert errors(answer.body, "now").endswith("; tick “Post it ahead” to post it anyway")
    box = BeautifulSoup(answer.body, "html5lib").find(id="f-ahead")
    assert box is not None and not box.has_attr("checked")
    assert not (site.root / "incidents").exists()
    posted = person.form("/_console/new", {**fields, "ahead": "yes"})
    assert posted.status == 200
    assert "ahead: it appears on the site then." in text_of(
        BeautifulSoup(posted.body, "html5lib").select_one(".notice")
    )
    assert (site.root / "incidents/2999-01-01-login-page-offline.md").is_file()
    overview = BeautifulSoup(person.get("/_console/").body, "html5lib")
    assert "Login page offline" in text_of(overview.find(id="ahead-h").parent)  # written ahead, not posted yet
    assert stop(server) == 0


def test_the_clis_time_warnings_are_shown_after_a_post(site: Site, serve: Callable[..., Server]) -> None:
    site.note(f"{LOGIN}.md", "---\ntitle: Login page offline\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n")
    server, person = console(serve)
    posted = person.form(f"/_console/update/{LOGIN}", {"message": "Found it.", "now": "2026-03-20 10:30"})
    warnings = [text_of(p) for p in BeautifulSoup(posted.body, "html5lib").select(".notice .warning")]
    assert warnings == [
        f"incidents/{LOGIN}.md: warning: the latest update is dated 2026-03-20 11:00 CET, not before now; check the times"
    ]
    assert stop(server) == 0


def test_a_stale_form_is_refused_and_the_message_kept(site: Site, serve: Callable[..., Server]) -> None:
    site.note(f"{LOGIN}.md", "---\ntitle: Login page offline\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n")
    server, person = console(serve)
    opened = person.get(f"/_console/update/{LOGIN}")
    seen, csrf = opened.hidden("seen"), opened.hidden("csrf")
    cli(
        site,
        "update",
        LOGIN,
        "--status",
        "identified",
        "-m",
        "Found it (posted from a terminal).",
        "--now",
        "2026-03-20 11:30",
    )
    before = (site.root / f"incidents/{LOGIN}.md").read_bytes()
    mine = "We are rolling back.\n\nNext update in 30 minutes."
    answer = person.post(
        f"/_console/update/{LOGIN}",
        {"csrf": csrf, "seen": seen, "status": "monitoring", "message": mine, "action": "post"},
    )
    assert answer.status == 409
    alert = text_of(BeautifulSoup(answer.body, "html5lib").find(id="errors"))
    assert f"incidents/{LOGIN}.md changed after this form was opened (someone else posted to it or edited it)" in alert
    assert (site.root / f"incidents/{LOGIN}.md").read_bytes() == before
    assert typed(answer.body, "message") == mine
    assert "Found it (posted from a terminal)." in answer.body  # what changed is shown above the form
    # The refused form now carries the note as it is: posting it again lands.
    again = person.post(
        f"/_console/update/{LOGIN}",
        {"csrf": csrf, "seen": BeautifulSoup(answer.body, "html5lib").find(attrs={"name": "seen"})["value"],
         "status": "monitoring", "message": mine, "action": "post"},
    )  # fmt: skip
    assert again.status == 200
    text = (site.root / f"incidents/{LOGIN}.md").read_text()
    assert text.index("· Monitoring") < text.index("· Identified") < text.index("· Investigating")
    assert stop(server) == 0


def test_a_read_only_folder_is_an_error_and_the_message_kept(site: Site, serve: Callable[..., Server]) -> None:
    note = site.note(f"{LOGIN}.md", "---\ntitle: Login page offline\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n")
    before = note.read_bytes()
    server, person = console(serve)
    mine = "We found it.\n\nThe disk was full."
    with read_only(site.root / "incidents"):
        answers = [
            (person.form(f"/_console/update/{LOGIN}", {"status": "identified", "message": mine}), f"{LOGIN}.md"),
            (person.form("/_console/new", {"title": "API errors", "message": mine}), "2026-03-20-api-errors.md"),
        ]
    for answer, name in answers:
        assert answer.status == 422
        alert = text_of(BeautifulSoup(answer.body, "html5lib").find(id="errors"))
        assert re.search(rf"cannot write incidents/{name}: .+; the note is unchanged", alert), alert
        assert typed(answer.body, "message") == mine
    assert note.read_bytes() == before
    assert sorted(p.name for p in note.parent.iterdir()) == [f"{LOGIN}.md"]
    assert stop(server) == 0
    assert "Traceback" not in "".join(server.log)


def test_the_preview_button_renders_the_message_as_the_site_will(site: Site, serve: Callable[..., Server]) -> None:
    server, person = console(serve)
    csrf = person.get("/_console/new").hidden("csrf")
    message = "**Logins fail.** See [our blog](https://blog.test/).\n\n<script>alert(1)</script>"
    answer = person.post("/_console/new", {"csrf": csrf, "title": "Login", "message": message, "action": "preview"})
    assert answer.status == 200
    shown = BeautifulSoup(answer.body, "html5lib").find(id="message-preview-body")
    assert shown.find("strong").string == "Logins fail."
    assert shown.find("a")["href"] == "https://blog.test/"
    assert shown.find("script") is None  # the build's sanitiser
    assert typed(answer.body, "message") == message
    fragment = person.post("/_console/preview", {"csrf": csrf, "message": message})
    assert fragment.body.startswith("<p><strong>Logins fail.</strong>")
    assert not (site.root / "incidents").exists()
    assert stop(server) == 0


def test_the_console_speaks_the_site_language(site: Site, serve: Callable[..., Server]) -> None:
    site.config(
        site.config_path.read_text().replace(
            'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"'
        )
    )
    server, person = console(serve)
    page = BeautifulSoup(person.get("/_console/new").body, "html5lib")
    assert page.html["lang"] == "de"
    assert [text_of(label) for label in page.select("label")][:1] == ["Titel"]
    assert [text_of(b) for b in page.select("button")] == ["Vorschau", "Störung veröffentlichen"]
    assert page.find(id="f-status").find("option", selected=True).string == "Wird untersucht"
    refused = Client(person.origin).get("/_console/")
    assert "Öffnen Sie die Konsole mit dem Link" in refused.body
    assert stop(server) == 0


def test_the_console_words_its_errors_in_the_site_language(site: Site, serve: Callable[..., Server]) -> None:
    site.config(
        site.config_path.read_text().replace(
            'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"'
        )
    )
    site.note(f"{LOGIN}.md", "---\ntitle: Login page offline\n---\n## 2026-03-20 11:00 · Resolved\nUp.\n")
    server, person = console(serve)
    answer = person.form(
        "/_console/maintenance",
        {"title": "Datenbank", "start": "2026-03-24 22:00", "end": "2026-03-24 21:00", "message": "Nur lesen."},
    )
    assert errors(answer.body, "end") == (
        "Ende 2026-03-24 21:00 CET liegt nicht nach Beginn 2026-03-24 22:00 CET; die Wartung muss nach ihrem Beginn enden"
    )
    opened = person.get(f"/_console/update/{LOGIN}")  # resolved: its page offers no Resolve, a stale tab still might
    fields = {"csrf": opened.hidden("csrf"), "seen": opened.hidden("seen"), "message": "Wieder da.", "action": "post"}
    answer = person.post(f"/_console/resolve/{LOGIN}", fields)
    alert = text_of(BeautifulSoup(answer.body, "html5lib").find(id="errors"))
    assert (
        f"incidents/{LOGIN}.md ist bereits behoben (2026-03-20 11:00 CET); nichts wurde geändert. "
        "Ergänzen Sie sie mit „Meldung veröffentlichen“ in der Übersicht" in alert
    )
    assert "--" not in alert and "statuspage" not in alert
    assert stop(server) == 0


def test_a_broken_note_elsewhere_keeps_the_console_usable(site: Site, serve: Callable[..., Server]) -> None:
    site.note("2026-03-19-broken.md", "---\ntitle: Broken\n---\n## 2026-03-19 10:00 · Fixing\nx\n")
    server, person = console(serve)
    overview = BeautifulSoup(person.get("/_console/").body, "html5lib")
    assert "2026-03-19-broken.md:4: unknown incident status 'Fixing'" in text_of(overview.select_one(".errors"))
    assert person.form("/_console/new", {"title": "Login page offline", "message": "Down."}).status == 200
    broken = person.get("/_console/update/2026-03-19-broken")
    assert broken.status == 422
    assert "unknown incident status 'Fixing'" in text_of(BeautifulSoup(broken.body, "html5lib").select_one(".errors"))
    assert stop(server) == 0
