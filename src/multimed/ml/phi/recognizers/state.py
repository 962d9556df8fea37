"""US states in an address: after "City," or before a ZIP code. A state alone is not an identifier."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.geo_grammar import CREDENTIAL_LIKE, PLACE, ZIP, state_pattern
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_PLACE_BEFORE = re.compile(r"(?i)\b(?:in|from|to|near|of|at)[ \t]+$")


class StateRecognizer(RegexRecognizer):
    """The state part of an address."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        state = state_pattern(lexicon)
        lower_names = "|".join(re.escape(n) for n in sorted(lexicon.state_names, key=len, reverse=True))
        rules = (
            compile_rule(
                "after city",
                rf"(?<![\w.])(?P<place>{PLACE}),[ \t]*(?P<phi>{state})(?:[ \t]+(?P<zip>{ZIP}))?"
                r"(?![A-Za-z])",
                PhiType.STATE,
                0.85,
            ),
            compile_rule(
                "before zip",
                rf"(?<![\w.])(?P<phi>{state}|{lower_names})[ \t,]+{ZIP}(?![\d-])",
                PhiType.STATE,
                0.85,
            ),
            compile_rule(
                "label", rf"(?i:\bstate\b)[ \t]*:[ \t]*(?P<phi>{state})(?![A-Za-z])", PhiType.STATE, 0.85
            ),
        )
        super().__init__(
            name="StateRecognizer", rules=rules, context=["address", "state", "lives", "resides"]
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """A clinician's "Lee, MD" is not Maryland, unless a ZIP follows or "in"/"from" precedes."""
        if rule.name == "after city":
            value = match.group("phi").rstrip(".")
            line_start = text.rfind("\n", 0, match.start())
            place_before = _PLACE_BEFORE.search(text, max(line_start + 1, match.start() - 12), match.start())
            if value in CREDENTIAL_LIKE and not match.group("zip") and place_before is None:
                return None
        return super().check(match, rule, text)
