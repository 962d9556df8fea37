"""The real detector, built once for the whole session (spaCy takes seconds to load)."""

from __future__ import annotations

import os
import warnings

import pytest

from multimed.ml.phi.base import PhiDetector

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def detector() -> PhiDetector:
    """The production detector from the registry."""
    with warnings.catch_warnings():
        # spaCy/thinc and presidio import-time deprecations are theirs, not ours.
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, module=r"(spacy|thinc|presidio_analyzer)\b.*"
        )
        from multimed.ml.phi.registry import build_phi_detector

        return build_phi_detector("presidio")
