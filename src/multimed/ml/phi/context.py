"""Context scoring without lemmas: words just before (and after) a finding raise or lower its score.

Presidio's LemmaContextAwareEnhancer needs the tagger and lemmatizer, which cost more than the NER itself; the
words are read from the text instead, and a recognizer may also list `negative_context` ("BP" before 12/5).
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

_WORD = re.compile(r"[a-z0-9][a-z0-9#/'\u2019-]*|[%#]")


class WindowContextEnhancer(ContextAwareEnhancer):
    """Boost by `context_similarity_factor` "
    "(to at least the minimum) on a supporting word; damp on a negative one."""

    def __init__(
        self,
        *,
        boost: float = 0.35,
        min_score_with_context: float = 0.6,
        words_before: int = 5,
        words_after: int = 2,
        penalty: float = 0.3,
    ) -> None:
        super().__init__(
            context_similarity_factor=boost,
            min_score_with_context_similarity=min_score_with_context,
            context_prefix_count=words_before,
            context_suffix_count=words_after,
        )
        self.penalty = penalty

    @staticmethod
    def _window(words: list[str], phrases: list[str]) -> bool:
        joined = f" {' '.join(words)} "
        return any(f" {phrase} " in joined for phrase in phrases)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Adjust each result by its recognizer's context and negative context lists."""
        by_id = {recognizer.id: recognizer for recognizer in recognizers}
        extra = [w.lower() for w in context or []]
        for result in raw_results:
            recognizer = by_id.get(
                (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY)
            )
            if recognizer is None:
                continue
            positive = [w.lower() for w in recognizer.context or []]
            negative = [w.lower() for w in getattr(recognizer, "negative_context", [])]
            if not positive and not negative:
                continue
            # Context stops at line ends: a label on the previous line belongs to another field.
            line_start = max(text.rfind("\n", 0, result.start) + 1, result.start - 60)
            line_end = text.find("\n", result.end)
            line_end = min(len(text) if line_end < 0 else line_end, result.end + 30)
            before = _WORD.findall(text[line_start : result.start].lower())[-self.context_prefix_count :]
            after = _WORD.findall(text[result.end : line_end].lower())[: self.context_suffix_count]
            window = before + after
            if negative and self._window(window, negative):
                result.score *= self.penalty
            elif positive and (self._window(window, positive) or any(w in positive for w in extra)):
                result.score = min(
                    1.0,
                    max(
                        result.score + self.context_similarity_factor, self.min_score_with_context_similarity
                    ),
                )
        return raw_results
