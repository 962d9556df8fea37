"""Upper-case names in headers and upper-case notes: "PATIENT: SMITH, JOHN", "ATTENDING: DR. LEE, SARAH"."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import MIDDLE, RELATION, SP, UP, UP_NAME, NameRecognizer
from multimed.ml.phi.recognizers.regex_recognizer import compile_rule

_PATIENT = r"(?:patient(?:[ \t]+name)?|pt(?:[ \t]+name)?|name|re|mr|mrs|ms|miss)"
_CLINICIAN = (
    r"(?:attending(?:[ \t]+physician)?|physician|provider|pcp|surgeon|radiologist|referring"
    r"(?:[ \t]+physician)?"
    r"|signed(?:[ \t]+by)?|dictated(?:[ \t]+by)?|dr|doctor|resident|nurse"
    # Lab and imaging slips: "ORDERED BY: AGATHA QUIROGA, MD", "ORDERING PROVIDER:", "VERIFIED BY:".
    r"|ordering(?:[ \t]+(?:physician|provider|doctor|clinician))?|(?:ordered|requested|referred|collected"
    r"|received|verified|reviewed|released|reported|resulted|authori[sz]ed|approved|performed|interpreted"
    r"|read|seen|entered|transcribed)[ \t]+by|pathologist|technologist|copy[ \t]+to)"
)
_TITLE = r"(?i:(?:mr|mrs|ms|dr)\.?[ \t]+)?"
# Credentials that never abbreviate anything clinical: DO and PA are left out ("XR CHEST, PA").
_CAPS_CREDENTIAL = (
    r"(?:M\.D\.|MD|RN|NP|PA-C|PHARMD|PharmD|PHD|PhD|DDS|DMD|DPM|MBBS|FNP|APRN|CRNA|LPN)(?![A-Za-z])"
)


def _rule(name: str, trigger: str, entity: PhiType) -> tuple[str, str, PhiType]:
    return name, rf"(?i:\b{trigger}\b\.?)[ \t]*[:#-]?[ \t]*{_TITLE}(?P<phi>{UP_NAME})(?![a-z])", entity


_HEADER_RULES = tuple(
    compile_rule(name, pattern, entity, 0.85, strong_trigger=True)
    for name, pattern, entity in (
        _rule("patient header", _PATIENT, PhiType.PATIENT),
        _rule("clinician header", _CLINICIAN, PhiType.CLINICIAN),
        _rule("relative header", RELATION, PhiType.RELATIVE),
    )
)
# Two or three upper-case words, a comma, a credential: "AGATHA QUIROGA, MD" without any label.
_CREDENTIAL_RULE = compile_rule(
    "credential",
    rf"(?<![A-Za-z])(?P<phi>{UP}{SP}(?:{MIDDLE}{SP})?{UP}(?:{SP}{UP})?)[ \t]*,[ \t]*{_CAPS_CREDENTIAL}",
    PhiType.CLINICIAN,
    0.85,
)
RULES = (*_HEADER_RULES, _CREDENTIAL_RULE)


class CapsHeaderNameRecognizer(NameRecognizer):
    """Upper-case names after a role label or title."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(name="CapsHeaderNameRecognizer", rules=RULES, lexicon=lexicon)
