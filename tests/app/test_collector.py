"""The idle garbage collection: full passes wait for a pause in the person's input."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from app_helpers import OpenApp, settle

from biotui.app.collector import RARE_FULL, YOUNG_PASSES_PER_FULL, IdleCollector


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    """Python's thresholds before the test, put back after it whatever happens."""
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def middle_passes(count: int) -> None:
    """Run ``count`` middle-generation collections, as a busy app would."""
    for _ in range(count):
        gc.collect(1)


def test_full_pass_waits_for_a_pause(thresholds: tuple[int, int, int]) -> None:
    clock = Clock()
    collected: list[float] = []
    collector = IdleCollector(idle_after=1.0, clock=clock, collect=lambda: collected.append(1))
    collector.start()
    assert gc.get_threshold() == (thresholds[0], thresholds[1], RARE_FULL)

    middle_passes(YOUNG_PASSES_PER_FULL)
    collector.input_seen()
    clock.now += 0.5
    assert not collector.tick(), "someone pressed a key half a second ago"
    clock.now += 0.6
    assert collector.tick()
    assert collected == [1]
    clock.now += 5
    assert not collector.tick(), "nothing was collected since: no new pass is due"

    middle_passes(YOUNG_PASSES_PER_FULL - 1)
    assert not collector.tick()
    middle_passes(1)
    assert collector.tick()
    assert len(collected) == 2

    collector.stop()
    assert gc.get_threshold() == thresholds
    middle_passes(YOUNG_PASSES_PER_FULL)
    assert not collector.tick(), "stopped: Python decides again"


def test_does_nothing_when_collection_is_off(thresholds: tuple[int, int, int]) -> None:
    clock = Clock()
    collector = IdleCollector(clock=clock, collect=lambda: pytest.fail("collected"))
    gc.disable()
    try:
        collector.start()
        assert not collector.active
        assert gc.get_threshold() == thresholds
        middle_passes(YOUNG_PASSES_PER_FULL)
        clock.now += 10
        assert not collector.tick()
    finally:
        gc.enable()


async def test_app_moves_full_passes_to_pauses_while_it_runs(
    open_app: OpenApp, thresholds: tuple[int, int, int]
) -> None:
    async with open_app(size=(120, 30)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == RARE_FULL
    assert gc.get_threshold() == thresholds
