"""The one adapter to html-to-markdown's internals: a converter whose options are translated once.

The package's public ``convert(html, options)`` translates ``options`` for its compiled
converter on every call, which costs about as much as converting a short body. Its compiled
``convert`` takes options translated once, through two private names of the package
(``api._rust`` and ``api._to_rust_conversion_options``). Those names are read here and nowhere
else, for the versions :data:`SUPPORTED` names; with any other version, or should the names
change, the public ``convert`` does the same job. ``tests/test_converter.py`` fails when the
installed version is supported but the private names no longer work.
"""

from __future__ import annotations

from collections.abc import Callable

import html_to_markdown

SUPPORTED = ((3, 19), (4, 0))
"""The html-to-markdown versions (from, up to but excluding) whose internals are used."""


def version() -> tuple[int, int]:
    """The installed html-to-markdown's major and minor version."""
    major, minor = html_to_markdown.__version__.split(".")[:2]
    return int(major), int(minor)


def supported() -> bool:
    """Whether the installed version is one whose internals this adapter uses."""
    low, high = SUPPORTED
    return low <= version() < high


def public_converter(options: html_to_markdown.ConversionOptions) -> Callable[[str], str]:
    """HTML to Markdown with ``options`` through the package's public ``convert``."""

    def convert(html: str) -> str:
        return html_to_markdown.convert(html, options).content or ""

    return convert


def compiled_converter(options: html_to_markdown.ConversionOptions) -> Callable[[str], str]:
    """HTML to Markdown with ``options`` translated once for the compiled converter.

    Raises whatever the package raises when its internals are not the ones expected.
    """
    from html_to_markdown import api

    compiled = getattr(api, "_rust").convert  # noqa: B009 (a private name, read here only)
    translated = getattr(api, "_to_rust_conversion_options")(options)  # noqa: B009

    def convert(html: str) -> str:
        return compiled(html=html, options=translated, visitor=None).content or ""

    convert("<p>x</p>")
    return convert


def make_converter(options: html_to_markdown.ConversionOptions) -> Callable[[str], str]:
    """The fastest converter for ``options`` that works with the installed version."""
    if supported():
        try:
            return compiled_converter(options)
        except Exception:  # internals changed within the range: the test says so
            pass
    return public_converter(options)
