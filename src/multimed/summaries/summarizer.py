"""The note summarizer interface, and the contract every implementation is held to: cite everything.

Today's implementation is extractive (`extractive.py`). A hospital's own model server can be plugged in behind
the same interface; whatever it returns passes `checked`, which refuses a sentence without citations or with a
citation that is not one of the sources it was given — so nothing reaches a summary that no source states.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from multimed.core.errors import DomainError
from multimed.findings.citation import Citation


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of a de-identified text and where it is."""

    text: str
    citation: Citation


@dataclass(frozen=True)
class CitedSentence:
    """A summary sentence and the source sentences that state it (one or more)."""

    text: str
    citations: tuple[Citation, ...]


class UncitedSummary(DomainError):
    """A summarizer returned a sentence it could not support with the sources it was given."""

    status = 500

    def __init__(self, reason: str) -> None:
        super().__init__(f"the note summarizer broke its contract: {reason}", code="summarizer_uncited")


class NoteSummarizer(ABC):
    name: str
    version: str

    @abstractmethod
    def summarize(self, sentences: Sequence[SourceSentence], *, limit: int) -> list[CitedSentence]:
        """At most `limit` sentences that summarize the sources, each citing the sources that state it."""


def checked(result: Sequence[CitedSentence], sources: Sequence[SourceSentence]) -> list[CitedSentence]:
    """`result` unchanged when every sentence cites at least one given source; else UncitedSummary."""
    known = {s.citation for s in sources}
    for sentence in result:
        if not sentence.text.strip():
            raise UncitedSummary("an empty sentence")
        if not sentence.citations:
            raise UncitedSummary("a sentence without citations")
        if any(c not in known for c in sentence.citations):
            raise UncitedSummary("a citation that is not one of the sources")
    return list(result)
