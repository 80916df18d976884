"""Screens of the biotui app."""
