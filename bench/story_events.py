"""Shared events for the generated feeds (feedgen.py's ``stories`` dataset), deterministically.

At each item position (the items of one position in every feed lie within a few hours of each
other) some events happen; each is told by 2–5 feeds, each in the words of a company wire, a
trade outlet or a regional paper, naming its company, drug code, trial and (for results) its
paper. :func:`truth` says which items retell which event: the grouping bench scores itself
against it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

import make_store

KINDS = ("first-dose", "approval", "acquisition", "results", "ind", "financing")
TITLES: dict[str, list[str]] = {
    "first-dose": [
        "{company} Announces First Patient Dosed in {phase} Trial of {drug} in {disease}",
        "{company} doses first {disease} patient with {drug}",
        "First patient dosed in {company}'s {drug} study in {disease}",
    ],
    "approval": [
        "{company} Announces FDA Approval of {brand} ({drug}) for {disease}",
        "FDA approves {company}'s {brand} for {disease}",
        "{company} wins FDA nod for {disease} drug {brand}",
    ],
    "acquisition": [
        "{other} to Acquire {company} for ${money} Billion",
        "{other} buys {company} in ${money}B deal",
        "{company} agrees to be acquired by {other} for ${money} billion",
    ],
    "results": [
        "{company} Announces Positive Topline Results from {phase} Trial of {drug} in {disease}",
        "{company}'s {drug} hits primary endpoint in {phase} {disease} study",
        "{company} reports {phase} data for {drug} in {disease}",
    ],
    "ind": [
        "{company} Receives FDA IND Clearance for {drug} in {disease}",
        "FDA clears {company}'s IND for {drug} in {disease}",
        "{company} gets FDA go-ahead to test {drug} in {disease}",
    ],
    "financing": [
        "{company} Raises ${millions} Million Series B to Advance {drug}",
        "{company} nabs ${millions}M series B for {drug}",
        "{city}'s {company} raises ${millions} million",
    ],
}
LEDES = [
    "{CITY}, {date} /PRNewswire/ -- {company} today announced news on {drug} ({trial}) in "
    "{disease}.",
    "{company} said {drug}, tested in {disease} in trial {trial}, reached the milestone.",
    "{city} drug developer {company} said this week that its {drug} program in {disease} "
    "moved ahead.",
]
BRANDS = ["Zorvexa", "Velquira", "Ostrela", "Dermaquin", "Lumitra", "Cardiva", "Nexorin"]
PREFIXES = ["AXR", "BTX", "CVN", "DRX", "ELV", "FNX", "GLV", "HLC", "KYV", "LMN", "NMB", "ORX"]


@dataclass(frozen=True)
class Event:
    """One event a few feeds report."""

    label: str
    kind: str
    slots: dict[str, object]


def _event(seed: int, name: str, index: int, slot: int) -> Event:
    rng = random.Random(f"{seed}:{name}:event:{index}:{slot}")
    company = rng.choice(make_store.COMPANIES)
    slots: dict[str, object] = {
        "company": company,
        "other": rng.choice([c for c in make_store.COMPANIES if c != company]),
        "drug": f"{rng.choice(PREFIXES)}-{rng.randint(100, 999)}",
        "trial": f"NCT0{rng.randint(1_000_000, 6_999_999)}",
        "doi": f"10.{rng.randint(1000, 9999)}/bench.{rng.randint(10_000, 99_999)}",
        "disease": rng.choice(make_store.DISEASES),
        "phase": rng.choice(["Phase 1", "Phase 2", "Phase 3"]),
        "brand": rng.choice(BRANDS),
        "money": round(rng.uniform(0.5, 9.5), 1),
        "millions": rng.randint(20, 300),
        "city": rng.choice(["Boston", "Basel", "San Diego", "Shanghai", "Cambridge"]),
        "date": "Sept. 1, 2026",
    }
    slots["CITY"] = str(slots["city"]).upper()
    return Event(f"{name}:{index}:{slot}", rng.choice(KINDS), slots)


@cache
def plan(seed: int, name: str, feeds: int, share: float, index: int) -> dict[int, Event]:
    """Which feeds retell which event at item position ``index``."""
    events = max(1, round(feeds * share / 3.5))
    told: dict[int, Event] = {}
    for slot in range(events):
        event = _event(seed, name, index, slot)
        rng = random.Random(f"{seed}:{name}:tellers:{index}:{slot}")
        for feed in rng.sample(range(feeds), rng.randint(2, 5)):
            told.setdefault(feed, event)
    return told


def retell(rng: random.Random, event: Event, number: int) -> tuple[str, str, str]:
    """(title, author, HTML body) of one feed's article about ``event``."""
    import feedgen

    style = rng.randrange(3)
    title = TITLES[event.kind][style].format(**event.slots)
    lede = LEDES[style].format(**event.slots)
    paragraphs = [lede]
    if event.kind == "results" and rng.random() < 0.7:
        paragraphs.append(f"The results are published (doi:{event.slots['doi']}).")
    _, author, rest = feedgen.make_item(rng, number)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "\n" + rest
    return title, author, body


def identifier_sentence(rng: random.Random, company: str) -> str:
    """A sentence naming a trial, a drug code or a paper of ``company``."""
    roll = rng.random()
    if roll < 0.4:
        return f"{company} runs the study under NCT0{rng.randint(1_000_000, 6_999_999)}."
    if roll < 0.8:
        return f"{company} is testing {rng.choice(PREFIXES)}-{rng.randint(100, 999)} there."
    return (
        f"The work appeared in print (doi:10.{rng.randint(1000, 9999)}/x.{rng.randint(1, 9999)})."
    )


def truth(seed: int, name: str, feeds: int, items: int, share: float) -> dict[str, str]:
    """Guid of every item that retells an event -> the event's label."""
    if share <= 0:
        return {}
    found: dict[str, str] = {}
    for index in range(items):
        for feed, event in plan(seed, name, feeds, share, index).items():
            found[f"{feed:03d}:{index:05d}"] = event.label
    return found
