"""The lists shipped with the recogniser (targets.toml, drug_codes.toml), read once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Target:
    """A curated target: the spelling shown, its gene symbol and every spelling matched."""

    name: str
    symbol: str
    spellings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DrugRules:
    """What is never a drug code (prefixes, whole codes in upper case without hyphen, brand
    words), and the prefixes whose codes may be written with a space."""

    prefixes: frozenset[str]
    codes: frozenset[str]
    brands: frozenset[str]
    spaced: frozenset[str]


_ALPHA_RUN = re.compile(r"[^\W\d_]+")


def _load(name: str) -> dict[str, Any]:
    text = resources.files("biotui.identifiers").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def spellings_of(name: str, aliases: list[str]) -> tuple[str, ...]:
    """Return every spelling matched for a target (see the rules at the top of targets.toml)."""
    found: list[str] = []
    for spelling in (name, *aliases):
        variants = [spelling, spelling.upper()]
        if spelling[:1].islower():
            variants.append(spelling[:1].upper() + spelling[1:])
        for variant in list(variants):
            dehyphened = "".join(
                ch
                for index, ch in enumerate(variant)
                if not (ch == "-" and index > 0 and variant[index - 1].isalpha())
            )
            variants.append(dehyphened)
            if variant.startswith("CD") and variant[2:3].isdigit():
                variants.append("CD-" + variant[2:])
        found.extend(v for v in variants if v not in found)
    return tuple(found)


@cache
def targets() -> tuple[Target, ...]:
    """The curated targets, in the file's order."""
    table: dict[str, dict[str, Any]] = _load("targets.toml")["targets"]
    return tuple(
        Target(
            name,
            str(entry.get("symbol", name)),
            spellings_of(name, [str(alias) for alias in entry.get("aliases", [])]),
        )
        for name, entry in table.items()
    )


@cache
def bracketed() -> dict[str, tuple[Target, Target]]:
    """Spellings that name two targets at once by bracketing a word: "PD-(L)1" and
    "programmed death-(ligand) 1" name PD-1 and PD-L1.

    Derived, never listed: a spelling of one target whose alphabetic run (a whole word or a
    single letter), taken out with the space after it, leaves a spelling of another target
    gives, with that run in brackets, a spelling of both (the shorter target first).
    """
    owner: dict[str, Target] = {}
    for target in targets():
        for spelling in target.spellings:
            owner.setdefault(spelling, target)
    found: dict[str, tuple[Target, Target]] = {}
    for spelling, longer in owner.items():
        for run in _ALPHA_RUN.finditer(spelling):
            head, rest = spelling[: run.start()], spelling[run.end() :]
            without = [head + rest] + ([head + rest[1:]] if rest.startswith(" ") else [])
            for shorter_spelling in without:
                shorter = owner.get(shorter_spelling)
                if shorter is not None and shorter is not longer:
                    found.setdefault(f"{head}({run.group()}){rest}", (shorter, longer))
    return found


@cache
def drug_rules() -> DrugRules:
    """The drug-code exclusion list and spaced prefixes."""
    data = _load("drug_codes.toml")
    return DrugRules(
        frozenset(data["prefixes"]),
        frozenset(data["codes"]),
        frozenset(word.lower() for word in data["brands"]),
        frozenset(data["spaced"]),
    )
