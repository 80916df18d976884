"""Precision and recall of the recogniser over its truth set: our own sentences and real
articles of ../shared/corpus (skipped cleanly when ../shared is absent).

Precision must be 100 %: a missed identifier is better than a wrong one. Recall must be at
least 95 %. The figures are printed (``pytest -s``) and written in docs/robustness.md.
"""

from __future__ import annotations

import pytest

from .truth import MANIFEST, Score, corpus_cases, own_cases, score


def _report(label: str, result: Score) -> None:
    found = result.true_positives + len(result.false_positives)
    expected = result.true_positives + len(result.false_negatives)
    print(
        f"\n{label}: precision {result.precision:.1%} ({result.true_positives}/{found}), "
        f"recall {result.recall:.1%} ({result.true_positives}/{expected})"
    )


def test_own_sentences_precision_and_recall() -> None:
    result = score(own_cases())
    _report("own sentences", result)
    assert result.false_positives == []
    assert result.recall >= 0.95, result.false_negatives


@pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpus is not present")
def test_whole_truth_set_precision_and_recall() -> None:
    own = score(own_cases())
    corpus = score(corpus_cases())
    _report("corpus articles", corpus)
    total = Score(
        own.true_positives + corpus.true_positives,
        own.false_positives + corpus.false_positives,
        own.false_negatives + corpus.false_negatives,
    )
    _report("whole truth set", total)
    assert total.false_positives == []
    assert total.precision == 1.0
    assert total.recall >= 0.95, total.false_negatives


def test_a_wrong_answer_is_counted() -> None:
    """The scorer itself: a case expecting what is not there, and one not expecting what is."""
    from .truth import Case

    result = score(
        [
            Case("a", "", "NCT06123456 and KYV-101", frozenset({"trial NCT06123456"})),
            Case("b", "", "nothing here", frozenset({"drug KYV-101"})),
        ]
    )
    assert result.false_positives == ["a: drug KYV-101"]
    assert result.false_negatives == ["b: drug KYV-101"]
    assert result.precision == 0.5 and result.recall == 0.5
