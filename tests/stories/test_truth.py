"""Pairwise precision and recall of the story grouping over its truth set: our own articles
(cases.toml) and real ones from ../shared/corpus (corpus_truth.toml; skipped cleanly when
../shared is absent).

No wrong merge is allowed (precision 100 %); recall is printed (``pytest -s``) and written in
docs/robustness.md.
"""

from __future__ import annotations

import pytest

from .truth import MANIFEST, Item, Score, corpus_items, dump, own_items, score


def _report(label: str, result: Score) -> None:
    found = result.right + len(result.wrong)
    expected = result.right + len(result.missed)
    print(
        f"\n{label}: pairwise precision {result.precision:.1%} ({result.right}/{found}), "
        f"recall {result.recall:.1%} ({result.right}/{expected})"
    )


def test_own_articles_never_merge_wrongly() -> None:
    items = own_items()
    result = score(items)
    _report("own articles", result)
    assert result.wrong == [], dump(items)
    assert result.recall >= 0.9, result.missed


def test_every_never_case_has_several_instances() -> None:
    """The issue's "never merge" cases are each there more than once (the comments of
    cases.toml say which stories they are)."""
    stories = {item.story for item in own_items()}
    assert sum(s.endswith("-results") and "-q" in s for s in stories) >= 3  # quarterly
    assert sum(s.endswith("-ind") for s in stories) >= 3  # IND, then first patient
    assert sum(s.startswith("template-") for s in stories) >= 5
    assert sum(s.endswith("-approval") for s in stories) >= 6  # same agency, same day


@pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpus is not present")
def test_whole_truth_set_never_merges_wrongly() -> None:
    own, corpus = own_items(), corpus_items()
    corpus_score = score(corpus)
    _report("corpus articles", corpus_score)
    assert corpus_score.wrong == [], dump(corpus)
    total = score(own + corpus)
    _report("whole truth set", total)
    assert total.wrong == []
    assert total.precision == 1.0
    assert total.recall >= 0.9, total.missed


def test_a_wrong_merge_is_counted() -> None:
    """The scorer itself: two copies of one article told apart in the truth are one wrong
    pair; two unrelated articles told to be one story are one missed pair."""
    same = "Novagen to Acquire Cellyra Therapeutics for $1.2 Billion"
    items = [
        Item("a", "x", "feed a", 0.0, same, ""),
        Item("b", "y", "feed b", 60.0, same, ""),
        Item("c", "z", "feed c", 0.0, "Orsino appoints a new CEO", ""),
        Item("d", "z", "feed d", 0.0, "Weather in Basel", ""),
    ]
    result = score(items)
    assert result.wrong == ["a + b"]
    assert result.missed == ["c + d"]
    assert result.precision == 0.0 and result.recall == 0.0
