"""Relatives and contacts: "wife Mary", "daughter, Sarah Jones", "Emergency contact: John Roe"."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import HONORIFIC, NAME, RELATION, NameRecognizer
from multimed.ml.phi.recognizers.regex_recognizer import compile_rule

_LINK = r"(?:[ \t]*[:,(#-][ \t]*|[ \t]+(?:is|was|named|name[ \t]+is|called)[ \t]+|[ \t]+)"

RULES = (
    compile_rule(
        "relation before",
        rf"(?i:\b{RELATION}(?:'s)?\b){_LINK}(?:{HONORIFIC}[ \t]*)?(?P<phi>{NAME})",
        PhiType.RELATIVE,
        0.85,
    ),
    compile_rule(
        "relation in brackets", rf"(?P<phi>{NAME})[ \t]*\((?i:{RELATION})\)", PhiType.RELATIVE, 0.85
    ),
    compile_rule(
        "relation after",
        rf"(?P<phi>{NAME}),[ \t]*(?i:(?:his|her|their|the[ \t]+patient's|patient's|pt's)[ \t]+{RELATION}\b)",
        PhiType.RELATIVE,
        0.85,
    ),
)


class RelativeNameRecognizer(NameRecognizer):
    """Names the context marks as a family member's or another contact's."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(name="RelativeNameRecognizer", rules=RULES, lexicon=lexicon)
