"""The Textual internals biotui uses (all in ``biotui.app.textual_internals``) still have the
shape it relies on, for the Textual versions pyproject.toml allows; and nothing else in src/
reaches into Textual's private modules."""

from __future__ import annotations

import gc
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from app_helpers import OpenApp, make_article, settle
from textual._styles_cache import StylesCache
from textual.drivers.linux_driver import LinuxDriver
from textual.widgets import Footer

from biotui.app import textual_internals
from biotui.app.textual_internals import (
    SUPPORTED,
    footer_keys_ready,
    handover_driver,
    render_screen,
    terminal_output,
)
from biotui.app.widgets.article_view import ArticleView
from biotui.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _parts(text: str) -> tuple[int, int]:
    major, minor = re.findall(r"\d+", text)[:2]
    return int(major), int(minor)


def test_the_installed_textual_is_in_the_range_checked_here_and_pinned_in_pyproject() -> None:
    low, high = SUPPORTED
    assert low <= _parts(version("textual")) < high
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(dep for dep in dependencies if dep.startswith("textual"))
    assert pin == f"textual>={low[0]}.{low[1]},<{high[0]}"


def test_the_driver_hook_is_called_before_textual_takes_the_terminal() -> None:
    assert callable(LinuxDriver.start_application_mode)
    assert not inspect.signature(LinuxDriver.start_application_mode).parameters.keys() - {"self"}
    driver = handover_driver(lambda: None)
    assert issubclass(driver, LinuxDriver)
    assert "start_application_mode" in vars(driver)


async def test_the_screen_renders_as_lines_and_terminal_codes(
    open_app: OpenApp, store: Store
) -> None:
    store.ingest("Test Feed", [make_article("a", "Pinned headline")])
    async with open_app(size=(90, 20)) as pilot:
        await settle(pilot)
        lines = render_screen(pilot.app.screen)
        assert lines is not None and len(lines) == 20
        assert all(line.cell_length == 90 for line in lines)
        assert any("Pinned headline" in line.text for line in lines)
        output = terminal_output(pilot.app.screen)
        assert "Pinned headline" in output and "\x1b[" in output
        footer = pilot.app.screen.query_one(Footer)
        assert footer_keys_ready(footer) is True
        assert isinstance(footer._bindings_ready, bool)


async def test_articles_shown_leave_no_line_caches_of_removed_widgets(
    open_app: OpenApp, store: Store
) -> None:
    """Each article shown replaces the body's blocks; the style caches (with the lines they
    rendered) of the blocks removed must not be kept by ``get_inner_outer``'s cache."""
    assert callable(StylesCache.get_inner_outer.cache_clear)
    body = "\n\n".join(f"Paragraph {n} of a long article." for n in range(8))
    store.ingest(
        "Test Feed",
        [make_article(f"g{n}", f"Headline {n}", day=n + 1, body=body) for n in range(10)],
    )

    def kept() -> int:
        """Style caches alive (other tests' apps may hold some)."""
        gc.collect()
        return sum(1 for obj in gc.get_objects() if isinstance(obj, StylesCache))

    async with open_app(size=(100, 30)) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one(ArticleView)
        before = kept()
        for n in range(9, 0, -1):
            await pilot.press("j")
            await settle(pilot)
            assert view.article is not None and view.article.title == f"Headline {n - 1}"
        assert kept() <= before + 8  # nine bodies of eight blocks each were removed


def test_one_character_keys_are_named_as_textual_names_them() -> None:
    """``[keys]`` compares keys by the names Textual's keymap gives them."""
    assert textual_internals.character_key("?") == "question_mark"
    assert textual_internals.character_key("/") == "slash"
    assert textual_internals.character_key("A") == "A"
    assert textual_internals.character_key("j") == "j"


def test_no_other_module_uses_textual_internals() -> None:
    adapter = Path(textual_internals.__file__).resolve()
    private = re.compile(r"textual\._|\._compositor|\._bindings_ready|linux_driver|Driver\)")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src").rglob("*.py")
        if path.resolve() != adapter and private.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
