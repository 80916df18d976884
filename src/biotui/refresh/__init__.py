"""Refresh (placeholder)."""
