"""Fuzzing the clipping reader: any text gives a safe article or a SourceError, in linear time.

Strategies build text that looks like real clippings (a date and section header, a dateline
lede, credit lines, a ``Source:`` line) salted with controls, escape sequences, bidi overrides,
odd line breaks and long runs of the patterns that once took quadratic time. See
:mod:`.profiles` for a long session (``BIOTUI_FUZZ=1``).
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from biotui.errors import SourceError
from biotui.model import Article
from biotui.plaintext import clean_multiline, clean_text
from biotui.sources.clipping import MAX_NAME_CHARS, MAX_TITLE_CHARS, parse_clipping
from biotui.sources.dates import parse_date
from biotui.sources.local import decode_text, read_file

from .profiles import FUZZING, scaled

# What may never reach a shown field: C0 and C1 controls, DEL, ESC, bidi controls, BOMs, lone
# surrogates and Unicode line separators; the body keeps only \n and \t.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ufeff\ud800-\udfff\u2028\u2029]")
_UNSAFE_BODY = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ufeff\ud800-\udfff\u2028\u2029]")
ONE_LINE_FIELDS = ("id", "feed", "guid", "title", "link", "author", "source", "source_title")
ONE_LINE_FIELDS += ("section", "place")

RUN_MAX = 20_000 if FUZZING else 1_500
"""The longest run of one repeated pattern (quadratic time shows long before 20,000)."""


def cpu_budget(text: str) -> float:
    """Seconds of CPU one parse may take: linear in the text, with room to spare (~1 µs per
    character is typical; quadratic time on a long run blows far past this)."""
    return 0.5 + 5e-6 * len(text)


def assert_line_safe(name: str, value: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in _UNSAFE_LINE.findall(value)})
    assert not bad, f"{name}: control characters {bad} in {value!r}"
    assert value == value.strip(), f"{name}: surrounding space in {value!r}"


def check_article(article: Article) -> None:
    """Every invariant of a clipping's article."""
    for name in ONE_LINE_FIELDS:
        assert_line_safe(name, getattr(article, name))
    for credit in article.credits:
        assert_line_safe("credit", credit)
        assert credit, "an empty credit"
        assert len(credit) <= 200, credit
    assert len(set(article.credits)) == len(article.credits), article.credits
    for note in article.notes:
        assert_line_safe("note", note)
    bad = sorted({f"U+{ord(c):04X}" for c in _UNSAFE_BODY.findall(article.body)})
    assert not bad, f"body: control characters {bad} in {article.body[:200]!r}"
    assert article.title, "empty title"
    assert len(article.title) <= max(MAX_TITLE_CHARS, MAX_NAME_CHARS) + 1, article.title
    assert len(article.section) <= MAX_NAME_CHARS + 1
    assert len(article.source) <= MAX_NAME_CHARS + 1
    assert len(article.place) <= 100
    if article.published is not None:
        assert article.published.utcoffset() == timedelta(0), article.published


def parse_within_budget(text: str) -> Article | None:
    """Parse ``text``; None for a SourceError (only allowed when nothing is left to read).

    Anything else raised fails the test, and so does a parse slower than :func:`cpu_budget`
    twice in a row (a garbage collection of the fuzzer's heap can stall one parse; quadratic
    time stalls every one).
    """
    article, elapsed = _timed_parse(text)
    if elapsed > cpu_budget(text):
        article, elapsed = _timed_parse(text)
    assert elapsed <= cpu_budget(text), f"{elapsed:.2f} s of CPU for {len(text):,} characters"
    # An error exactly when no line holds anything a reader would see.
    assert (article is None) == (not clean_multiline(text).strip())
    if article is not None:
        check_article(article)
    return article


def _timed_parse(text: str) -> tuple[Article | None, float]:
    gc.disable()
    started = time.process_time()
    try:
        article: Article | None = parse_clipping(text, feed="Clippings", guid="fuzz.txt")
    except SourceError as exc:
        assert str(exc) == "empty clipping"
        article = None
    finally:
        elapsed = time.process_time() - started
        gc.enable()
    return article, elapsed


# strategies -----------------------------------------------------------------------------------

HOSTILE = st.sampled_from(
    [
        "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1b[2J", "\x1b[?1049h",
        "\x1b]0;pwned\x07", "\x1b]8;;https://evil.example\x1b\\", "\x1bP+q\x1b\\", "\x1b_x",
        "\x1b]0;", "\x9b1m", "\x9d0;t\x9c", "\x85", "\x7f", "\u202e", "\u202a", "\u2066",
        "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff", "\ud800", "\udfff", "\ud83e",
        "\r", "\r\n", "\n\r", "\u2028", "\u2029", "\x1c", "\x1d", "\x1e", "\x1f", "\t",
        "\u0301", "\u200b", "\xa0", "\u3000", "\u00ad", "[@click=app.quit]x", "[/]", "[b]",
        "<script>alert(1)</script>", "&amp;", "&#27;", "：", "\\", "`", "*", "_", "#", "> ",
        "1. ", "- ", "|", "\U0001f9ec", "𝐀",
    ]
)  # fmt: skip
SEPARATORS = st.sampled_from(
    [" — ", "—", " —", "— ", " – ", "– ", " –", "–", " - ", " -- ", "-", "--", " —  — ",
     "\u2014\u2014", " ‒ ", " ― ", " − ", "  —\t", " \u2013\u00a0"]
)  # fmt: skip
WORDS = st.sampled_from(
    [
        "Boston", "Shanghai", "China", "Global", "CARsgen", "Therapeutics", "said", "the",
        "The", "first", "patient", "lupus", "CAR-T", "KJ-C2219", "Inc.", "Ltd.", "Dr.",
        "Prof.", "U.S.", "e.g.", "i.e.", "J.", "No.", "vs.", "St.", "Mt.", "a.m.", "Ph.D.",
        "2023–2024", "10:30", "Photo", "Image", "Source", "Source:", "Courtesy", "of", "by",
        "©", "München", "日本", "ε4", "(", ")", '"', "“", "”", "’", "'", "...", "…", "?", "!",
        ".", ",", ";", ":", "/", "Foto", "Credit:", "Quelle", "Sept.", "Feb.", "2026", "12",
        "12th", "de", "an", "It", "we", "A", "x" * 45, "ÉTUDE", "İ", "ß", "ǅ",
    ]
)  # fmt: skip
FRAGMENT = st.one_of(
    WORDS,
    WORDS,
    WORDS,
    SEPARATORS,
    HOSTILE,
    st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12),
    st.text(max_size=8),
)


def phrase(max_words: int = 12) -> st.SearchStrategy[str]:
    """Words and oddities joined by spaces (sometimes by nothing, sometimes by runs)."""
    joiner = st.sampled_from([" ", " ", " ", "", "  ", "\t", " \xa0"])
    return st.tuples(st.lists(FRAGMENT, max_size=max_words), joiner).map(
        lambda parts: parts[1].join(parts[0])
    )


MONTHS = st.sampled_from(
    [
        "January", "February", "Feb", "Feb.", "March", "MARCH", "mar", "April", "May", "June",
        "Juni", "juin", "July", "August", "août", "aout", "Sept", "September", "Sept.",
        "October", "Oktober", "November", "noviembre", "December", "décembre", "dicembre",
        "Mai", "Mayo", "Januar", "Febtober", "Smarch", "Ⅻ", "ſeptember",
    ]
)  # fmt: skip
YEARS = st.one_of(
    st.sampled_from(["2026", "2024", "1999", "0000", "0001", "0099", "1900", "9999", "10000"]),
    st.integers(0, 99_999).map(str),
)
DAYS = st.tuples(
    st.one_of(st.integers(0, 40), st.sampled_from([99, 100, 2**31])),
    st.sampled_from(["", "st", "nd", "rd", "th", "er", "."]),
).map(lambda t: f"{t[0]}{t[1]}")
TIMES = st.tuples(st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)).map(
    lambda t: f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"
)
OFFSETS = st.sampled_from(
    ["", "Z", "+00:00", "+23:59", "-23:59", "+14:00", "-12:00", "+24:00", "+0530"]
)
ZONES = st.sampled_from(["GMT", "UT", "UTC", "EST", "PDT", "+0000", "+2359", "-2359", "-0100"])
WEEKDAYS = st.sampled_from(["", "Mon, ", "Thu, ", "Fri, ", "Xyz, "])
MM = st.integers(0, 13).map(lambda m: f"{m:02d}")

DATES = st.one_of(
    st.tuples(MONTHS, st.sampled_from([" ", ", ", ",  "]), YEARS).map("".join),
    st.tuples(
        DAYS, st.sampled_from([" ", " de "]), MONTHS, st.sampled_from([" ", " de "]), YEARS
    ).map("".join),
    st.tuples(MONTHS, DAYS, YEARS).map(lambda t: f"{t[0]} {t[1]}, {t[2]}"),
    st.tuples(YEARS, MM).map(lambda t: f"{t[0]}-{t[1]}"),
    st.tuples(YEARS, MM, MM).map(lambda t: f"{t[0]}-{t[1]}-{t[2]}"),
    st.tuples(YEARS, MM, MM, st.sampled_from(["T", " "]), TIMES, OFFSETS).map(
        lambda t: f"{t[0]}-{t[1]}-{t[2]}{t[3]}{t[4]}{t[5]}"
    ),
    st.tuples(WEEKDAYS, DAYS, MONTHS, YEARS, TIMES, ZONES).map(
        lambda t: f"{t[0]}{t[1]} {t[2][:3]} {t[3]} {t[4]} {t[5]}"
    ),
    phrase(4),
)
HEADERS = st.one_of(
    st.tuples(DATES, SEPARATORS, phrase(6)).map("".join),
    st.tuples(phrase(6), SEPARATORS, DATES).map("".join),
    DATES,
    phrase(8),
)
PLACES = st.one_of(
    st.sampled_from(
        ["Boston", "Shanghai, China / Global", "SILVER SPRING, Md.", "The lab", "É", "x" * 101]
    ),
    phrase(14),
)
LEDES = st.tuples(PLACES, SEPARATORS, phrase(25)).map("".join)
CREDIT_FORMS = st.sampled_from(
    [
        "Photo by {} on Unsplash", "Photo: {}/Agency", "Photo: {}", "Photos: {}", "Image: {}",
        "Image credit: {}", "Credit: {}", "Credits : {}", "Photo courtesy of {}", "Foto: {}",
        "(Photo: {})", "*Photo: {}*", "[Image: {}]", "© {}", "©{}", "Courtesy of {}",
        "Courtesy: {}", "Bildnachweis: {}", "Фото: {}", "Photographs by {}", "Picture via {}",
        "Photographer: {}", "Crédito： {}", "Foto di {}", "Photo taken by {}", "photo:{}",
        "Illustration from {}", "{}",
    ]
)  # fmt: skip
NAMES = st.one_of(phrase(5), st.text(max_size=300), st.just("x" * 250))
CREDITS = st.tuples(CREDIT_FORMS, NAMES).map(lambda t: t[0].format(t[1]))
SOURCE_LABELS = st.sampled_from(
    ["Source:", "Source: ", "Sources :", "SOURCE：", "Quelle:", "Fuente: ", "Fonte:", "Bron:",
     "source:", "Source", "Sources:"]
)  # fmt: skip
SOURCE_LINES = st.one_of(
    st.tuples(SOURCE_LABELS, phrase(15), SEPARATORS, phrase(6)).map("".join),
    st.tuples(SOURCE_LABELS, phrase(15)).map("".join),
    st.tuples(SOURCE_LABELS, st.lists(st.tuples(phrase(4), SEPARATORS), max_size=6)).map(
        lambda t: t[0] + "".join(a + b for a, b in t[1])
    ),
)
RUN_PATTERNS = st.sampled_from(
    [
        "Dr. ", "Dr.", " ", "  ", "-", " - ", "— ", " —", "—", "–", " – ", " -- ", "A. ",
        "U.S. ", "Dr. A ", ". ", "x.", "a.", "Photo: ", "Source: ", "Source: a — ",
        "Courtesy of ", "\xa0", "\t", "(", "“", '"', "Jan. ", "Inc. ", "e.g. ", "Feb ",
        "\x1b[", "\x1b]", "\u202e", "\r", "\r\n", "\n", ". A", "? ", "!\" ", "(Dr.) ", "© ",
        "Boston — ", "February 2026 — ", "a - b ", "1. ", "\\", "*", "_", "ab", "é", "e\u0301",
    ]
)  # fmt: skip
RUNS = st.tuples(
    st.sampled_from(["", "Boston — ", "Source: ", "February 2026 — ", "x. ", "Photo: "]),
    RUN_PATTERNS,
    st.integers(1, RUN_MAX),
    st.sampled_from(["", "x. Next.", " — STAT", " February 2026", "end", " A"]),
).map(lambda t: t[0] + t[1] * t[2] + t[3])

BODY_LINES = st.one_of(phrase(30), CREDITS, HOSTILE, st.text(max_size=200), st.just(""))
ANY_LINE = st.one_of(BODY_LINES, HEADERS, LEDES, SOURCE_LINES, RUNS)
LINE_ENDS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n", "\n \t\n"])


def _join(lines: list[tuple[str, str]]) -> str:
    return "".join(line + end for line, end in lines)


def _shaped(
    bom: str, header: list[str], lede: str, body: list[str], source: list[str], ends: list[str]
) -> str:
    lines = [*header, lede, *body, *source]
    ends = ends + ["\n"] * (len(lines) - len(ends))
    return bom + "".join(line + end for line, end in zip(lines, ends, strict=False))


# A clipping in the documented order: BOM?, header, lede, paragraphs and credits, Source line.
SHAPED = st.builds(
    _shaped,
    st.sampled_from(["", "", "\ufeff", "\ufeff\ufeff"]),
    st.lists(HEADERS, max_size=1),
    LEDES,
    st.lists(st.one_of(BODY_LINES, RUNS), max_size=8),
    st.lists(SOURCE_LINES, max_size=1),
    st.lists(LINE_ENDS, max_size=12),
)
# Any kind of line in any order.
JUMBLED = st.lists(st.tuples(ANY_LINE, LINE_ENDS), max_size=12).map(_join)
CLIPPINGS = st.one_of(SHAPED, JUMBLED, RUNS, st.text())


# properties -----------------------------------------------------------------------------------


@scaled(300)
@given(CLIPPINGS)
@example("31 Dec 9999 23:59:59 -0100 — Section\nBoston — A lede. More.")
@example("Fri, 31 Dec 9999 23:59:59 -2359\nBody.")
@example("1 Jan 0001 00:00:00 +0100\nBody.")
@example("9999-12-31T23:59:59-23:59 — Notes\nBody.")
@example("\x1b]0;x\rvisible")
@example("\x1b]0;\u2028abc")
@example("\u2028\u2029\r\n\t \xa0\u3000\x1b[31m\ufeff")
def test_any_text_gives_a_safe_article_or_source_error(text: str) -> None:
    parse_within_budget(text)


@scaled(100)
@given(RUNS)
def test_long_runs_take_linear_time(text: str) -> None:
    parse_within_budget(text)


@pytest.mark.parametrize(
    "pattern", ["Dr. ", "Dr. A ", "U.S. ", " ", " - ", "— ", "Courtesy of ", "Source: a — "]
)
@pytest.mark.parametrize(
    "layout", ["Boston — {}x. Next.", "Body.\nSource: {} — Publisher", "{} February 2025\nBody."]
)
def test_the_patterns_that_once_took_quadratic_time(pattern: str, layout: str) -> None:
    """About 200,000 characters of each: quadratic time would take minutes."""
    parse_within_budget(layout.format(pattern * (200_000 // len(pattern))))


# Safe parts for the shaped property below: they hold no dash, date, credit label or
# Markdown character, so the reader must find each where it was put.
SAFE_WORDS = st.sampled_from(
    ["lupus", "trial", "patients", "cells", "dosed", "company", "results", "new", "kidney",
     "first", "data", "weeks", "München", "ε4", "日本", "Nephritis", "Reported", "Study"]
)  # fmt: skip
SAFE_CONTROLS = st.sampled_from(["", "", "", " \x1b[31m ", " \u202e ", " \x00 ", " \x9b1m "])


def safe_phrase(min_words: int, max_words: int) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(SAFE_WORDS, SAFE_CONTROLS), min_size=min_words, max_size=max_words)


def _spoken(parts: list[tuple[str, str]]) -> str:
    """The words, with their controls between them (never after the last)."""
    return " ".join([word + control for word, control in parts[:-1]] + [parts[-1][0]])


@scaled(150)
@given(
    month=st.integers(1, 12),
    year=st.integers(1900, 2100),
    section=safe_phrase(1, 4),
    place=st.sampled_from(["Boston", "Shanghai, China / Global", "Basel", "São Paulo"]),
    lede=safe_phrase(2, 10),
    paragraphs=st.lists(safe_phrase(1, 12), max_size=4),
    credits=st.lists(
        st.tuples(
            st.sampled_from(["Photo by {} on Unsplash", "Photo: {}/Agency", "Foto: {}"]),
            safe_phrase(1, 3),
        ),
        max_size=3,
        unique_by=lambda t: (t[0], _spoken(t[1])),
    ),
    headline=safe_phrase(1, 10),
    publisher=safe_phrase(1, 3),
    dash=st.sampled_from([" — ", " – ", " - "]),
    newline=st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_a_shaped_clipping_reads_as_written(
    month: int,
    year: int,
    section: list[tuple[str, str]],
    place: str,
    lede: list[tuple[str, str]],
    paragraphs: list[list[tuple[str, str]]],
    credits: list[tuple[str, list[tuple[str, str]]]],
    headline: list[tuple[str, str]],
    publisher: list[tuple[str, str]],
    dash: str,
    newline: str,
) -> None:
    month_name = datetime(2000, month, 1).strftime("%B")
    credit_lines = [form.format(_spoken(name)) for form, name in credits]
    lines = [
        f"{month_name} {year}{dash}{_spoken(section)}",
        f"{place}{dash}{_spoken(lede)}.",
        *[_spoken(p) for p in paragraphs[:2]],
        *credit_lines,
        *[_spoken(p) for p in paragraphs[2:]],
        f"Source: {_spoken(headline)}{dash}{_spoken(publisher)}",
    ]
    article = parse_within_budget(newline.join(lines))
    assert article is not None
    assert article.published == datetime(year, month, 1, tzinfo=UTC)
    assert article.section == clean_text(_spoken(section))
    assert article.place == place
    assert article.title == clean_text(_spoken(headline))
    assert article.source == clean_text(_spoken(publisher))
    assert article.credits == tuple(clean_text(line) for line in credit_lines)
    for line in credit_lines:
        assert clean_text(line) not in article.body
    assert "Source:" not in article.body
    assert article.body.startswith(f"{place}{dash.rstrip()} {clean_text(_spoken(lede))}.")
    for paragraph in paragraphs:
        assert clean_text(_spoken(paragraph)) in article.body


# decoding and reading files -------------------------------------------------------------------

TEXT_NO_SURROGATES = st.text(st.characters(exclude_categories=("Cs",)))
CODECS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])


@scaled(300)
@given(st.binary(max_size=600))
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf\xff")
@example(b"M\x00\xfc\x00n\x00")
@example(b"\x00" * 9000)
def test_decode_text_never_raises(data: bytes) -> None:
    text = decode_text(data)
    assert isinstance(text, str)
    if not data.startswith(b"\xef\xbb\xbf"):
        try:
            expected = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        assert text == expected  # valid UTF-8 is read as it is


@scaled(200)
@given(TEXT_NO_SURROGATES, CODECS)
def test_decode_text_reads_unicode_with_a_bom(text: str, codec: str) -> None:
    data = text.encode(codec)
    if codec == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        text = text[1:]  # a leading U+FEFF is a BOM
    # UTF-16-LE's BOM and a NUL are UTF-32-LE's BOM: such text is not told apart.
    assume(not (codec == "utf-16" and data.startswith(b"\xff\xfe\x00\x00")))
    assert decode_text(data) == text


def _encoded(text: str, codec: str) -> bytes:
    """``text`` in ``codec``; lone surrogates and what the codec lacks become replacements."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.encode(codec, errors="replace")


FILE_BYTES = st.one_of(
    st.binary(max_size=600),
    st.tuples(
        CLIPPINGS, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"])
    ).map(lambda t: _encoded(*t)),
    st.tuples(CLIPPINGS, st.sampled_from(["<rss>", '<?xml version="1.0"?><feed>', "<html>"])).map(
        lambda t: (t[1] + t[0]).encode("utf-8", "surrogatepass")
    ),
    st.just(b"\x00binary\x00" * 10),
)


@scaled(150)
@given(FILE_BYTES)
@example("31 Dec 9999 23:59:59 -0100 — Section\nBody.".encode())
def test_read_file_gives_safe_articles_or_a_source_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = _fuzz_file(tmp_path_factory)
    path.write_bytes(data)
    check_read(lambda: read_file(path, "Clippings"))


_FILES: dict[str, Path] = {}


def _fuzz_file(factory: pytest.TempPathFactory) -> Path:
    if "txt" not in _FILES:
        _FILES["txt"] = factory.mktemp("fuzz") / "clip [@click=app.quit]\u202e.txt"
    return _FILES["txt"]


def check_read(read: Callable[[], list[Article]]) -> None:
    """``read()`` gives safe articles, or a SourceError of its own (not a reader's crash
    that ``read_file`` turned into a SourceError)."""
    try:
        articles = read()
    except SourceError as exc:
        assert exc.__cause__ is None, f"a reader crashed: {exc.__cause__!r}"
        assert_line_safe("error", str(exc))
        return
    for article in articles:
        for name in ONE_LINE_FIELDS:
            assert_line_safe(name, getattr(article, name))
        for value in (*article.credits, *article.notes):
            assert_line_safe("credit or note", value)
        assert not _UNSAFE_BODY.search(article.body), article.body[:200]
        assert article.title


# crashes the fuzzer found, kept as plain tests ------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "2147483648 JAN 0 0:0 GMT",  # a day past C's int: OverflowError in parsedate_to_datetime
        "Fri, 31 Dec 9999 23:59:59 -2359",  # the last day, west of UTC: out of range in UTC
        "31 Dec 9999 23:59:59 -0100",
    ],
)
def test_dates_out_of_range_are_no_dates(date: str) -> None:
    assert parse_date(date) is None
    article = parse_clipping(f"{date} — Section\nBoston — A lede. More.", feed="F", guid="g")
    assert article.published is None
    check_article(article)


def test_odd_length_bytes_with_a_nul_decode(tmp_path: Path) -> None:
    """An odd number of bytes with a NUL in them once raised IndexError in the UTF-16 sniff."""
    data = b"\x00\x01\x00\x01\x80"
    assert decode_text(data) == data.decode("cp1252", errors="strict")
    path = tmp_path / "odd.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError, match="binary content, not text") as raised:
        read_file(path, "F")
    assert raised.value.__cause__ is None
