"""The exit statuses of the ``biotui`` command."""

EXIT_OK = 0
EXIT_ERROR = 1
"""The store failed, or an article asked for does not exist."""
EXIT_USAGE = 2
"""The configuration, a filter or a saved search's name is wrong."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports a process stopped by SIGINT."""
