"""The grouping's rules, one at a time, on small cases."""

from __future__ import annotations

import json

import pytest

from biotui.identifiers import find_identifiers
from biotui.stories import (
    WINDOW_SECONDS,
    StoryFeatures,
    choose,
    decode,
    encode,
    features_of,
    index_keys,
    query_keys,
    same_story,
)
from biotui.stories.events import events_of
from biotui.stories.words import lede_of

WIRE = "Kyverna Announces First Patient Dosed in Phase 2 Trial of KYV-101 in Lupus Nephritis"
TRADE = "Kyverna doses first lupus nephritis patient with CAR-T KYV-101"


def _features(title: str, body: str = "", feed: str = "a", time: float = 0.0) -> StoryFeatures:
    return features_of(title, body, feed, find_identifiers(title, body), time)


def test_the_same_event_in_two_outlets_is_one_story() -> None:
    assert same_story(_features(WIRE, feed="wire"), _features(TRADE, feed="trade", time=3600))


def test_one_feed_never_gives_two_articles_of_a_story() -> None:
    assert not same_story(_features(WIRE, feed="wire"), _features(TRADE, feed="wire"))


def test_articles_further_apart_than_the_window_are_two_stories() -> None:
    late = WINDOW_SECONDS + 1
    assert not same_story(_features(WIRE, feed="a"), _features(TRADE, feed="b", time=late))


def test_different_events_of_one_drug_are_two_stories() -> None:
    ind = _features("Kyverna receives FDA IND clearance for KYV-101 in lupus nephritis")
    assert events_of(ind_title := "FDA clears Kyverna's IND for KYV-101") == {"ind"}, ind_title
    assert not same_story(ind, _features(TRADE, feed="b"))


def test_quarterly_results_go_with_no_other_event() -> None:
    report = _features("Kyverna Reports Q3 Results and Doses First Patient with KYV-101")
    assert report.events == {"earnings"}
    assert not same_story(report, _features(TRADE, feed="b"))


def test_the_background_of_a_headline_is_not_its_event() -> None:
    assert events_of("Orsino doses first patient days after IND clearance") == {"first-dosed"}


def test_a_template_filled_with_other_names_is_another_story() -> None:
    first = _features("Lumen Announces First Patient Dosed in Phase 1 Trial of LMN-204")
    second = _features("Pyxis Announces First Patient Dosed in Phase 1 Trial of PXB-310", feed="b")
    assert not first.title & second.title  # template words are no similarity
    assert not same_story(first, second)


def test_articles_naming_different_trials_are_two_stories() -> None:
    first = _features(WIRE, "The KYSA-3 trial (NCT06342960) enrolls adults.", feed="a")
    second = _features(TRADE, "The trial (NCT06999999) enrolls adults.", feed="b")
    assert not same_story(first, second)


def test_a_journal_title_joins_its_news_by_the_doi() -> None:
    paper = _features(
        "CD19 CAR T-Cell Therapy in Refractory Systemic Lupus Erythematosus",
        "Twenty of 24 patients were in drug-free remission. DOI: 10.1056/NEJMoa2502841",
    )
    news = _features(
        "CD19 CAR T cells bring drug-free remission in refractory systemic lupus",
        "A study in NEJM (doi:10.1056/NEJMoa2502841) reports remission in lupus.",
        feed="b",
    )
    assert same_story(paper, news)


def test_choose_joins_the_oldest_story_and_merges_only_what_agrees() -> None:
    new = _features(TRADE, feed="c", time=100)
    older = _features(WIRE, feed="a")
    newer = _features(WIRE, feed="b")
    assert choose(new, [(7, newer), (3, older)]) == (3, 7)
    # Story 7 also holds an article of feed "a", like story 3: they are not merged.
    clash = _features("Kyverna doses first patient with KYV-101", feed="a")
    assert choose(new, [(7, newer), (7, clash), (3, older)]) == (3,)
    assert choose(_features("Weather in Basel", feed="z"), [(3, older)]) == ()


def test_features_survive_their_text_form() -> None:
    found = _features(WIRE, "Trial NCT06342960.", time=5.0)
    assert decode(encode(found), 5.0) == found
    trial = "trial:trial:NCT06342960"
    assert ("i", "first-dosed", trial) in index_keys(found)
    assert ("i", "first-dosed", trial) in query_keys(found)
    assert ("w", "first-dosed", "kyv101", "kyverna") in query_keys(found)
    news = _features("Kyverna news", "Trial NCT06342960.")  # no event: by its identifier
    assert not news.events and ("i", "*", trial) in query_keys(news)
    assert ("i", "-", trial) in index_keys(news)
    with pytest.raises(ValueError, match="not story features"):
        decode("[1, 2]")
    # The JSON form stores grouped before the compact one hold is still read.
    fields = (found.title, found.lede, found.ids, found.events, found.names, found.sums)
    stored = json.dumps([found.feed, *(sorted(field) for field in fields)])
    assert decode(stored, 5.0) == found


def test_the_lede_skips_the_dateline_and_markup() -> None:
    body = (
        "BOSTON, March 3, 2025 /PRNewswire/ -- **Acme Bio** ([Nasdaq: ACME](https://x.example)) "
        "today announced results. More follows. And more."
    )
    assert lede_of(body) == "Acme Bio ( Nasdaq: ACME ) today announced results. More follows."
