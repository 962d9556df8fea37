"""Errors of the lab reader: a bad limits file and a unit that cannot be converted."""

from __future__ import annotations


class InvalidLimitsFile(ValueError):
    """A critical-limits CSV that cannot be used; the message names the file's line and the problem."""


class UnknownConversion(ValueError):
    """Two units that are not related for the analyte (mg/dL and U/L)."""
