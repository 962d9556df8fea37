"""Ages over 89 ("92-year-old", "age 93", "aged 101", "ninety-two year old"); younger ages are kept."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_NUMBER = r"(?:9\d|1[0-1]\d|12[0-5])"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_WORDS = (
    rf"(?:ninety(?:[- ]{_UNITS})?"
    rf"|(?:one[ \t]+)?hundred(?:[ \t]+(?:and[ \t]+)?(?:{_UNITS}|ten|eleven|twelve))?)"
)
_YEARS_OLD = r"[ \t-]*(?:years?|yrs?|y)[ \t-]*(?:old|of[ \t]+age|o\b)"
_SHORT = r"[ \t-]?(?:yo|y/o|y\.o\.|yoM|yoF|yom|yof)(?![a-z])"

RULES = (
    compile_rule(
        "years old",
        rf"(?<![\d.])(?P<phi>{_NUMBER})(?!\+)(?={_YEARS_OLD}|{_SHORT})",
        PhiType.AGE,
        0.85,
        flags=re.IGNORECASE,
    ),
    compile_rule(
        "age label",
        rf"(?i:\b(?:age|aged|age:|ages)\b)[ \t:]*(?P<phi>{_NUMBER})(?![\d+]|\.\d)",
        PhiType.AGE,
        0.85,
    ),
    compile_rule("in words", rf"(?i:\b(?P<phi>{_WORDS})(?={_YEARS_OLD}))", PhiType.AGE, 0.85),
    compile_rule(
        "years",
        rf"(?<![\d.])(?P<phi>{_NUMBER})(?=[ \t]+years?\b(?![ \t]+(?:ago|later|prior|before)))",
        PhiType.AGE,
        0.35,
        flags=re.IGNORECASE,
    ),
)


class AgeOver89Recognizer(RegexRecognizer):
    """Only ages of 90 and above: Safe Harbor lets younger ages through."""

    def __init__(self) -> None:
        super().__init__(
            name="AgeOver89Recognizer",
            rules=RULES,
            context=["age", "aged", "old", "year-old"],
            negative_context=["pack", "mg", "mcg", "units", "ml", "percent", "%", "kg", "lb", "lbs"],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Drop numbers that are part of a larger number or a measurement."""
        start, end = match.span("phi")
        if (
            rule.name == "in words"
            and "ninety" not in match.group("phi").lower()
            and "hundred" not in match.group("phi").lower()
        ):
            return None
        return Finding(start, end, rule.entity, rule.score)
