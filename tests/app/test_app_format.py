"""The small pure helpers behind the list and the article pane."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len

from biotui.app.format import (
    fit,
    is_openable_link,
    list_date,
    long_date,
    one_line,
    shorten_markdown,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_fit_pads_cuts_and_counts_wide_characters() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"
    assert fit("abc", 0) == ""
    assert cell_len(fit("抗体医薬品のニュース", 7)) == 7
    assert fit("抗体医薬品のニュース", 7).endswith("…")


def test_list_date_long_and_short() -> None:
    noon = datetime(2026, 2, 12, 12, tzinfo=UTC)
    assert list_date(noon, now=NOW, short=False) == noon.astimezone().strftime("%Y-%m-%d")
    short = list_date(noon, now=NOW, short=True)
    assert short.startswith("Feb") and len(short) <= 7
    last_year = datetime(2025, 2, 12, 12, tzinfo=UTC)
    assert list_date(last_year, now=NOW, short=True) == "2025-02"
    assert list_date(None, now=NOW, short=True) == ""


def test_long_date() -> None:
    assert long_date(None) == ""
    noon = datetime(2026, 2, 12, 12, tzinfo=UTC)
    assert long_date(noon) == noon.astimezone().strftime("%Y-%m-%d %H:%M")


def test_a_bare_date_stays_on_its_day_in_every_time_zone() -> None:
    midnight = datetime(2025, 6, 1, tzinfo=UTC)
    assert long_date(midnight) == "2025-06-01"
    assert list_date(midnight, now=NOW, short=False) == "2025-06-01"
    assert list_date(midnight, now=NOW, short=True) == "2025-06"


def test_one_line_removes_controls_and_keeps_markup_characters() -> None:
    assert one_line("a\x1b[31mb\nc\u202e [/]") == "ab c [/]"


def test_only_web_mail_and_file_links_open() -> None:
    assert is_openable_link("https://example.org")
    assert is_openable_link("HTTP://example.org")
    assert is_openable_link("mailto:a@example.org")
    assert is_openable_link("file:///tmp/x.txt")
    assert not is_openable_link("javascript:alert(1)")
    assert not is_openable_link("")
    assert not is_openable_link("/relative")


def test_shorten_markdown_cuts_at_a_paragraph() -> None:
    body = "\n\n".join("x" * 40 for _ in range(10))
    assert shorten_markdown(body, 10_000) == (body, False)
    short, cut = shorten_markdown(body, 100)
    assert cut
    assert short == "x" * 40 + "\n\n" + "x" * 40
    long_line = "y" * 500
    short, cut = shorten_markdown(long_line, 100)
    assert cut and short == "y" * 100
