"""Employers: "works at Acme Tools", "employed by the City of Dayton", "Employer: Boeing"."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.organization import ABBREVIATIONS, until_sentence_end
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_ORG = r"[A-Z0-9][A-Za-z0-9'\u2019.&-]*(?:[ \t]+(?:[A-Z0-9][A-Za-z0-9'\u2019.&-]*|&|and|of|the|de)){0,5}"
_WORK = (
    r"(?i:\b(?:works|worked|working|(?:is|was)[ \t]+employed|employed|job|volunteers|volunteered|retired"
    r"|retiree"
    r"|teaches|taught|drives)(?:[ \t]+(?:full|part)[- ]time)?(?:[ \t]+as[ \t]+(?:an?[ \t]+)?[a-z]+"
    r"(?:[ \t]+[a-z]+)?)?"
    r"[ \t]+(?:at|for|by|from)[ \t]+(?:the[ \t]+)?)"
)

RULES = (
    compile_rule("works at", rf"{_WORK}(?P<phi>{_ORG})", PhiType.EMPLOYER, 0.85),
    compile_rule(
        "label",
        rf"(?i:\b(?:employer|place[ \t]+of[ \t]+employment|company|workplace)\b)[ \t]*[:-][ \t]*"
        rf"(?P<phi>{_ORG})",
        PhiType.EMPLOYER,
        0.9,
    ),
    compile_rule(
        "occupation at",
        rf"(?i:\b(?:occupation|job|work)\b)[ \t]*:[^\n]{{0,40}}?(?i:\b(?:at|for|with)[ \t]+)"
        rf"(?:the[ \t]+)?(?P<phi>{_ORG})",
        PhiType.EMPLOYER,
        0.85,
    ),
    compile_rule(
        "dictated works at",
        rf"{_WORK}(?P<phi>[a-z0-9][a-z0-9'\u2019&-]+(?:[ \t]+(?:&|[a-z0-9][a-z0-9'\u2019&-]+)){{0,3}})",
        PhiType.EMPLOYER,
        0.6,
    ),
)


class EmployerRecognizer(RegexRecognizer):
    """Organisation names after work phrases."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        super().__init__(
            name="EmployerRecognizer",
            rules=RULES,
            context=["works", "employed", "employer", "occupation", "job"],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Cut trailing link words; a dictated name is the run of words the lexicon does not know."""
        base = match.start("phi")
        words = until_sentence_end(list(re.finditer(r"\S+", match.group("phi"))))
        if rule.name == "dictated works at":
            kept = []
            for word in words:
                if self.lexicon.is_common(word.group()):
                    break
                kept.append(word)
            words = kept
        while words and (
            (self.lexicon.is_common(words[-1].group()) and not words[-1].group()[0].isupper())
            or words[-1].group().lower() in ("and", "of", "the", "&", "de")
        ):
            words.pop()
        while words and words[0].group().lower() in ("the", "a", "an"):
            words.pop(0)
        if not words or self.lexicon.all_clinical(" ".join(w.group() for w in words)):
            return None
        end = base + words[-1].end()
        if text[end - 1] == "." and words[-1].group().lower() not in ABBREVIATIONS:
            end -= 1
        return Finding(base + words[0].start(), end, rule.entity, rule.score)
