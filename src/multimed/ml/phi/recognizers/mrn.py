"""Medical record numbers as printed: "MRN: 12345678", "Med Rec No. 445566", "record number 99-1"."""

from __future__ import annotations

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import labelled
from multimed.ml.phi.recognizers.regex_recognizer import RegexRecognizer, compile_rule

_LABEL = (
    r"(?i:\b(?:mrn|m\.r\.n\.?|medical[ \t]+record(?:[ \t]+(?:number|no\.?|num|#))?"
    r"|med(?:ical)?\.?[ \t]*rec(?:ord)?\.?(?:[ \t]*(?:no\.?|number|num|#))?|record[ \t]+(?:number|no\.?|num"
    r"|#)"
    r"|hospital[ \t]+(?:number|no\.?|#|id)|chart[ \t]+(?:number|no\.?|#|id)|unit[ \t]+(?:number|no\.?)"
    r"|patient[ \t]+(?:id|identifier|number|#)|pt[ \t]+(?:id|#)|mr[ \t]*(?:#|number|no\.))(?![a-z]))"
)

RULES = (compile_rule("labelled", labelled(_LABEL), PhiType.MRN, 0.9),)


class MrnRecognizer(RegexRecognizer):
    """Values after a medical-record label."""

    def __init__(self) -> None:
        super().__init__(name="MrnRecognizer", rules=RULES, context=["mrn", "record", "chart"])
