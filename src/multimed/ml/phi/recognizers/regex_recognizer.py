"""A Presidio recognizer driven by rules whose named group, not the whole match, is the identifier.

Presidio's PatternRecognizer reports the whole match, so a label such as "MRN:" would be redacted with its
value; here the label stays in the pattern as context and only the `phi` group is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult


@dataclass(frozen=True)
class Rule:
    """One pattern: the entity it finds and its base score before context."""

    name: str
    regex: re.Pattern[str]
    entity: str
    score: float
    group: str = "phi"
    strong_trigger: bool = False  # the label alone makes the match certain (titles, "Patient:")


@dataclass(frozen=True)
class Finding:
    """What a rule's match turned out to be after the recognizer's own checks."""

    start: int
    end: int
    entity: str
    score: float


class RegexRecognizer(LocalRecognizer):
    """Runs its rules; subclasses refine each match in `check` (validate, trim, retype)."""

    name: str

    def __init__(
        self,
        *,
        name: str,
        rules: Sequence[Rule],
        context: Sequence[str] = (),
        negative_context: Sequence[str] = (),
    ) -> None:
        self.rules = tuple(rules)
        self.negative_context = list(negative_context)
        super().__init__(
            supported_entities=sorted({rule.entity for rule in self.rules} | set(self.extra_entities())),
            name=name,
            supported_language="en",
            context=list(context),
        )

    def extra_entities(self) -> Sequence[str]:
        """Entities `check` may retype a match to, beyond the rules' own."""
        return ()

    def load(self) -> None:
        """Nothing to load: the rules are compiled at import."""

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Validate one match; None drops it."""
        start, end = match.span(rule.group)
        return Finding(start, end, rule.entity, rule.score)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Every rule over the text; findings below the minimum score are dropped."""
        results: list[RecognizerResult] = []
        seen: set[tuple[int, int, str]] = set()
        for rule in self.rules:
            for match in rule.regex.finditer(text):
                if match.start(rule.group) < 0 or match.start(rule.group) == match.end(rule.group):
                    continue
                finding = self.check(match, rule, text)
                if finding is None or finding.score <= 0 or finding.start >= finding.end:
                    continue
                if finding.entity not in entities:
                    continue
                key = (finding.start, finding.end, finding.entity)
                if key in seen:
                    continue
                seen.add(key)
                explanation = AnalysisExplanation(
                    recognizer=self.name,
                    original_score=finding.score,
                    pattern_name=rule.name,
                    textual_explanation=f"Detected by `{self.name}` using rule `{rule.name}`",
                )
                results.append(
                    RecognizerResult(
                        entity_type=finding.entity,
                        start=finding.start,
                        end=finding.end,
                        score=finding.score,
                        analysis_explanation=explanation,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results


def compile_rule(
    name: str, pattern: str, entity: str, score: float, *, flags: int = 0, strong_trigger: bool = False
) -> Rule:
    """A rule from a verbose-free pattern that has a `phi` group."""
    return Rule(name, re.compile(pattern, flags), entity, score, strong_trigger=strong_trigger)
