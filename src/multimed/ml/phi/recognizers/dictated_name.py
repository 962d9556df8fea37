"""Lower-case names in dictation transcripts: "patient john smith", "dr patel", "his wife mary"."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import RELATION
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_WORDS = r"(?P<phi>[a-z][a-z'\u2019-]+(?:[ \t]+[a-z][a-z'\u2019-]+){0,2})"
_BRIDGE = r"[ \t]*[:,]?[ \t]+(?:(?:is|was|named|name[ \t]+is)[ \t]+)?"
# Word endings of verbs, adverbs and abstract nouns; "-fred"/"-dred" keep Alfred and Mildred.
NOT_NAME_ENDING = re.compile(r"(?:ing|tion|sion|ment|ness|ity|ous|ive|able|ible|ful|less|ated|(?<!fr|dr)ed)$")

RULES = (
    compile_rule("title", rf"(?i:\b(?:mr|mrs|ms|miss|mister)\b\.?){_BRIDGE}{_WORDS}", PhiType.PATIENT, 0.7),
    compile_rule(
        "patient", rf"(?i:\b(?:patient|pt)(?:'s[ \t]+name)?\b){_BRIDGE}{_WORDS}", PhiType.PATIENT, 0.7
    ),
    compile_rule(
        "doctor",
        rf"(?i:\b(?:dr|doctor|nurse|attending|dictated[ \t]+by|signed[ \t]+by)\b\.?){_BRIDGE}{_WORDS}",
        PhiType.CLINICIAN,
        0.75,
    ),
    compile_rule(
        "relation", rf"(?i:\b{RELATION}(?:'s[ \t]+name)?\b){_BRIDGE}{_WORDS}", PhiType.RELATIVE, 0.65
    ),
)
_TITLED = {"title", "doctor", "relation"}  # one word after these is still a name


class DictatedNameRecognizer(RegexRecognizer):
    """Runs of lower-case words after a trigger that the lexicon does not know as ordinary words."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        super().__init__(name="DictatedNameRecognizer", rules=RULES)

    def _is_name_word(self, word: str) -> bool:
        return (
            len(word) >= 2
            and not self.lexicon.is_non_name(word)
            and word.lower() not in self.lexicon.eponyms
            and not (len(word) >= 6 and NOT_NAME_ENDING.search(word))
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Keep the leading run of name-like words; one word alone is weak unless a title precedes it."""
        start = match.start("phi")
        end = start
        count = 0
        for word in re.finditer(r"[^ \t]+", match.group("phi")):
            if not self._is_name_word(word.group()):
                break
            end = start + word.end()
            count += 1
        if count == 0:
            return None
        score = rule.score if count >= 2 or rule.name in _TITLED else rule.score - 0.3
        return Finding(start, end, rule.entity, score)
