"""Fixtures of the sync tests: a real Fever server (Coldsweat), from coldsweat.py."""

from __future__ import annotations

from .coldsweat import coldsweat_server, coldsweat_site

__all__ = ["coldsweat_server", "coldsweat_site"]
