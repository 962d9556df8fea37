"""Choosing the PHI detector by name (from settings); each is built once per process."""

from __future__ import annotations

import functools
import threading

from multimed.ml.phi.base import PhiDetector

_LOCK = threading.Lock()


@functools.cache
def _build(name: str) -> PhiDetector:
    if name in ("presidio", "presidio+multimed"):
        from multimed.ml.phi.presidio_engine import PresidioPhiDetector  # heavy: loads spaCy

        return PresidioPhiDetector()
    raise ValueError(f"unknown PHI detector {name!r}; known: 'presidio'")


def build_phi_detector(name: str = "presidio") -> PhiDetector:
    """The named detector, loaded on first request and shared by every later caller."""
    with _LOCK:
        return _build(name)
