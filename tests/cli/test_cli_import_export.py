"""``biotui import`` and ``biotui export`` run in-process, with a temporary configuration."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main
from biotui.config import load_config
from biotui.paths import default_config_path

DATA = Path(__file__).resolve().parents[1] / "data" / "feedlists"

CONFIG = """# my feeds: keep this comment
[settings]
timeout = 5 # seconds

# the news I read first
[[feeds]]
name = "STAT"
url = "https://www.statnews.com/feed/"
tags = ["medicine"] # trailing comment

[[feeds]]
name = "Clips"
path = "clips"
"""

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "clips").mkdir()
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str, config: Path | None = None) -> tuple[int, str, str]:
        prefix = ["--config", str(config)] if config else []
        status = main([*prefix, "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def feeds_in(path: Path) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(f.name, f.url, f.tags) for f in load_config(path).feeds]


def test_import_merges_keeping_comments(config: Path, run: Run) -> None:
    status, out, err = run("import", str(DATA / "feedly.opml"), "--tag", "moved", config=config)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "tagged: STAT (+Biotech, moved)",
        "added: Endpoints News https://endpts.com/feed/ [Biotech, moved]",
        "added: FDA Press Releases https://www.fda.gov/about-fda/contact-fda/stay-informed/"
        "rss-feeds/press-releases/rss.xml [Regulatory, moved]",
        f"2 added, 1 given tags, 0 already there, 0 skipped; written to {config}",
    ]
    text = config.read_text(encoding="utf-8")
    for comment in (
        "# my feeds: keep this comment",
        "# seconds",
        "# the news I read first",
        "# trailing comment",
    ):
        assert comment in text
    assert feeds_in(config)[:2] == [
        ("STAT", "https://www.statnews.com/feed/", ("medicine", "Biotech", "moved")),
        ("Clips", None, ()),
    ]
    assert len(feeds_in(config)) == 4
    assert [p.name for p in config.parent.iterdir() if p.name.startswith(".")] == []

    status, out, _ = run("import", str(DATA / "feedly.opml"), "--tag", "moved", config=config)
    assert out.splitlines()[-1].startswith("0 added, 0 given tags, 3 already there")


def test_duplicates_name_clashes_and_loose_url_match(
    config: Path, run: Run, tmp_path: Path
) -> None:
    urls = tmp_path / "urls"
    urls.write_text(
        "HTTPS://WWW.STATNEWS.COM/feed medicine\n"
        "https://example.org/a.xml one ~STAT\n"
        "https://example.org/a.xml/ two\n"
        "https://user:hunter2@example.org/private.xml ~Private\n"
        "exec:~/bin/x.sh\n",
        encoding="utf-8",
    )
    status, out, err = run("import", str(urls), config=config)
    assert status == 0
    assert "hunter2" not in out + err + config.read_text(encoding="utf-8")
    assert out.splitlines() == [
        "already there: STAT",
        "added: STAT (2) https://example.org/a.xml [one, two]",
        "added: Private https://example.org/private.xml — credentials in its URL left out",
        "skipped: line 5: a newsboat exec: feed, not imported",
        f"2 added, 0 given tags, 1 already there, 1 skipped; written to {config}",
    ]


def test_dry_run_writes_nothing(config: Path, run: Run) -> None:
    status, out, _ = run("import", "--dry-run", str(DATA / "netnewswire.opml"), config=config)
    assert status == 0
    assert out.splitlines()[-1] == (
        f"2 added, 0 given tags, 0 already there, 0 skipped (dry run: {config} not written)"
    )
    assert config.read_text(encoding="utf-8") == CONFIG


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"hello there\n", "neither an OPML file nor a newsboat urls file"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>', "declares XML entities"),
    ],
)
def test_not_a_feed_list_exits_2(
    config: Path, run: Run, tmp_path: Path, body: bytes, message: str
) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(body)
    status, out, err = run("import", str(path), config=config)
    assert (status, out) == (2, "")
    assert err == f"biotui: {path}: {message}" + err.split(message, 1)[1]
    assert len(err.splitlines()) == 1
    assert config.read_text(encoding="utf-8") == CONFIG


def test_missing_file_exits_2(config: Path, run: Run, tmp_path: Path) -> None:
    status, _, err = run("import", str(tmp_path / "nope.opml"), config=config)
    assert status == 2
    assert err == f"biotui: {tmp_path / 'nope.opml'}: cannot read: No such file or directory\n"


def test_export_then_import_into_an_empty_configuration(
    config: Path, run: Run, tmp_path: Path
) -> None:
    run("import", str(DATA / "netnewswire.opml"), config=config)
    status, out, err = run("export", config=config)
    assert status == 0
    assert err == "biotui: local feeds are not exported: Clips\n"
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    exported = tmp_path / "out.opml"
    assert run("export", "-o", str(exported), config=config)[0] == 0
    assert exported.read_text(encoding="utf-8") == out

    empty = tmp_path / "empty" / "feeds.toml"
    empty.parent.mkdir()
    empty.write_text("", encoding="utf-8")
    status, _, _ = run("import", str(exported), config=empty)
    assert status == 0
    assert sorted(feeds_in(empty)) == sorted(f for f in feeds_in(config) if f[1] is not None)


def test_built_in_default_is_copied_first(run: Run, tmp_path: Path) -> None:
    user_config = Path(os.environ["XDG_CONFIG_HOME"]) / "biotui" / "feeds.toml"
    default = default_config_path()
    before = default.read_bytes()
    status, out, _ = run("import", str(DATA / "miniflux.opml"))
    assert status == 0
    assert out.splitlines()[0] == (
        f"biotui: copied the built-in configuration to {user_config}, to import into it"
    )
    assert default.read_bytes() == before
    text = user_config.read_text(encoding="utf-8")
    assert "# biotui's configuration" in text
    copied = load_config(user_config)
    [clips] = [feed for feed in copied.feeds if feed.path is not None]
    assert Path(clips.path or "") == (default.parent / "news").resolve()
    assert ("NIH News Releases", ("research", "Research")) in [
        (f.name, f.tags) for f in copied.feeds
    ]
    status, out, _ = run("feeds", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert {"name": "BioPharma Dive", "tags": ["industry", "All"]}.items() <= records[0].items()
    assert records[0]["url"] == "https://www.biopharmadive.com/feeds/news/"


def test_written_file_is_valid_toml_in_the_configuration_order(config: Path, run: Run) -> None:
    run("import", str(DATA / "freshrss.opml.xml"), config=config)
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    assert [feed["name"] for feed in data["feeds"]] == ["STAT", "Clips", "NEJM", "The Lancet"]
