"""Licence and certificate numbers: state/medical/driver's licence, DEA (two letters, seven digits), NPI."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import END, MARKER, SEP, VALUE
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_LABEL = (
    r"(?:(?i:\b(?:(?:(?:medical|state|driver'?s?|drivers|nursing|professional|board|dea|npi)[ \t]+)?"
    r"(?:license|licence|lic\.?)(?![ \t]+plate)|dea|npi|upin|certificate|cert\.?|certification)(?![a-z]))"
    # "DL" (driver's licence) only as an upper-case word: "mg/dL 70-99" is a unit and a reference range.
    r"|(?<![\w/])DL(?![A-Za-z]))"
)

RULES = (
    compile_rule("labelled", rf"{_LABEL}{MARKER}{{0,2}}{SEP}(?P<phi>{VALUE}){END}", PhiType.LICENSE, 0.9),
    compile_rule(
        "dea",
        r"(?<![A-Za-z0-9])(?P<phi>[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7})(?![A-Za-z0-9])",
        PhiType.LICENSE,
        0.45,
    ),
    compile_rule("npi", r"(?<![\w-])(?P<phi>[12]\d{9})(?![\w-])", PhiType.LICENSE, 0.3),
)


def dea_checksum_ok(value: str) -> bool:
    """DEA check digit: (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    d = [int(c) for c in value[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def npi_checksum_ok(value: str) -> bool:
    """NPI: Luhn over the number prefixed with 80840."""
    digits = [int(c) for c in "80840" + value]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


class LicenseRecognizer(RegexRecognizer):
    """Labelled licences; unlabelled DEA and NPI numbers only when their check digit holds."""

    def __init__(self) -> None:
        super().__init__(
            name="LicenseRecognizer", rules=RULES, context=["license", "licence", "dea", "npi", "lic"]
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Check digits for the unlabelled forms; a labelled value needs three digits."""
        value = match.group("phi")
        if rule.name == "dea" and not dea_checksum_ok(value):
            return None
        if rule.name == "npi" and not npi_checksum_ok(value):
            return None
        if rule.name == "labelled" and sum(c.isdigit() for c in value) < 3:
            return None
        return super().check(match, rule, text)
