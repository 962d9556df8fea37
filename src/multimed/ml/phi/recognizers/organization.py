"""Hospitals, clinics and other care facilities by name: "St. Mary's Hospital", "Mercy Medical Center"."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_WORD = r"[A-Z][a-zA-Z'\u2019.&-]*"
_LINK = r"(?:of|the|and|&|at|for|on)"
# Words whose final period is part of the name, not the end of a sentence.
ABBREVIATIONS = frozenset(
    {"st.", "mt.", "ft.", "inc.", "co.", "corp.", "ltd.", "bros.", "dept.", "univ.", "assoc."}
)


# Words that open a sentence before a facility name ("The"), not part of it. Number words and adjectives stay:
# "Three Rivers Hospital", "Sacred Heart Medical Center".
_LEADING_NON_NAME = re.compile(
    r"(?i)^(?:the|a|an|our|this|that|your|his|her|their|of|and|&|at|to|from|in|by|for|with|seen|per|via)$"
)


def until_sentence_end(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """Words up to the first one that ends a sentence ("Tools." in "works at Acme Tools. The ...")."""
    for i, word in enumerate(words):
        if word.group().endswith(".") and word.group().lower() not in ABBREVIATIONS and len(word.group()) > 2:
            return words[: i + 1]
    return words


class OrganizationRecognizer(RegexRecognizer):
    """Capitalised words ending in a facility word; a service name alone ("Cardiology Clinic") is weak."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        heads = [re.escape(w).replace(r"\ ", r"[ \t]+") for w in lexicon.facility_words]
        head = "|".join(heads)
        head_upper = "|".join(h.upper().replace(r"[ \T]+", r"[ \t]+") for h in heads)
        tail = rf"(?:[ \t]+(?:of|at|in|for)[ \t]+{_WORD}(?:[ \t]+{_WORD}){{0,2}})?"
        rules = (
            compile_rule(
                "facility",
                rf"(?<![\w.])(?P<phi>(?:(?:St\.|Saint|Mount|Mt\.)[ \t]+)?{_WORD}(?:[ \t]+(?:{_WORD}"
                rf"|{_LINK})){{0,5}}"
                rf"[ \t]+(?:{head}|{head_upper}){tail})(?![A-Za-z])",
                PhiType.ORGANIZATION,
                0.85,
            ),
            compile_rule(
                "dictated facility",
                rf"(?i:\b(?:at|to|from|in|with|by)[ \t]+(?:the[ \t]+)?)(?P<phi>[a-z][a-z'\u2019.-]+"
                rf"(?:[ \t]+[a-z][a-z'\u2019.-]+)"
                rf"{{0,3}}[ \t]+(?:{head.lower()}))(?![a-z])",
                PhiType.ORGANIZATION,
                0.7,
            ),
        )
        super().__init__(
            name="OrganizationRecognizer",
            rules=rules,
            context=["hospital", "transferred", "admitted", "seen", "clinic", "followed"],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Drop leading sentence words; names made only of service words are weak."""
        base = match.start("phi")
        words = until_sentence_end(list(re.finditer(r"\S+", match.group("phi"))))
        heads = {w.lower() for h in self.lexicon.facility_words for w in h.split()}
        while words and _LEADING_NON_NAME.match(words[0].group()) and words[0].group().lower() not in heads:
            words.pop(0)
        if not words:
            return None
        modifiers = [w.group() for w in words if w.group().lower() not in heads]
        if not modifiers:
            return None
        score = rule.score
        if all(
            m.lower().strip(".,") in self.lexicon.department_words or self.lexicon.is_non_name(m)
            for m in modifiers
        ):
            score = 0.2  # a service, not a place: below the release gate
        end = base + words[-1].end()
        if text[end - 1] == "." and words[-1].group().lower() not in ABBREVIATIONS:
            end -= 1
        return Finding(base + words[0].start(), end, rule.entity, score)
