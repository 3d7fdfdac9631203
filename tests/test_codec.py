"""The note cache's codec: a decoded incident is the encoded one, every field of it.

Decoding skips the dataclasses' `__init__` for speed, so nothing but these tests would notice
a field it forgot, or one it filled in wrong: a cached build would then differ from a cold one
only for the notes whose value for that field is not the default.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statuspage.core.model import ComponentStatus, Impact, Incident, Kind, Reference, Update, UpdateStatus
from statuspage.notes.codec import DAMAGED, decode, encode

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
lines = st.none() | st.integers(1, 10_000)
# Whole seconds, as notes write them, over every year a datetime holds.
moments = st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)
statuses = st.dictionaries(texts, st.sampled_from(ComponentStatus), max_size=3)
references = st.builds(Reference, lines, st.booleans(), texts, st.none() | texts)
updates = st.builds(
    Update,
    at=moments,
    status=st.sampled_from(UpdateStatus),
    html=texts,
    text=texts,
    anchor=texts,
    changes=statuses,
    line=lines,
    always_posted=st.booleans(),
    references=st.lists(references, max_size=2).map(tuple),
)
incidents = st.builds(
    Incident,
    slug=texts,
    title=texts,
    kind=st.sampled_from(Kind),
    impact=st.sampled_from(Impact),
    components=statuses,
    updates=st.lists(updates, min_size=1, max_size=4).map(tuple),
    start=moments,
    end=st.none() | moments,
    source=texts,
    declared_start=st.none() | moments,
    declared_end=st.none() | moments,
    key_lines=st.dictionaries(texts, st.integers(1, 10_000), max_size=3),
    digest=texts,
    draft=st.booleans(),
)


def assert_same_fields(decoded: object, original: object) -> None:
    """Field by field, those the dataclass leaves out of `==` too, and nothing more."""
    assert type(decoded) is type(original)
    assert set(vars(decoded)) == {f.name for f in fields(original)}  # type: ignore[arg-type]
    for f in fields(original):  # type: ignore[arg-type]
        mine, theirs = getattr(decoded, f.name), getattr(original, f.name)
        assert mine == theirs, f.name
        assert type(mine) is type(theirs), f.name
        if isinstance(theirs, datetime):
            assert mine.tzinfo is UTC, f.name


@given(incidents)
def test_a_decoded_incident_is_the_encoded_one(incident: Incident) -> None:
    decoded = decode(encode(incident), incident.slug, incident.source, incident.digest)
    assert_same_fields(decoded, incident)
    for mine, theirs in zip(decoded.updates, incident.updates, strict=True):
        assert_same_fields(mine, theirs)
    assert decoded.is_maintenance is (incident.kind is Kind.MAINTENANCE)  # a remembered property still works
    with pytest.raises(AttributeError):
        decoded.title = "changed"  # type: ignore[misc]  # still frozen


@pytest.mark.parametrize("seconds", [10**12, 10**18, 10**30, -(10**30), 2.5, "0", None])
def test_a_time_no_datetime_holds_fails_to_decode(seconds: object) -> None:
    """The cache counts these errors as a miss; anything else would crash the build."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    update = Update(start, UpdateStatus.INVESTIGATING, "<p>x</p>", "x", "a")
    incident = Incident("s", "t", Kind.INCIDENT, Impact.MINOR, {}, (update,), start, start + timedelta(hours=1))
    data = encode(incident)
    data[5] = seconds
    with pytest.raises(DAMAGED):
        decode(data, "s", "", "")
