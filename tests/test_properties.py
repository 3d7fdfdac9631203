"""Property-based: any note or config either builds or fails with our own error naming the file.

Hypothesis writes arbitrary front matter (random keys, types, unicode, control characters, huge
numbers), bodies, headings and raw bytes, and runs the whole pipeline (parse, validate, render
pages and feeds, write). Only a `StatusPageError` may come out: anything else would reach the
user as a traceback. Each of these tests also counts the outcomes over its run and fails
unless some inputs built and some were refused, so a pipeline refusing everything cannot pass.
Deadlines are generous hang guards, not speed measurements.

`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py` runs many more examples.
"""

from __future__ import annotations

import json
import os
import string
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w
import yaml
from conftest import CONFIG, NOW
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from statuspage.build import build
from statuspage.core import addresses
from statuspage.core.addresses import slugify
from statuspage.errors import ContentError, ProblemsError, StatusPageError

settings.register_profile(
    "default",
    max_examples=60,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

NOTE_KEYS = ["title", "kind", "impact", "components", "started", "resolved", "status", "scheduled", "until"]
WORDS = [
    "incident",
    "maintenance",
    "minor",
    "critical",
    "web",
    "api",
    "login",
    "major_outage",
    "degraded performance",
    "operational",
    "resolved",
    "In progress",
    "2026-03-14 09:00",
    "2026-03-29 02:30",
    "2026-10-25 02:30",
    "2026-02-29 10:00",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "",
]
#: Text from every corner of Unicode, control characters and surrogates' neighbours included.
any_text = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=40)
numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True))
#: Scalars written as YAML text, for what a dumper would quote: huge numbers, tags, anchors, bad dates.
raw_scalars = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 6000).map(lambda n: "0x" + "f" * n),
    st.sampled_from(
        [
            "1e999",
            "-.inf",
            ".nan",
            "2026-02-30",
            "2026-02-30 10:00",
            "!!timestamp x",
            "!!int 12x",
            "!!float x",
            "!!binary AAAA",
            "!!set {a, b}",
            "!!python/object:os.system ls",
            "&a [1, 2]",
            "*a",
            "[" * 50,
            "{a: [{b: [{c: [{d: [{e: [1]}]}]}]}]}",
            '"\\x07\\x00"',
            "|\n  block\n  text",
            "'unterminated",
        ]
    ),
)
raw_front = st.lists(
    st.builds(lambda key, value: f"{key}: {value}", st.sampled_from(NOTE_KEYS) | any_text, raw_scalars | any_text),
    max_size=6,
).map("\n".join)
yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    any_text,
    st.sampled_from(WORDS),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC])),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(WORDS) | any_text, children, max_size=4)
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(NOTE_KEYS) | any_text, yaml_values, max_size=8)
statuses = st.sampled_from(
    ["Investigating", "Resolved", "Monitoring", "Scheduled", "Completed", "Postmortem", "Fixing"]
)
heading = st.builds(
    lambda time, sep, status, changes: f"## {time} {sep} {status}{changes}",
    st.sampled_from(WORDS) | any_text,
    st.sampled_from([*"·-—–|:", "", "~"]),
    statuses | any_text,
    st.sampled_from(["", " (api: partial_outage)", " (web: operational, nope: x)", " (", " ()"]) | any_text,
)
markdown_bits = st.sampled_from(
    [
        "\n",
        "\n\n",
        "- item\n",
        "    code\n",
        "```\n",
        "> quote\n",
        "<script>alert(1)</script>",
        "[x](javascript:1)",
        "|a|\n|-|\n",
    ]
)
body = st.lists(heading | markdown_bits | any_text, max_size=8).map("\n".join)


def dump_front(data: dict[object, object]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=False, sort_keys=False)


note_texts = st.one_of(
    st.builds(lambda front, text: f"---\n{dump_front(front)}---\n{text}", front_matter, body),
    st.builds(lambda front, text: f"---\n{front}\n---\n{text}", raw_front | any_text, body),
    body,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("props")
    (root / "statuspage.toml").write_text(CONFIG, encoding="utf-8")
    (root / "incidents").mkdir()
    return root


#: The two outcomes of a build; each property test below checks that both came up in its run.
BUILT, REFUSED = "built", "refused"
#: A note that surely builds, and one that surely does not (its front matter is not YAML).
GOOD_NOTE = "---\ntitle: T\ncomponents: {api: major_outage}\n---\n## 2026-03-14 09:05 · Investigating\nDown.\n"
BAD_NOTE = "---\ntitle: [\n---\nBody.\n"


def build_note(root: Path, data: bytes) -> str:
    """Build a site holding just this note; only our own errors, naming the note, may come out.

    Returns the outcome, BUILT or REFUSED.
    """
    note = root / "incidents" / "note.md"
    note.write_bytes(data)
    try:
        build(root / "statuspage.toml", now=NOW)
    except ContentError as error:
        event(REFUSED)
        assert error.problems and all(p.path.endswith("incidents/note.md") for p in error.problems), error
        assert all(p.message for p in error.problems)
        return REFUSED
    except StatusPageError as error:  # e.g. nothing to render: still our message, never a traceback
        raise AssertionError(f"unexpected error for a note: {error}") from None
    event(BUILT)
    return BUILT


def assert_both(outcomes: Counter[str]) -> None:
    """The run saw notes (or configs) that built and ones that were refused: neither path is dead."""
    assert outcomes[BUILT] and outcomes[REFUSED], f"expected both outcomes over the run, got {dict(outcomes)}"


def test_any_note_text_builds_or_names_the_file(scratch: Path) -> None:
    outcomes: Counter[str] = Counter()

    @given(text=note_texts)
    @example(text=GOOD_NOTE)
    @example(text=BAD_NOTE)
    @example(text="---\n: \n---\n")  # an empty value after a bare colon once raised IndexError
    def check(text: str) -> None:
        outcomes[build_note(scratch, text.encode("utf-8", "surrogatepass"))] += 1

    check()
    assert_both(outcomes)


def test_binary_junk_builds_or_names_the_file(scratch: Path) -> None:
    outcomes: Counter[str] = Counter()

    @given(data=st.binary(max_size=300), header=st.booleans())
    @example(data=b"Down.\n", header=True)  # builds: the header alone makes a note
    @example(data=b"\xff\xfe", header=False)  # refused: not UTF-8
    def check(data: bytes, header: bool) -> None:
        junk = (b"---\ntitle: Junk\nstarted: 2026-03-14 09:00\n---\n" if header else b"") + data
        outcomes[build_note(scratch, junk)] += 1

    check()
    assert_both(outcomes)


def test_valid_note_with_random_fields(scratch: Path) -> None:
    outcomes: Counter[str] = Counter()

    @given(front=front_matter)
    @example(front={"kind": "maintenance", "components": [["api"]]})  # once a crash: a list is no dict key
    @example(front={"started": None})  # once a crash: no headings and no start
    @example(front={})  # builds: the base note as it is
    @example(front={"kind": "nope"})  # refused: no such kind
    def check(front: dict[object, object]) -> None:
        # Start from a note that builds, then let hypothesis add and overwrite fields.
        base: dict[object, object] = {"title": "T", "started": "2026-03-14 09:00"}
        outcomes[build_note(scratch, f"---\n{dump_front({**base, **front})}---\nBody.\n".encode())] += 1

    check()
    assert_both(outcomes)


# -- the config ---------------------------------------------------------------------------------

toml_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.sampled_from(["Europe/Berlin", "Mars/Olympus", "en", "xx", "https://status.test/", "javascript:alert(1)"]),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC])),
)
toml_values = st.recursive(
    toml_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text | st.just("id"), children, max_size=3),
    max_leaves=10,
)
CONFIG_KEYS = ["title", "url", "description", "timezone", "language", "homepage", "uptime", "feeds", "history"]
component = st.fixed_dictionaries(
    {"id": st.sampled_from(["api", "web", "Bad Id", ""]) | any_text, "name": any_text | st.just("API")},
    optional={"group": toml_values, "since": toml_values, "description": toml_values},
)
configs = st.builds(
    lambda top, components: {**top, "components": components},
    st.dictionaries(st.sampled_from(CONFIG_KEYS) | any_text, toml_values, max_size=6),
    st.lists(component, max_size=3),
)


#: A config, as text, that builds with config_scratch's note.
GOOD_CONFIG = 'title = "T"\nurl = "https://status.test/"\n\n[[components]]\nid = "api"\nname = "API"\n'
#: The same config as Notepad saves it: a byte order mark and CRLF line endings.
GOOD_CONFIG_NOTEPAD = b"\xef\xbb\xbf" + GOOD_CONFIG.replace("\n", "\r\n").encode()


def build_config(root: Path, data: bytes) -> str:
    """Build config_scratch's note with this config; return the outcome, BUILT or REFUSED."""
    (root / "statuspage.toml").write_bytes(data)
    try:
        build(root / "statuspage.toml", now=NOW)
    except ProblemsError as error:
        event(REFUSED)  # the config, or the note when the config dropped its component
        assert error.problems and all(p.path.endswith(("statuspage.toml", "a.md")) for p in error.problems), error
        return REFUSED
    except StatusPageError as error:
        raise AssertionError(f"unexpected error for a config: {error}") from None
    event(BUILT)
    return BUILT


@pytest.fixture(scope="module")
def config_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("config-props")
    note = root / "incidents" / "a.md"
    note.parent.mkdir()
    note.write_text("---\ntitle: Login\ncomponents:\n  api: major_outage\nstarted: 2026-03-14 09:00\n---\nDown.\n")
    return root


def test_any_config_builds_or_names_the_file(config_scratch: Path) -> None:
    outcomes: Counter[str] = Counter()

    @given(data=configs)
    @example(data={"components": [{"id": "api", "name": "API"}]})  # builds
    @example(data={"timezone": "Mars/Olympus", "components": [{"id": "api", "name": "API"}]})  # refused
    def check(data: dict[str, object]) -> None:
        base = {"title": "T", "url": "https://status.test/"}
        outcomes[build_config(config_scratch, tomli_w.dumps({**base, **data}).encode())] += 1

    check()
    assert_both(outcomes)


def test_config_junk_names_the_file(config_scratch: Path) -> None:
    # Junk text may never make a valid config by chance; the valid configs given below must build.
    outcomes: Counter[str] = Counter()
    good: list[str] = []  # the outcomes of the valid configs

    @given(text=any_text | st.binary(max_size=200))
    @example(text=GOOD_CONFIG)
    @example(text=GOOD_CONFIG_NOTEPAD)
    def check(text: str | bytes) -> None:
        outcome = build_config(
            config_scratch, text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        )
        outcomes[outcome] += 1
        if text in (GOOD_CONFIG, GOOD_CONFIG_NOTEPAD):
            good.append(outcome)

    check()
    assert outcomes[REFUSED], f"no junk was refused: {dict(outcomes)}"
    assert good and all(outcome == BUILT for outcome in good), f"the valid configs did not all build: {good}"


# -- slugs and times ------------------------------------------------------------------------------


@given(stem=st.text(max_size=60))
def test_slugs_are_safe_path_segments(stem: str) -> None:
    slug = slugify(stem)
    assert set(slug) <= set(string.ascii_lowercase + string.digits + "-")
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@given(stem=st.text(max_size=60) | st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True))
@example(stem="2026-11-28-login-down")
@example(stem="-login")
@example(stem="login-")
@example(stem="login--down")
@example(stem="Login-down")
def test_a_slug_found_at_once_is_the_one_made(stem: str) -> None:
    # A name that is already a slug is taken as it is: the slug the full transliteration makes.
    assert slugify(stem) == addresses._made_slug(stem)


@given(now=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2999, 12, 30)), days=st.integers(-400, 400))
def test_any_now_and_incident_date_builds(scratch: Path, now: datetime, days: int) -> None:
    # Incidents before, at and after `now`, across every calendar corner within the allowed years.
    start = max(min(now + timedelta(days=days), datetime(2999, 12, 30)), datetime(1970, 1, 2))
    note = f"---\ntitle: T\ncomponents: {{api: major_outage}}\nstarted: {start:%Y-%m-%d %H:%M}Z\n---\nDown.\n"
    (scratch / "incidents" / "note.md").write_text(note)
    result = build(scratch / "statuspage.toml", now=f"{now:%Y-%m-%d %H:%M}Z")
    # No `resolved:`: the incident is ongoing from its start (to the minute, as written) on.
    ongoing = start.replace(second=0, microsecond=0) <= now.replace(second=0, microsecond=0)
    status = json.loads((result.site / "api/v2/status.json").read_text(encoding="utf-8"))
    assert status["status"]["indicator"] == ("critical" if ongoing else "none"), (start, now)
