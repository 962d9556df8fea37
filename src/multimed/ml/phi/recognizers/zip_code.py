"""ZIP codes, five or nine digits, after a state or a "ZIP" label."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.geo_grammar import ZIP, state_pattern
from multimed.ml.phi.recognizers.regex_recognizer import RegexRecognizer, compile_rule


class ZipCodeRecognizer(RegexRecognizer):
    """ZIP codes in an address."""

    def __init__(self, lexicon: Lexicon) -> None:
        state = state_pattern(lexicon)
        lower_names = "|".join(re.escape(n) for n in sorted(lexicon.state_names, key=len, reverse=True))
        rules = (
            compile_rule(
                "after state",
                rf"(?<![\w.])(?:{state}|{lower_names})[ \t,]+(?P<phi>{ZIP})(?![\d-])",
                PhiType.ZIP,
                0.85,
            ),
            compile_rule(
                "label",
                rf"(?i:\b(?:zip(?:[ \t]*code)?|postal[ \t]+code)\b)[ \t:#]*(?P<phi>{ZIP})(?![\d-])",
                PhiType.ZIP,
                0.9,
            ),
            compile_rule("zip plus four", r"(?<![\w-])(?P<phi>\d{5}-\d{4})(?![\w-])", PhiType.ZIP, 0.4),
        )
        super().__init__(name="ZipCodeRecognizer", rules=rules, context=["zip", "address", "postal"])
