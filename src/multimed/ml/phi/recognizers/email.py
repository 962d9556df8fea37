"""Presidio's email recognizer, validated against the bundled public suffix list (no download)."""

from __future__ import annotations

import functools

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from multimed.ml.phi.base import PhiType


@functools.cache
def offline_suffix_extractor() -> tldextract.TLDExtract:
    """The suffix snapshot bundled with tldextract: no network, no cache directory."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Email addresses whose domain has a real public suffix."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=PhiType.EMAIL.value, name="EmailRecognizer", context=["email", "e-mail"]
        )

    def validate_result(self, pattern_text: str) -> bool:
        """A registrable domain, checked offline."""
        return offline_suffix_extractor()(pattern_text).fqdn != ""
