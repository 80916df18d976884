"""Tests for the readers' shared HTML stage (biotui.sources.sanitize, .body, .markup) and
biotui.plaintext: plain text, safe HTML, safe Markdown."""

from __future__ import annotations

import html.entities
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biotui.plaintext import clean_multiline, clean_text
from biotui.sources import body, markup
from biotui.sources.body import html_to_markdown
from biotui.sources.markup import collapse_blank_lines, limit_body, text_to_markdown
from biotui.sources.sanitize import html_to_text, safe_link, too_deep

CONTROLS = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


# clean_text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain title", "plain title"),
        ("[/]", "[/]"),
        ("[@click=app.quit]x", "[@click=app.quit]x"),
        ("[bold red]Hi[/bold red]", "[bold red]Hi[/bold red]"),
        ("a\x1b[31mred\x1b[0m", "ared"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("title\x1b]0;new window title\x07 rest", "title rest"),
        ("link \x1b]8;;http://evil.example\x1b\\text\x1b]8;;\x1b\\ end", "link text end"),
        ("esc\x1bc reset", "esc reset"),
        ("c1 \x9b31m \x85 \x90", "c1 31m"),
        ("\u202eevil\u202c \u2066iso\u2069 \u200emark\u200f \u061calm", "evil iso mark alm"),
        ("nul\x00 del\x7f bell\x07", "nul del bell"),
        ("  many \t spaces\n\nand\r\nlines  ", "many spaces and lines"),
        ("\ufeffbom", "bom"),
        ("surrogate \ud800 gone", "surrogate gone"),
        ("München – “quotes” ε4 日本", "München – “quotes” ε4 日本"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_does_not_unescape_entities() -> None:
    assert clean_text("AT&amp;T &lt;b&gt;") == "AT&amp;T &lt;b&gt;"


@given(st.text())
def test_clean_text_never_leaves_controls(text: str) -> None:
    cleaned = clean_text(text)
    assert not (set(cleaned) & (CONTROLS | BIDI | {"\n", "\t"}))
    assert cleaned == cleaned.strip()


# clean_multiline ------------------------------------------------------------------------------


def test_clean_multiline_keeps_newlines_and_tabs() -> None:
    assert clean_multiline("a\r\nb\rc\n\td\x1b[1m!\u2028e") == "a\nb\nc\n\td!\ne"


@given(st.text())
def test_clean_multiline_never_leaves_controls(text: str) -> None:
    assert not (set(clean_multiline(text)) & (CONTROLS - {"\n", "\t"} | BIDI | {"\r"}))


def test_clean_multiline_removes_no_printable_character() -> None:
    # Text beyond ASCII that is printable (newlines and tabs aside) is returned as it is:
    # sound only while every character it removes or converts is not printable.
    from biotui.plaintext import _CONTROLS_MULTILINE

    changed = [chr(c) for c in range(sys.maxunicode + 1) if _CONTROLS_MULTILINE.match(chr(c))]
    assert len(changed) > 2000  # the controls, bidi marks, BOM and surrogates
    assert not any(char.isprintable() for char in [*changed, "\u2028", "\u2029", "\r"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("é\u00a0b\u200d\n\tc ", "é\u00a0b\u200d\n\tc"),  # no-break space, joiner: kept
        ("é\u202eb\u2029c\x85d", "éb\ncd"),
        ("é\r\nb\x1b[1mc", "é\nbc"),
    ],
)
def test_clean_multiline_beyond_ascii(text: str, expected: str) -> None:
    assert clean_multiline(text) == expected


# safe_link ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://example.org/a", "", "https://example.org/a"),
        ("/news/1", "https://example.org/feed", "https://example.org/news/1"),
        ("javascript:alert(1)", "", ""),
        ("JaVaScRiPt:alert(1)", "https://example.org/", ""),
        ("data:text/html,x", "", ""),
        ("file:///etc/passwd", "", ""),
        ("relative/only", "", ""),
        ("  https://example.org/\x1b[31m ", "", "https://example.org/"),
    ],
)
def test_safe_link(url: str, base: str, expected: str) -> None:
    assert safe_link(url, base) == expected


def _reference_safe_link(url: str, base: str) -> str:
    """safe_link as specified, with no fast path: clean, join, then urlsplit's scheme."""
    url = clean_text(url).replace(" ", "%20")
    if not url:
        return ""
    joined_already = re.match(r"https?://[^/?#\s]", url) and not url.endswith("#")
    if base and not joined_already:
        try:
            url = urljoin(clean_text(base).replace(" ", "%20"), url)
        except ValueError:
            return ""
    try:
        return url if urlsplit(url).scheme.lower() in ("http", "https") else ""
    except ValueError:
        return ""


@pytest.mark.parametrize(
    "url",
    [
        "http://a/b",
        "https://x.org/p?q=1#f",
        "https://x.org/#",
        "http://[::1]/",
        "http://[::1",
        "https://exa]mple.org/",
        "https://例え.jp/",
        "https://x.org/a b",
        "HTTPS://X.ORG/",
        "http:///nohost",
        "http://",
        "https://x.org:99999/",
    ],
)
@pytest.mark.parametrize("base", ["", "https://example.org/feed/", "ftp://x/"])
def test_safe_link_agrees_with_urlsplit(url: str, base: str) -> None:
    assert safe_link(url, base) == _reference_safe_link(url, base)


@given(
    st.text(alphabet="hts:/[]?#.:@%ab1 例", max_size=30), st.sampled_from(["", "https://e.org/"])
)
def test_safe_link_agrees_with_urlsplit_on_any_text(url: str, base: str) -> None:
    assert safe_link("https://" + url, base) == _reference_safe_link("https://" + url, base)
    assert safe_link(url, base) == _reference_safe_link(url, base)


def test_safe_link_can_allow_file_uris() -> None:
    assert safe_link("file:///tmp/a.txt", schemes=frozenset({"file"})) == "file:///tmp/a.txt"


# html_to_markdown -----------------------------------------------------------------------------


def test_html_to_markdown_keeps_formatting() -> None:
    md = html_to_markdown(
        "<h2>Trial</h2><p>The <strong>phase 3</strong> study met its <em>primary</em> endpoint."
        "</p><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>"
    )
    assert "## Trial" in md
    assert "**phase 3**" in md
    assert "*primary*" in md
    assert "- one\n- two" in md
    assert "> quoted" in md


def test_html_to_markdown_drops_scripts_styles_and_handlers() -> None:
    md = html_to_markdown(
        "<p onclick='steal()'>Hi</p><script>steal()</script><style>p{color:red}</style>"
        "<iframe src='https://evil.example'>frame text</iframe><img src=x onerror=alert(1)>"
        "<object>obj</object><form><input value=typed><button>Press</button></form>"
    )
    assert md == "Hi"


def test_html_to_markdown_link_schemes() -> None:
    md = html_to_markdown(
        '<p><a href="javascript:alert(1)">js</a> <a href="https://ok.example/x">ok</a>'
        ' <a href="mailto:press@example.org">mail</a> <a href="data:text/html,x">data</a>'
        ' <a href="vbscript:x">vb</a></p>'
    )
    assert "javascript" not in md
    assert "data:" not in md
    assert "vbscript" not in md
    assert "[ok](https://ok.example/x)" in md
    assert "[mail](mailto:press@example.org)" in md


def test_html_to_markdown_resolves_relative_links_against_base() -> None:
    md = html_to_markdown(
        '<p><a href="/trial/42">trial</a> <img src="img/a.png" alt="chart"></p>',
        "https://news.example.org/2024/story.html",
    )
    assert "[trial](https://news.example.org/trial/42)" in md
    assert "![chart](https://news.example.org/2024/img/a.png)" in md


def test_html_to_markdown_drops_relative_links_without_base() -> None:
    md = html_to_markdown('<p><a href="/x">text</a> <img src="/y.png" alt="pic"></p>')
    assert md == "text"


def test_html_to_markdown_relative_links_of_every_form() -> None:
    md = html_to_markdown(
        '<p><a href="//cdn.example.net/a">host-relative</a> <a href="?page=2">query</a>'
        ' <a href="#notes">fragment</a> <a href="../up">up</a></p>',
        "https://news.example.org/2024/story.html",
    )
    assert "[host-relative](https://cdn.example.net/a)" in md
    assert "[query](https://news.example.org/2024/story.html?page=2)" in md
    assert "[fragment](https://news.example.org/2024/story.html#notes)" in md
    assert "[up](https://news.example.org/up)" in md


def test_html_to_markdown_bases_do_not_leak_between_threads() -> None:
    """Each thread's body resolves against its own base, however the calls interleave."""

    def convert(host: str) -> set[str]:
        html = '<p><a href="/x">x</a></p>'
        return {html_to_markdown(html, f"https://{host}.example/") for _ in range(300)}

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(convert, ["a", "b", "c", "d"] * 2))
    for host, seen in zip(["a", "b", "c", "d"] * 2, results, strict=True):
        assert seen == {f"[x](https://{host}.example/x)"}


def test_html_to_markdown_bad_base_is_harmless() -> None:
    assert html_to_markdown('<a href="/x">t</a>', "javascript:alert(1)") == "t"


def test_html_to_markdown_text_that_looks_like_markup_stays_literal() -> None:
    md = html_to_markdown(
        "<p>[@click=app.quit]x [/] 5*3 _a_ [x](javascript:y) &lt;script&gt; AT&amp;T</p>"
    )
    assert "\\[@click=app.quit\\]x" in md
    assert "5\\*3" in md
    assert "\\_a\\_" in md
    assert "\\[x\\](javascript:y)" in md
    assert "\\<script\\>" in md


def test_html_to_markdown_keeps_ordinary_punctuation_readable() -> None:
    md = html_to_markdown("<p>CAR-T costs $2.2 million (list price). Wow!</p><p>1. not a list</p>")
    assert "CAR-T costs $2.2 million (list price). Wow!" in md
    assert "1\\. not a list" in md


def test_html_to_markdown_leaves_code_alone() -> None:
    md = html_to_markdown("<pre><code>x = a-b. 2.2 [y]</code></pre><p>see <code>a-b.c</code></p>")
    assert "x = a-b. 2.2 [y]" in md
    assert "`a-b.c`" in md


def test_html_to_markdown_strips_controls_inside_html() -> None:
    md = html_to_markdown("<p>red\x1b[31m text\x1b]0;pwned\x07 \u202eevil</p>")
    assert md == "red text evil"


def test_an_escape_from_a_character_reference_keeps_the_code_span_closed() -> None:
    # nh3 decodes &#27; to ESC; removed with the next character, ESC took the closing backtick
    # and left "`<A>" for Markdown to read as a raw HTML tag.
    md = html_to_markdown("<kbd>&lt;A&gt;&#27;</kbd>")
    assert md == "`<A>`"
    assert html_to_markdown("<p>a&#27;[31m b</p>") == "a\\[31m b"


def test_references_to_controls_are_removed_wherever_they_come() -> None:
    md = html_to_markdown("<p>a&lrm;b&rlm;c &#x202e;d &#27;[2Je &#8206;f</p><p>&#13;g</p>")
    assert md == "abc d \\[2Je f\n\ng"


def test_every_named_reference_to_a_control_is_known() -> None:
    # The converted Markdown is cleaned again only when its HTML has one of these references.
    removed = {
        "&" + name
        for name, char in html.entities.html5.items()
        if clean_multiline(f"a{char}b") != f"a{char}b"
    }
    assert removed <= set(body._CONTROL_REFERENCES)


def test_odd_bodies_each_convert_on_their_own() -> None:
    bodies = [
        ("<p>one <a href='/x'>link</a></p>", "https://a.example/"),
        ("", ""),
        ("<script>only()</script>", ""),
        ("<div>" * 2000 + "deep" + "</div>" * 2000, ""),
        ("<p>two *not bold*</p><pre>`code`</pre>", ""),
        ("<p>\ue000 private use</p>", ""),
    ]
    assert [html_to_markdown(html, base) for html, base in bodies] == [
        "one [link](https://a.example/x)",
        "",
        "",
        "deep",
        "two \\*not bold\\*\n\n```\n`code`\n```",
        "\ue000 private use",
    ]


def test_one_body_that_fails_to_convert_is_its_own_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = body.sanitize_html

    def failing(html: str, base_url: str = "") -> str:
        if "bad" in html:
            raise RuntimeError("sanitizer broke")
        return real(html, base_url)

    monkeypatch.setattr(body, "sanitize_html", failing)
    with pytest.raises(RuntimeError, match="sanitizer broke"):
        html_to_markdown("<p>bad</p>")
    assert (html_to_markdown("<p>a</p>"), html_to_markdown("<b>c</b>")) == ("a", "**c**")


def test_html_to_markdown_collapses_blank_lines() -> None:
    assert "\n\n\n" not in html_to_markdown("<p>a</p><br><br><br><p>b</p>" + "<p></p>" * 5)


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("a\n\nb\n", "a\n\nb"),
        ("a \nb\t\n\nc  ", "a\nb\n\nc"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("a\n \n\t\n\nb", "a\n\nb"),
        ("a\tb c\n", "a\tb c"),
    ],
)
def test_collapse_blank_lines(markdown: str, expected: str) -> None:
    assert collapse_blank_lines(markdown) == expected


def test_html_to_markdown_empty() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("<script>only()</script>") == ""


def test_deeply_nested_html_is_bounded() -> None:
    html = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    assert too_deep(html)
    started = time.monotonic()
    assert html_to_markdown(html) == "deep text"
    assert html_to_text(html) == "deep text"
    assert time.monotonic() - started < 2


def test_nesting_just_past_the_limit_is_deep() -> None:
    assert too_deep("<i>" * 11, limit=10)
    assert not too_deep("<i>" * 10 + "x" * 50, limit=10)


def test_unclosed_paragraphs_are_not_deep() -> None:
    html = "<p>para" * 5000
    assert not too_deep(html)
    assert html_to_markdown(html).count("para") == 5000


def test_html_to_text() -> None:
    assert (
        html_to_text("Example <b>Atom</b> &amp; <script>x()</script>more") == "Example Atom & more"
    )
    assert html_to_text("History of the &lt;blink&gt; tag") == "History of the <blink> tag"


# text_to_markdown -----------------------------------------------------------------------------


def test_text_to_markdown_one_paragraph_per_line() -> None:
    assert text_to_markdown("first\nsecond\nthird\n") == "first\n\nsecond\n\nthird"


def test_text_to_markdown_blank_line_paragraphs_join_wrapped_lines() -> None:
    assert text_to_markdown("one\nwrapped line\n\ntwo") == "one wrapped line\n\ntwo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("1. not a list", "1\\. not a list"),
        ("2) not a list", "2\\) not a list"),
        ("> not a quote", "\\> not a quote"),
        ("=== not setext", "\\=== not setext"),
        ("*a* _b_ `c` [d](e) <f> a|b ~g~ AT&amp;T \\", None),
        ("[@click=app.quit]x [/]", "\\[@click=app.quit\\]x \\[/\\]"),
        ("CAR-T 2.2 (x) hello!", "CAR-T 2.2 (x) hello!"),
    ],
)
def test_text_to_markdown_escapes(text: str, expected: str | None) -> None:
    md = text_to_markdown(text)
    if expected is not None:
        assert md == expected
    else:
        for char in "*_`[]<>|~&\\":
            assert f"\\{char}" in md


def test_text_to_markdown_strips_controls() -> None:
    assert text_to_markdown("a\x1b[31mb\x00c\u202e") == "abc"


# limit_body -----------------------------------------------------------------------------------


def test_limit_body(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markup, "MAX_BODY_CHARS", 10)
    assert limit_body("short") == ("short", ())
    body, notes = limit_body("x" * 25)
    assert body.startswith("x" * 10)
    assert len(body) < 25
    assert notes and "truncated" in notes[0]
