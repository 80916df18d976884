"""Hypothesis settings for the fuzz tests: a quick run by default, a long one on demand.

By default (CI and a plain ``python -m pytest``) every property runs a modest number of
examples, so each test takes a few seconds. A fuzzing session runs many more examples, with no
deadline::

    BIOTUI_FUZZ=1 python -m pytest tests/fuzz -q -p no:cacheprovider
    BIOTUI_FUZZ=1 BIOTUI_FUZZ_EXAMPLES=200000 python -m pytest tests/fuzz/test_fuzz_query.py

``BIOTUI_FUZZ_EXAMPLES`` sets the number of examples per test (default 20,000). Hypothesis
keeps every failing example in ``.hypothesis/`` and replays it first on the next run; a crash
found this way is then written down as an explicit example test beside the property.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZING = os.environ.get("BIOTUI_FUZZ", "") not in ("", "0")
"""True when a long fuzzing session was asked for (``BIOTUI_FUZZ=1``)."""

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]

settings.register_profile(
    "biotui-ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "biotui-fuzz",
    max_examples=int(os.environ.get("BIOTUI_FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=[
        *_SLOW_IS_FINE,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    print_blob=True,
)

PROFILE = settings.get_profile("biotui-fuzz" if FUZZING else "biotui-ci")
"""Decorate a property with this (``@PROFILE``) to get the profile of the run."""


def scaled(examples: int) -> settings:
    """The run's profile with ``examples`` examples by default (cheap or costly properties).

    A fuzzing session keeps its own, larger number.
    """
    if FUZZING:
        return PROFILE
    return settings(PROFILE, max_examples=examples)
