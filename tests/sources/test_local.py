"""Tests for local files: decoding, walking folders and globs, picking the reader."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from biotui.errors import SourceError
from biotui.model import article_id
from biotui.sources import decode_text, feed_root, iter_files, read_file
from biotui.sources import local as local_module

from .helpers import DATA

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Saved</title>
<item><title>Saved item</title><guid>saved-1</guid><link>https://s.example/1</link></item>
</channel></rss>"""
JSON_FEED = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "J",'
    b' "items": [{"id": "j1", "title": "From JSON"}]}'
)


# decode_text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "München – ε4".encode(),
        b"\xef\xbb\xbf" + "München – ε4".encode(),
        "München – ε4".encode("utf-16"),
        "München – ε4".encode("utf-16-be").join([b"\xfe\xff", b""]),
        "München – ε4".encode("utf-32"),
    ],
)
def test_decode_unicode(data: bytes) -> None:
    assert decode_text(data) == "München – ε4"


def test_decode_legacy_8bit_never_loses_letters() -> None:
    assert decode_text("München".encode("latin-1")) == "München"
    assert decode_text("“Grüße” – café".encode("cp1252")) == "“Grüße” – café"
    # 0x81 is undefined in cp1252: Latin-1 takes over and still keeps every letter.
    assert decode_text(b"M\xfcnchen \x81") == "München \x81"


# iter_files -----------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "b-dir" / "nested").mkdir(parents=True)
    (root / ".hidden-dir").mkdir()
    for name in ("z.txt", "a.md", "c.html", "feed.xml", "notes.docx", ".hidden.txt"):
        (root / name).write_text("x", encoding="utf-8")
    (root / "b-dir" / "one.txt").write_text("x", encoding="utf-8")
    (root / "b-dir" / "nested" / "deep.json").write_text("{}", encoding="utf-8")
    (root / ".hidden-dir" / "secret.txt").write_text("x", encoding="utf-8")
    return root


def names(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_folder_is_walked_recursively_sorted_skipping_hidden_and_unknown(tree: Path) -> None:
    assert names(list(iter_files(str(tree))), tree) == [
        "a.md",
        "b-dir/nested/deep.json",
        "b-dir/one.txt",
        "c.html",
        "feed.xml",
        "z.txt",
    ]


def test_single_file_is_yielded_whatever_its_type(tree: Path) -> None:
    assert list(iter_files(str(tree / "notes.docx"))) == [tree / "notes.docx"]


def test_glob(tree: Path) -> None:
    assert names(list(iter_files(str(tree / "*.txt"))), tree) == ["z.txt"]
    assert names(list(iter_files(str(tree / "**" / "*.txt"))), tree) == ["b-dir/one.txt", "z.txt"]
    assert list(iter_files(str(tree / "*.nothing"))) == []


def test_glob_matching_folders_walks_them(tree: Path) -> None:
    assert names(list(iter_files(str(tree / "b-*"))), tree) == [
        "b-dir/nested/deep.json",
        "b-dir/one.txt",
    ]


def test_path_with_glob_characters_that_exists_is_literal(tmp_path: Path) -> None:
    folder = tmp_path / "news [old]"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    assert list(iter_files(str(folder))) == [folder / "a.txt"]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        list(iter_files(str(tmp_path / "missing")))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loops_are_safe(tree: Path) -> None:
    (tree / "b-dir" / "nested" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "b-dir" / "self").symlink_to(tree / "b-dir", target_is_directory=True)
    found = names(list(iter_files(str(tree))), tree)
    assert found == sorted(set(found), key=found.index)  # no file twice
    assert len(found) == 6


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_broken_symlink_is_yielded_and_reading_it_says_why(tree: Path) -> None:
    (tree / "dangling.txt").symlink_to(tree / "nowhere.txt")
    (tree / "dangling.docx").symlink_to(tree / "nowhere.docx")
    found = names(list(iter_files(str(tree))), tree)
    assert "dangling.txt" in found and "dangling.docx" not in found
    with pytest.raises(SourceError, match=r"dangling\.txt: cannot read: No such file"):
        read_file(tree / "dangling.txt", "F")


# read_file ------------------------------------------------------------------------------------


def test_clipping_file(tmp_path: Path) -> None:
    path = tmp_path / "wegovy.txt"
    shutil.copy(DATA / "wegovy-clipping.txt", path)
    (article,) = read_file(path, "Clippings")
    resolved = path.resolve()
    assert article.guid == "wegovy.txt"  # without a root: the file's name
    assert article.id == article_id("Clippings", "wegovy.txt")
    assert article.link == resolved.as_uri()
    assert article.link.startswith("file://")
    assert article.source == "U.S. FDA"
    assert read_file(path, "Clippings")[0].id == article.id  # stable across reads


def test_latin1_clipping_file() -> None:
    (article,) = read_file(DATA / "morphosys-latin1-clipping.txt", "Clippings")
    assert article.place == "München, Germany"


def test_markdown_and_html_files(tmp_path: Path) -> None:
    md = tmp_path / "note.markdown"
    md.write_text("# Note title\n\nBody.", encoding="utf-8")
    assert read_file(md, "F")[0].title == "Note title"
    (page,) = read_file(DATA / "casgevy-page.html", "F")
    assert page.source == "Example Bio Wire"
    assert page.guid == "casgevy-page.html"


def test_saved_feed_files(tmp_path: Path) -> None:
    for suffix in (".xml", ".rss", ".atom", ".rdf"):
        path = tmp_path / f"saved{suffix}"
        path.write_bytes(RSS)
        (article,) = read_file(path, "F")
        assert article.guid == "saved-1"
        assert article.link == "https://s.example/1"
    json_path = tmp_path / "feed.json"
    json_path.write_bytes(JSON_FEED)
    assert read_file(json_path, "F")[0].title == "From JSON"


def test_content_sniffing_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "actually-rss.txt"
    path.write_bytes(b"\xef\xbb\xbf\n" + RSS)
    assert read_file(path, "F")[0].guid == "saved-1"
    page = tmp_path / "actually-rss.html"
    page.write_bytes(RSS)
    assert read_file(page, "F")[0].guid == "saved-1"


def test_feed_warnings_are_collected(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(RSS.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY a "b">]><rss'))
    warnings: list[str] = []
    assert read_file(path, "F", warnings=warnings)
    assert "entity declarations removed" in warnings


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.docx", b"x", "unsupported file type '.docx'"),
        ("README", b"x", "unsupported file type '(no extension)'"),
        ("subs.xml", b'<opml version="2.0"><body/></opml>', "<opml>"),
        ("data.json", b'{"not": "a feed"}', "not a JSON Feed"),
        ("list.json", b"[1, 2]", "not a feed"),
        ("empty.txt", b"", "empty"),
        ("empty.html", b"  ", "empty"),
        ("binary.html", b"\x00\x01binary\xff" * 10, "binary"),
        ("binary.txt", b"PK\x03\x04\x00\x00zip", "binary"),
    ],
)
def test_unreadable_files_raise_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        read_file(path, "F")
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_missing_and_directory_paths_raise(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_file(tmp_path / "gone.txt", "F")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(SourceError, match="cannot read"):
        read_file(folder, "F")


def test_too_large_feed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_module, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.xml"
    path.write_bytes(RSS)
    with pytest.raises(SourceError, match="too large"):
        read_file(path, "F")


def test_too_large_text_file_is_cut_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_module, "MAX_TEXT_BYTES", 39)  # cuts "ü" (two bytes) in half
    path = tmp_path / "big.txt"
    text = "June 2024 — N\nBoston — A body in München that is longer than forty bytes."
    path.write_text(text, encoding="utf-8")
    (article,) = read_file(path, "F")
    assert article.body == "Boston — A body in M"  # and not "Ã" or "\ufffd"
    size = len(text.encode())
    assert article.notes == (f"file cut to its first 39 of {size} bytes before reading",)


def test_an_unexpected_reader_failure_is_a_source_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("reader bug")

    monkeypatch.setattr(local_module, "parse_clipping", broken)
    path = tmp_path / "a.txt"
    path.write_text("June 2024 — N\nBody.", encoding="utf-8")
    with pytest.raises(SourceError, match=r"a\.txt: could not be read \(KeyError"):
        read_file(path, "F")


# guids of local files: relative to the feed's root -----------------------------------------


def guids(spec: str, feed: str = "Clips") -> dict[str, str]:
    """Each file's guid -> id, read as a refresh reads ``spec``."""
    root = feed_root(spec)
    return {
        article.guid: article.id
        for path in iter_files(spec)
        for article in read_file(path, feed, root=root)
    }


def test_a_folder_read_from_another_place_gives_the_same_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "one" / "news"
    (first / "2024").mkdir(parents=True)
    (first / "a.txt").write_text("Alpha\n\nBody.", encoding="utf-8")
    (first / "2024" / "b.md").write_text("# Beta\n\nBody.", encoding="utf-8")
    (first / "saved.rss").write_bytes(RSS)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(first, moved)

    found = guids(str(first))
    assert found == guids(str(moved))
    assert set(found) == {"a.txt", "2024/b.md", "saved-1"}  # a saved feed keeps its guids
    assert found["a.txt"] == article_id("Clips", "a.txt")
    # The same folder through a relative path and a link gives the same ids again.
    link = tmp_path / "link"
    link.symlink_to(first, target_is_directory=True)
    assert guids(str(link)) == found
    monkeypatch.chdir(tmp_path / "one")
    assert guids("news") == found
    assert guids("news/") == found
    # The link is where the file is now.
    (article,) = read_file(moved / "a.txt", "Clips", root=moved)
    assert article.link == (moved / "a.txt").resolve().as_uri()


def test_a_glob_is_relative_to_its_fixed_prefix(tmp_path: Path) -> None:
    for base in ("here", "there"):
        folder = tmp_path / base / "clips" / "2024"
        folder.mkdir(parents=True)
        (folder / "x-one.txt").write_text("One\n\nBody.", encoding="utf-8")
        (folder.parent / "x-two.txt").write_text("Two\n\nBody.", encoding="utf-8")
    assert feed_root(str(tmp_path / "here" / "clips" / "**" / "x-*.txt")) == (
        tmp_path / "here" / "clips"
    )
    assert feed_root(str(tmp_path / "here" / "cl*ps" / "2024")) == tmp_path / "here"
    here = guids(str(tmp_path / "here" / "clips" / "**" / "x-*.txt"))
    assert set(here) == {"2024/x-one.txt", "x-two.txt"}
    assert guids(str(tmp_path / "there" / "clips" / "**" / "x-*.txt")) == here
    # The prefix ends before the first wildcard, even inside a name.
    assert set(guids(str(tmp_path / "here" / "clips" / "x-t?o.txt"))) == {"x-two.txt"}
    assert set(guids(str(tmp_path / "here" / "cl*" / "x-*.txt"))) == {"clips/x-two.txt"}


def test_a_single_file_is_known_by_its_name(tmp_path: Path) -> None:
    for base in ("a", "b"):
        (tmp_path / base).mkdir()
        shutil.copy(DATA / "wegovy-clipping.txt", tmp_path / base / "wegovy.txt")
    spec_a, spec_b = str(tmp_path / "a" / "wegovy.txt"), str(tmp_path / "b" / "wegovy.txt")
    assert feed_root(spec_a) == tmp_path / "a"
    assert guids(spec_a) == guids(spec_b) == {"wegovy.txt": article_id("Clips", "wegovy.txt")}
