"""An article as a Markdown file: front matter, then the body (``biotui show --markdown``, the
app's ``e``), and the file name it is saved under.

Read back with biotui's Markdown reader (:func:`biotui.sources.markdown.parse_markdown`), the
file gives the same title, source, author, date, link, credits and body. Every value is one
double-quoted YAML string with its escapes, so no text of a feed can end the string, start a
key of its own or close the front matter. ``generator: biotui`` tells the reader that the
credits are all in the front matter (none is taken from a line of the body). Pure: no I/O.
"""

from __future__ import annotations

import re

from biotui.model import Article
from biotui.plaintext import clean_text

GENERATOR = "biotui"
"""The ``generator`` key's value in an exported file (the reader knows it)."""
MAX_NAME_BYTES = 255
"""The longest file name most file systems take, in bytes of UTF-8."""
SUFFIX = ".md"
_UNSAFE_IN_NAMES = re.compile(r'[/\\:*?"<>|]+')
"""Path separators, and what Windows or macOS refuse or show otherwise in a name."""
_DOTS = re.compile(r"\.{2,}")
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.IGNORECASE)


def yaml_string(text: str) -> str:
    """``text`` as one double-quoted YAML string: ``"`` and ``\\`` escaped, every character
    that is not printable (newlines, controls, line separators) written as an escape."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out: list[str] = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == " " or char.isprintable():
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def front_matter(article: Article) -> list[str]:
    """The front matter's lines, ``---`` to ``---``; empty fields are left out."""
    lines = ["---", f"title: {yaml_string(article.title)}"]
    fields = (
        ("source", article.source),
        ("author", article.author),
        ("date", article.published.isoformat() if article.published else ""),
        ("link", article.link),
        ("feed", article.feed),
        ("source_title", article.source_title),
        ("section", article.section),
        ("place", article.place),
        ("id", article.id),
    )
    lines.extend(f"{key}: {yaml_string(value)}" for key, value in fields if value)
    if article.credits:
        lines.append("credits:")
        lines.extend(f"  - {yaml_string(credit)}" for credit in article.credits)
    lines.extend((f"generator: {GENERATOR}", "---"))
    return lines


def article_markdown(article: Article) -> str:
    """The whole file: front matter, a blank line, the body (Markdown as stored), a newline."""
    text = "\n".join(front_matter(article)) + "\n"
    body = article.body.strip("\n")
    return f"{text}\n{body}\n" if body.strip() else text


def file_name(article: Article, number: int = 1) -> str:
    """The name to save ``article`` under: its date and title, made safe (see
    :func:`safe_file_name`); ``number`` above 1 adds `` (2)``… for a name already taken."""
    date = f"{article.published:%Y-%m-%d} " if article.published else ""
    extra = f" ({number})" if number > 1 else ""
    return safe_file_name(date + article.title, f"{extra}{SUFFIX}")


def safe_file_name(stem: str, ending: str = SUFFIX) -> str:
    """``stem`` + ``ending`` as one file name that is safe to create in any folder.

    No path separator, no ``..``, no control character, no leading dot or dash (a hidden
    file, an option to a shell command), no trailing dot or space, no name Windows keeps for
    devices, and at most :data:`MAX_NAME_BYTES` bytes of UTF-8, the stem cut between
    characters. An empty stem becomes ``article``. ``ending`` must be safe itself.
    """
    text = _UNSAFE_IN_NAMES.sub("-", clean_text(stem))
    text = clean_text(_DOTS.sub("…", text)).lstrip(" .-").rstrip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = f"{text}_"
    room = MAX_NAME_BYTES - len(ending.encode())
    cut = text.encode()[:room].decode(errors="ignore").rstrip(" .")
    return (cut or "article") + ending
