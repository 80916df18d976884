"""Compare the recogniser of this tree with another tree's, text by text.

    PYTHONPATH=src python bench/identifiers_compare.py --baseline /tmp/recog-old/src \\
        [--corpus ../shared/corpus] [--big /tmp/biotui-refresh-bench/big] [--fuzz 200000]

Runs ``find_identifiers(title, body)`` of both trees (each in its own process) over every
article of the corpus, every article of a generated dataset (bench/feedgen.py's ``big``, when
given) and ``--fuzz`` generated texts made to hit the finders' edges (spellings and codes
glued to letters, digits, dots, hyphens, "x", Greek and other non-Latin-1 characters, in
links and credits, cut, re-cased, pluralised, one inside another). Prints, per set, how many
texts differ; a difference that only adds the targets a bracketed spelling names
("PD-(L)1") is counted apart, as intended. Exits 1 when any other difference is found.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
Texts = list[tuple[str, str]]

_WORKER = """
import pickle, sys
from biotui.identifiers import find_identifiers
texts = pickle.load(open(sys.argv[1], "rb"))
found = [tuple((i.kind, i.id, i.url) for i in find_identifiers(t, b)) for t, b in texts]
pickle.dump(found, open(sys.argv[2], "wb"))
"""


def corpus_texts(corpus: Path) -> Texts:
    from biotui.sources import parse_feed

    manifest = json.loads((corpus / "feedparser-manifest.json").read_text("utf-8"))
    texts: Texts = []
    for relative in manifest:
        try:
            result = parse_feed((corpus / relative).read_bytes(), "Corpus")
        except Exception:
            continue
        texts.extend((a.title, a.body) for a in result.articles)
    return texts


def dataset_texts(folder: Path) -> Texts:
    from biotui.sources import parse_feed

    texts: Texts = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".rss", ".atom", ".xml"):
            result = parse_feed(path.read_bytes(), path.stem)
            texts.extend((a.title, a.body) for a in result.articles)
    return texts


GLUE = ["", "", "", " ", "(", "-", "/", ".", ",", "x", "_", "a", "Z", "1", "“", "é", "α", "ά", "—"]
AFTER = ["", "", " ", ".", ". ", ",", ",5", ".5", "s", "s ", "xCD3", "x", "-", "/", "+", "’s", "1"]
WORDS = [
    "the",
    "phase",
    "trial",
    "of",
    "in",
    "anti",
    "and",
    "with",
    "Photo:",
    "by",
    "FUJIFILM",
    "https://example.org/",
    "doi",
]
DIGITS = ["0123456789", "0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９"]


def fuzz_texts(count: int, prose: Texts, seed: int = 28) -> Texts:
    """``count`` texts of prose pieces, spellings, codes and glue, the same for a seed."""
    from biotui.identifiers.data import bracketed, drug_rules, targets

    rng = random.Random(seed)
    spellings = sorted({s for t in targets() for s in t.spellings} | set(bracketed()))
    prefixes = [*sorted(drug_rules().prefixes | drug_rules().spaced), "KYV", "BMS", "LY", "JNJ"]
    pieces = [body[:400] for _, body in prose if body] or ["text"]

    def code() -> str:
        prefix = rng.choice(prefixes) if rng.random() < 0.5 else _capitals(rng)
        digits = rng.choice(DIGITS)
        number = "".join(rng.choice(digits) for _ in range(rng.randint(1, 9)))
        letter = rng.choice(["", "", "C", "b"])
        return prefix + rng.choice(["", "-", " ", "–"]) + letter + number + rng.choice(["", "b2"])

    def registry() -> str:
        digits = rng.choice(DIGITS)
        number = "".join(rng.choice(digits) for _ in range(rng.randint(4, 9)))
        year = rng.choice(["2019", "2023", "2024", "2031", "20" + digits[2:4]])
        made = rng.choice(
            [
                "NCT" + number,
                "nct " + number,
                "ISRCTN" + number,
                f"{year}-{number[:6]}-{number[-2:]}",
                f"{year}-5{number[:5]}-{number[:2]}-00",
                "PMC" + number,
                "PMID: " + number,
                "https://pubmed.ncbi.nlm.nih.gov/" + number,
                "doi:10." + number + "/x" + number,
            ]
        )
        return made.swapcase() if rng.random() < 0.2 else made

    def token() -> str:
        roll = rng.random()
        if roll < 0.1:
            return registry()
        if roll < 0.45:
            word = rng.choice(spellings)
            if rng.random() < 0.3:
                cut = rng.randint(0, len(word))
                word = word[:cut] + rng.choice(["", "-", " ", "X", "x"]) + word[cut:]
            if rng.random() < 0.2:
                word = word.swapcase() if rng.random() < 0.5 else word.upper()
            if rng.random() < 0.15:
                word += rng.choice(spellings)
            return word
        if roll < 0.75:
            return code()
        if roll < 0.85:
            return rng.choice(WORDS)
        return rng.choice(pieces)[: rng.randint(0, 120)]

    texts: Texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(GLUE) + token() + rng.choice(AFTER))
            if rng.random() < 0.1:
                parts.append("\n")
        texts.append(("" if rng.random() < 0.7 else token(), "".join(parts)))
    return texts


def _capitals(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1, 6)))


def run(src: Path, texts: Texts, folder: Path) -> list[tuple[tuple[str, str, str], ...]]:
    given, answer = folder / "texts.pickle", folder / "found.pickle"
    given.write_bytes(pickle.dumps(texts))
    env = dict(os.environ, PYTHONPATH=str(src))
    subprocess.run([sys.executable, "-c", _WORKER, str(given), str(answer)], env=env, check=True)
    found: list[tuple[tuple[str, str, str], ...]] = pickle.loads(answer.read_bytes())
    return found


def compare(name: str, texts: Texts, baseline: Path, folder: Path) -> int:
    from biotui.identifiers.data import bracketed

    pairs = bracketed()
    new = run(Path(__file__).resolve().parents[1] / "src", texts, folder)
    old = run(baseline, texts, folder)
    wrong = intended = 0
    for (title, body), before, after in zip(texts, old, new, strict=True):
        if before == after:
            continue
        text = f"{title}\n\n{body}"
        named = {("target", t.name) for s, both in pairs.items() if s in text for t in both}
        added = {(k, i) for k, i, _ in after} - {(k, i) for k, i, _ in before}
        lost = {(k, i) for k, i, _ in before} - {(k, i) for k, i, _ in after}
        if named and not lost and added <= named:
            intended += 1
            continue
        wrong += 1
        if wrong <= 10:
            print(f"  DIFFERS: {text[:300]!r}\n    old {before}\n    new {after}")
    print(f"{name}: {len(texts):,} texts, {wrong} differ, {intended} gain a bracketed spelling")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the other tree's src/")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--big", type=Path, help="a feedgen dataset folder (e.g. .../big)")
    parser.add_argument("--fuzz", type=int, default=100_000)
    args = parser.parse_args()
    corpus = corpus_texts(args.corpus)
    sets = {"corpus": corpus}
    if args.big:
        sets["generated"] = dataset_texts(args.big)
    sets["fuzz"] = fuzz_texts(args.fuzz, corpus + sets.get("generated", [])[:2000])
    with tempfile.TemporaryDirectory() as folder:
        wrong = sum(compare(n, t, args.baseline, Path(folder)) for n, t in sets.items())
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
