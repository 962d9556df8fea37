"""Presidio's URL recognizer with the patterns that hold on clinical text."""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import UrlRecognizer

from multimed.ml.phi.base import PhiType


def _patterns() -> list[Pattern]:
    # Presidio's own URL patterns alternate over every top-level domain at each position: slow on long notes,
    # and its bare-domain form takes dosing shorthand ("pt.in", "5.mg") for websites.
    path = r"(?:/[^\s()<>\"']*[^\s()<>\"'.,;:!?])?"
    label = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
    host = rf"{label}(?:\.{label})+"
    return [
        Pattern("Standard Url", r"(?i)\b(?:https?|ftp|sftp)://[^\s()<>\"']+[^\s()<>\"'.,;:!?]", 0.6),
        Pattern("www Url", rf"(?i)\bwww\d{{0,3}}\.{host}(?::\d+)?{path}", 0.6),
        Pattern(
            "Common bare domain",
            rf"(?i)\b{label}(?:\.{label})*\.(?:com|org|net|edu|gov|io|us|health|info|care)\b(?::\d+)?{path}",
            0.5,
        ),
    ]


class ClinicalUrlRecognizer(UrlRecognizer):
    """URLs with a scheme, with www, or with a common top-level domain."""

    def __init__(self) -> None:
        super().__init__(
            patterns=_patterns(),
            supported_entity=PhiType.URL.value,
            name="UrlRecognizer",
            context=["url", "website", "link", "portal", "www"],
        )
