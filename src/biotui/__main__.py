"""Run biotui with ``python -m biotui``."""

from biotui.cli import main

raise SystemExit(main())
