"""Write a believable status site with N incident notes, for benchmarks.

    python benchmarks/generate.py 10000 /tmp/site-10k

Deterministic (fixed seed): the same N gives the same files. 12 components in groups;
1 to 5 updates per note touching 1 to 3 components; mixed impacts; about 5% maintenance;
a few notes in the smallest form (no update headings). Notes are spread over five years
before BUILD_TIME, or longer where that would put more than 5.5 notes on a day (10,000
notes in five years): beyond that size a bigger site has a longer history, not a busier
one, so the status page (the last 90 days) stays the same size. The newest notes are still going on:
two incidents, one maintenance in its window and one scheduled ahead.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

#: Build the generated site "as of" this time (run.py passes it as --now).
BUILD_TIME = "2026-11-28T15:00:00+00:00"
ZONE = ZoneInfo("Europe/Berlin")
SEED = 6

GROUPS = {
    "Web": ["website", "login", "dashboard", "docs"],
    "API": ["api", "graphql", "webhooks"],
    "Infrastructure": ["database", "cdn", "dns"],
    None: ["mobile", "payments"],
}
COMPONENTS = [cid for ids in GROUPS.values() for cid in ids]
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]
IMPACTS = [None, None, "minor", "major", "critical"]  # None: derived from the component statuses

PROBLEMS = [
    "Elevated error rates on {c}",
    "{c} unavailable",
    "Slow responses from {c}",
    "Intermittent timeouts on {c}",
    "Delays in {c}",
    "Some requests to {c} fail",
]
WORK = ["Database upgrade", "Network maintenance", "Certificate rotation", "Storage migration", "Kernel patching"]
SENTENCES = [
    "We are investigating reports of errors for some customers.",
    "The issue has been traced to a configuration change that was rolled out this morning.",
    "A fix is being deployed to all regions and we expect recovery shortly.",
    "Error rates are back to normal levels; we keep monitoring the affected systems.",
    "Requests that failed during this time can be retried safely; no data was lost.",
    "Our upstream provider has confirmed the problem and is working on it.",
    "Traffic has been moved to a healthy region while we repair the primary one.",
    "Some users may see slower page loads while caches warm up again.",
]
DETAILS = [
    "\n\n- Affected: requests from the EU region\n- Not affected: stored data\n",
    "\n\nSee the [operations guide](https://docs.example.com/ops) for what to expect.\n",
    "\n\n| Region | State |\n| --- | --- |\n| eu-west | recovering |\n| us-east | healthy |\n",
    "\n\n```\nHTTP 503 Service Unavailable\n```\n",
    "",
    "",
    "",
]


def local(moment: datetime) -> str:
    """A time as people write it in notes: local wall clock, offset only where it is ambiguous."""
    wall = moment.astimezone(ZONE)
    text = wall.strftime("%Y-%m-%d %H:%M")
    if wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset():
        text += wall.strftime(" %z")[:-2] + ":" + wall.strftime("%z")[-2:]
    return text


def paragraph(rng: random.Random) -> str:
    text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
    return "\n".join(textwrap.wrap(text, 90)) + rng.choice(DETAILS)


def incident(rng: random.Random, start: datetime, ongoing: bool) -> tuple[str, str]:
    touched = rng.sample(COMPONENTS, rng.randint(1, 3))
    statuses = {cid: rng.choice(STATUSES) for cid in touched}
    title = rng.choice(PROBLEMS).format(c=touched[0].capitalize())
    impact = rng.choice(IMPACTS)
    count = rng.randint(1, 5)
    if rng.random() < 0.03 and not ongoing:  # the smallest form: no headings
        end = start + timedelta(minutes=rng.randint(5, 240))
        front = [f"title: {title}", f"started: {local(start)}", f"resolved: {local(end)}", "components:"]
        front += [f"  {cid}: {status}" for cid, status in statuses.items()]
        return title, "---\n" + "\n".join(front) + "\n---\n\n" + paragraph(rng)
    names = ["Investigating", "Identified", "Monitoring", "Update"]
    labels = [names[min(n, 3)] for n in range(count - 1)] + (["Monitoring"] if ongoing else ["Resolved"])
    moments = [start]
    for _ in range(count - 1):
        moments.append(moments[-1] + timedelta(minutes=rng.randint(5, 180)))
    blocks = []
    for n, (at, label) in enumerate(zip(moments, labels, strict=True)):
        change = ""
        if 0 < n < count - 1 and rng.random() < 0.3:
            cid = rng.choice(touched)
            change = f" ({cid}: {rng.choice([*STATUSES, 'operational'])})"
        blocks.append(f"## {local(at)} · {label}{change}\n{paragraph(rng)}")
    front = [f"title: {title}"] + ([f"impact: {impact}"] if impact else []) + ["components:"]
    front += [f"  {cid}: {status}" for cid, status in statuses.items()]
    return title, "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(reversed(blocks))


def maintenance(rng: random.Random, start: datetime, now: datetime) -> tuple[str, str]:
    title = rng.choice(WORK)
    until = start + timedelta(hours=rng.randint(1, 4))
    touched = rng.sample(COMPONENTS, rng.randint(1, 3))
    updates = [(start - timedelta(days=rng.randint(2, 7)), "Scheduled")]
    if start <= now:
        updates.append((start, "In progress"))
    if until <= now:
        updates.append((until - timedelta(minutes=rng.randint(0, 30)), "Completed"))
    blocks = [f"## {local(at)} · {label}\n{paragraph(rng)}" for at, label in updates]
    front = ["kind: maintenance", f"title: {title}", f"scheduled: {local(start)}", f"until: {local(until)}"]
    front.append(f"components: [{', '.join(touched)}]")
    return title, "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(reversed(blocks))


def generate(count: int, folder: Path, seed: int = SEED) -> None:
    """Write statuspage.toml and `count` notes into `folder`."""
    rng = random.Random(seed)
    now = datetime.fromisoformat(BUILD_TIME)
    span = timedelta(days=max(5 * 365, round(count * 5 * 365 / 10_000)))
    incidents = folder / "incidents"
    incidents.mkdir(parents=True, exist_ok=True)
    (folder / "statuspage.toml").write_text(config(), encoding="utf-8")
    starts = sorted(now - span + timedelta(seconds=rng.randrange(int(span.total_seconds()))) for _ in range(count))
    specials = {count - 1: "upcoming", count - 2: "active", count - 3: "ongoing", count - 4: "ongoing"}
    for n, start in enumerate(starts):
        role = specials.get(n)
        if role == "upcoming":
            start = now + timedelta(days=3)
        elif role == "active":
            start = now - timedelta(minutes=30)
        start = start.replace(second=0, microsecond=0)
        if role in ("upcoming", "active") or (role is None and rng.random() < 0.05):
            title, text = maintenance(rng, start, now)
        else:
            title, text = incident(rng, start, ongoing=role == "ongoing")
        slug = "-".join(title.lower().replace("/", " ").split())
        name = f"{start.astimezone(ZONE):%Y-%m-%d}-{slug}-{n:06d}.md"
        (incidents / name).write_text(text + "\n", encoding="utf-8")


def config() -> str:
    lines = [
        'title = "Benchmark Status"',
        'url = "https://status.bench.example/"',
        'timezone = "Europe/Berlin"',
        "",
    ]
    for group, ids in GROUPS.items():
        for cid in ids:
            lines += ["[[components]]", f'id = "{cid}"', f'name = "{cid.capitalize()}"']
            lines += [f'group = "{group}"'] if group else []
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of notes")
    parser.add_argument("folder", type=Path, help="where to write the site (created)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()
