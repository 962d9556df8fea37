"""Upper-case names in headers and upper-case notes: "PATIENT: SMITH, JOHN", "ATTENDING: DR. LEE, SARAH"."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import RELATION, UP_NAME, NameRecognizer
from multimed.ml.phi.recognizers.regex_recognizer import compile_rule

_PATIENT = r"(?:patient(?:[ \t]+name)?|pt(?:[ \t]+name)?|name|re|mr|mrs|ms|miss)"
_CLINICIAN = (
    r"(?:attending(?:[ \t]+physician)?|physician|provider|pcp|surgeon|radiologist|referring"
    r"(?:[ \t]+physician)?"
    r"|signed(?:[ \t]+by)?|dictated(?:[ \t]+by)?|dr|doctor|resident|nurse)"
)
_TITLE = r"(?i:(?:mr|mrs|ms|dr)\.?[ \t]+)?"


def _rule(name: str, trigger: str, entity: PhiType) -> tuple[str, str, PhiType]:
    return name, rf"(?i:\b{trigger}\b\.?)[ \t]*[:#-]?[ \t]*{_TITLE}(?P<phi>{UP_NAME})(?![a-z])", entity


RULES = tuple(
    compile_rule(name, pattern, entity, 0.85, strong_trigger=True)
    for name, pattern, entity in (
        _rule("patient header", _PATIENT, PhiType.PATIENT),
        _rule("clinician header", _CLINICIAN, PhiType.CLINICIAN),
        _rule("relative header", RELATION, PhiType.RELATIVE),
    )
)


class CapsHeaderNameRecognizer(NameRecognizer):
    """Upper-case names after a role label or title."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(name="CapsHeaderNameRecognizer", rules=RULES, lexicon=lexicon)
