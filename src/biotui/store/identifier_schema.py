"""The identifiers' tables (schema 10): what a new file is made with and what the upgrade adds."""

from __future__ import annotations

IDENTIFIERS_V10 = """
-- What each article names: ``origin`` 0 its title and body, 1 its full text; ``seq`` the
-- recogniser's order; ``key`` the comparison form filter fields look up, ``shown`` the spelling.
CREATE TABLE identifiers (
    article INTEGER NOT NULL,
    origin  INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    shown   TEXT NOT NULL,
    PRIMARY KEY (article, origin, seq)
) WITHOUT ROWID;
CREATE INDEX identifiers_by_key ON identifiers (kind, key);

CREATE TRIGGER identifiers_forget AFTER DELETE ON articles BEGIN
    DELETE FROM identifiers WHERE article = old.rowid;
END;

-- Work on older articles still to do, by name: every article below rowid ``below`` is left.
CREATE TABLE backfills (
    name  TEXT PRIMARY KEY NOT NULL,
    below INTEGER NOT NULL
) WITHOUT ROWID;
"""
"""The identifiers articles name, and the backfills of older articles (schema 10)."""

LATER = """
-- Articles stored before their identifiers were found (those past the first of a large
-- refresh): the backfill finds them, newest first.
CREATE TABLE identifiers_later (
    article INTEGER PRIMARY KEY
);
CREATE TRIGGER identifiers_later_forget AFTER DELETE ON articles BEGIN
    DELETE FROM identifiers_later WHERE article = old.rowid;
END;
"""
"""The articles whose identifiers are found after they were stored (schema 12)."""

IDENTIFIERS = IDENTIFIERS_V10 + LATER
"""Every table of the identifiers, as a new file has them."""

__all__ = ["IDENTIFIERS", "IDENTIFIERS_V10", "LATER"]
