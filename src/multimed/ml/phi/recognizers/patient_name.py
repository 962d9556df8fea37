"""The patient's name: after Mr./Mrs./Ms., a "Patient:" or "Name:" label, or before "a 45-year-old"."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.name_grammar import HONORIFIC, LABELLED_NAME, NAME, SP, NameRecognizer
from multimed.ml.phi.recognizers.regex_recognizer import compile_rule

_LABEL = (
    r"(?i:\b(?:patient(?:'s)?[ \t]+name|patient|pt\.?[ \t]+name|pt|name|re|regarding|subject|client|resident"
    r"|member|beneficiary|insured|enrollee|id)\b)"
)
_AGE_AFTER = (
    r"\)?(?:,[ \t]*|[ \t]+(?:is|was)[ \t]+)an?[ \t]+"
    r"(?:\d{1,3}|(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|"
    r"(?:one[ \t]+)?hundred))"
    r"[ \t-]*(?i:year|yr|yo\b|y/o|month|week|day)"
)
# Identifiers printed right after a name in headers: "Whitfield, Harold, MRN 123", "H. Whitfield  DOB ...".
_IDENTIFIERS_AFTER = (
    r"[ \t]*[,;|]?[ \t]+(?=(?i:mrn\b|m\.r\.n|mr#|med(?:ical)?\.?[ \t]+rec|record[ \t]+(?:number|no)|dob\b"
    r"|d\.o\.b"
    r"|date[ \t]+of[ \t]+birth|age[ \t:]+\d|aged[ \t]+\d)|\d{1,3}[ \t-]*(?i:yo\b|y/o|years?[ \t-]old"
    r"|year-old))"
)

RULES = (
    compile_rule(
        "honorific", rf"{HONORIFIC}[ \t]*(?P<phi>{NAME})", PhiType.PATIENT, 0.85, strong_trigger=True
    ),
    compile_rule(
        "label",
        rf"{_LABEL}[ \t]*[:#][ \t]*(?:{HONORIFIC}[ \t]*)?(?P<phi>{LABELLED_NAME})",
        PhiType.PATIENT,
        0.9,
        strong_trigger=True,
    ),
    compile_rule(
        "patient word",
        rf"(?i:\b(?:patient|pt)\b\.?){SP}(?:(?i:is|named){SP})?(?P<phi>{NAME})",
        PhiType.PATIENT,
        0.75,
    ),
    compile_rule("age apposition", rf"(?P<phi>{NAME}){_AGE_AFTER}", PhiType.PATIENT, 0.7),
    compile_rule("before identifiers", rf"(?P<phi>{NAME}){_IDENTIFIERS_AFTER}", PhiType.PATIENT, 0.75),
)


class PatientNameRecognizer(NameRecognizer):
    """Names the context marks as the patient's."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(name="PatientNameRecognizer", rules=RULES, lexicon=lexicon)
