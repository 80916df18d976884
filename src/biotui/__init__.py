"""biotui: a terminal news reader for biotech and medicine."""

__version__ = "0.1.0"
