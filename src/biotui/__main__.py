"""Run biotui with ``python -m biotui``."""

from biotui.cli import run

run()
