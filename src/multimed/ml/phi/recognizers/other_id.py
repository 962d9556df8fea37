"""Other unique numbers: accession, specimen, encounter, case, passport, "ID:" values, long bare numbers."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import END, MARKER, VALUE, labelled
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_NOUN = (
    r"(?:accession|specimen|encounter|visit|case|order|study|requisition|passport|employee|badge|reference|ref"
    r"|confirmation|ticket|claim|authorization|auth|episode|admission|csn|fin|har"
    # Lab slips: "Acc No: A21-313758", "Accn #", "Lab No.", "Sample ID", "Req #", "Barcode no".
    r"|acc\.?|accn|acsn|lab|sample|req\.?|barcode|container|tube|slide|block)"
)

RULES = (
    compile_rule("marked", labelled(rf"(?i:\b{_NOUN}){MARKER}{{1,2}}"), PhiType.ID, 0.85),
    compile_rule(
        "accession",
        labelled(r"(?i:\b(?:accession|accn|acsn|requisition|passport|csn|fin|har)(?![a-z]))"),
        PhiType.ID,
        0.85,
    ),
    compile_rule(
        "id label", rf"(?<![A-Za-z])(?:ID|Id|id)[ \t]*[:#][ \t]*(?P<phi>{VALUE}){END}", PhiType.ID, 0.8
    ),
    compile_rule(
        "long number", r"(?<![\w.,/-])(?P<phi>\d{7,}|\d{2,}(?:-\d{2,}){2,})(?![\w.,/-]|,\d)", PhiType.ID, 0.35
    ),
    compile_rule(
        "letters and digits",
        r"(?<![\w.-])(?P<phi>[A-Z]{1,3}\d{6,}|\d{3,}[A-Z]{2,}\d{3,})(?![\w-])",
        PhiType.ID,
        0.35,
    ),
)


class OtherIdRecognizer(RegexRecognizer):
    """Labelled identifiers, and long numbers that only a lower threshold reports."""

    def __init__(self) -> None:
        super().__init__(
            name="OtherIdRecognizer",
            rules=RULES,
            context=["id", "number", "no", "accession", "identifier"],
            negative_context=[
                "mg",
                "mcg",
                "units",
                "ml",
                "cells",
                "copies",
                "count",
                "platelets",
                "ndc",
                "icd",
                "cpt",
                "loinc",
                "snomed",
                "lot",
            ],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """A labelled value needs three digits."""
        if rule.name != "long number" and sum(c.isdigit() for c in match.group("phi")) < 3:
            return None
        return super().check(match, rule, text)
