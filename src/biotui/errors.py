"""Exceptions biotui raises on purpose; each carries a one-line message meant for a person."""


class BiotuiError(Exception):
    """Base of every error biotui reports to the user without a traceback."""


class ConfigError(BiotuiError):
    """The configuration is invalid; ``problems`` lists every problem, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class SourceError(BiotuiError):
    """A feed or file could not be read at all; the message names what and why."""


class StoreError(BiotuiError):
    """The article store could not be opened, read or written."""


class QueryError(BiotuiError):
    """A filter or search query is malformed; the message says where."""
