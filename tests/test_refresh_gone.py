"""A file deleted from a folder feed takes its article with it, unless starred; a walk that
cannot be trusted (missing folder, glob matching nothing) removes nothing and says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from biotui.model import Feed, article_id
from biotui.refresh import refresh_all
from biotui.store import Store
from refresh_helpers import config_for, titles


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as opened:
        yield opened


def clippings(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(f"{name}\n\nThe {name} story.", encoding="utf-8")


def test_a_deleted_clipping_takes_its_article_unless_starred(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "news"
    clippings(folder, "Alpha", "Beta", "Gamma")
    config = config_for(tmp_path, Feed("Clips", path=str(folder)))
    (first,) = refresh_all(config, store)
    assert first.error is None and first.counts.new == 3
    store.set_starred(article_id("Clips", "Gamma.txt"), True)

    (folder / "Alpha.txt").unlink()
    (folder / "Gamma.txt").unlink()
    (second,) = refresh_all(config, store)
    assert second.error is None
    assert "1 article of deleted files removed" in second.warnings
    assert titles(store) == ["Beta", "Gamma"]
    assert set(store.file_signatures("Clips")) == {str(folder / "Beta.txt")}
    assert store.counts()["Clips"] == (2, 2)

    (third,) = refresh_all(config, store)  # nothing more to remove, nothing said
    assert third.warnings == () and titles(store) == ["Beta", "Gamma"]


def test_a_folder_renamed_away_removes_nothing_and_says_why(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "news"
    clippings(folder, "Alpha", "Beta")
    config = config_for(tmp_path, Feed("Clips", path=str(folder)))
    refresh_all(config, store)

    folder.rename(tmp_path / "elsewhere")
    (outcome,) = refresh_all(config, store)
    assert outcome.error is not None and "no such file or folder" in outcome.error
    assert titles(store) == ["Alpha", "Beta"]
    assert len(store.file_signatures("Clips")) == 2


def test_an_emptied_folder_removes_nothing_and_says_why(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "mnt"
    clippings(folder, "Alpha", "Beta")
    config = config_for(tmp_path, Feed("Clips", path=str(folder)))
    refresh_all(config, store)

    for path in folder.iterdir():  # what an unmounted mount point looks like
        path.unlink()
    (outcome,) = refresh_all(config, store)
    assert outcome.error is None
    assert any("no file found" in w and "nothing removed" in w for w in outcome.warnings)
    assert titles(store) == ["Alpha", "Beta"]


def test_a_glob_matching_nothing_removes_nothing(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "news"
    clippings(folder, "Alpha", "Beta")
    config = config_for(tmp_path, Feed("Clips", path=str(folder / "*.txt")))
    refresh_all(config, store)

    for path in folder.iterdir():
        path.rename(path.with_suffix(".bak"))
    (outcome,) = refresh_all(config, store)
    assert outcome.error is None
    assert any("pattern matches no file" in w for w in outcome.warnings)
    assert titles(store) == ["Alpha", "Beta"]

    (folder / "Alpha.bak").rename(folder / "Alpha.txt")  # one match: the walk is trusted
    (again,) = refresh_all(config, store)
    assert "1 article of deleted files removed" in again.warnings
    assert titles(store) == ["Alpha"]


def test_a_moved_folder_keeps_its_marks_and_removes_nothing(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "news"
    clippings(folder / "2024", "Alpha", "Beta")
    refresh_all(config_for(tmp_path, Feed("Clips", path=str(folder))), store)
    alpha, beta = (article_id("Clips", f"2024/{name}.txt") for name in ("Alpha", "Beta"))
    store.set_read([alpha])
    store.set_starred(beta, True)

    moved = tmp_path / "archive" / "news"
    moved.parent.mkdir()
    folder.rename(moved)
    (outcome,) = refresh_all(config_for(tmp_path, Feed("Clips", path=str(moved))), store)
    assert outcome.error is None and outcome.counts.new == 0
    assert not any("removed" in warning for warning in outcome.warnings)
    (a, b) = sorted(store.headlines(list(store.list_ids().ids)), key=lambda h: h.title)
    assert (a.id, a.read, a.starred) == (alpha, True, False)
    assert (b.id, b.read, b.starred) == (beta, False, True)
    assert set(store.file_signatures("Clips")) == {
        str(moved / "2024" / "Alpha.txt"),
        str(moved / "2024" / "Beta.txt"),
    }


def test_a_deleted_saved_feed_keeps_its_entries_but_not_its_signature(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "saved"
    clippings(folder, "Alpha")
    (folder / "feed.rss").write_text(
        "<rss><channel><title>T</title><item><guid>e1</guid><title>Entry</title>"
        "<link>https://example.org/e1</link></item></channel></rss>",
        encoding="utf-8",
    )
    config = config_for(tmp_path, Feed("Saved", path=str(folder)))
    (first,) = refresh_all(config, store)
    assert first.counts.new == 2

    (folder / "feed.rss").unlink()
    (outcome,) = refresh_all(config, store)
    assert outcome.error is None
    assert titles(store) == ["Alpha", "Entry"]
    assert set(store.file_signatures("Saved")) == {str(folder / "Alpha.txt")}


def test_a_file_still_there_but_not_listed_is_kept(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "news"
    clippings(folder, "Alpha", "Beta")
    refresh_all(config_for(tmp_path, Feed("Clips", path=str(folder / "*.txt"))), store)

    # A narrower pattern no longer lists Alpha.txt, but the file is there: it is not deleted.
    narrower = config_for(tmp_path, Feed("Clips", path=str(folder / "B*.txt")))
    (outcome,) = refresh_all(narrower, store)
    assert outcome.error is None and outcome.warnings == ()
    assert titles(store) == ["Alpha", "Beta"]
