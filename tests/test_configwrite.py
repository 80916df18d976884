"""Feeds written into a configuration file keep its layout: comments stay, tables stand apart."""

from __future__ import annotations

from pathlib import Path

from biotui.config import load_config
from biotui.configwrite import add_to_config
from biotui.feedlist import ImportedFeed


def test_an_added_feed_stands_apart_from_a_table_written_without_a_blank_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('# mine\n[[feeds]]\nname = "Lab"\nurl = "https://lab.example/rss"\n')
    add_to_config(
        path, ImportedFeed("Trials", "https://t.example/feed", ("trials",)), built_in=False
    )
    text = path.read_text()
    assert text.startswith('# mine\n[[feeds]]\nname = "Lab"\nurl = "https://lab.example/rss"\n\n')
    assert (
        '\n\n[[feeds]]\nname = "Trials"\nurl = "https://t.example/feed"\ntags = ["trials"]\n'
        in text
    )
    assert [feed.name for feed in load_config(path).feeds] == ["Lab", "Trials"]
