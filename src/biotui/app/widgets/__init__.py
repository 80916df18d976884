"""Widgets of the biotui app, one per module."""
