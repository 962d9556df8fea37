"""Vehicle identifiers: 17-character VINs (check digit verified) and labelled licence plates."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.identifier_grammar import SEP
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_VIN = r"[A-HJ-NPR-Z0-9]{17}"
_PLATE = r"(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){0,2}"

RULES = (
    compile_rule(
        "labelled vin",
        rf"(?i:\bvin\b(?:[ \t]+(?:number|no\.?|#))?){SEP}(?P<phi>[A-HJ-NPR-Z0-9]{{11,17}})"
        r"(?![A-Za-z0-9])",
        PhiType.VEHICLE,
        0.95,
    ),
    compile_rule("vin", rf"(?<![A-Za-z0-9])(?P<phi>{_VIN})(?![A-Za-z0-9])", PhiType.VEHICLE, 0.5),
    compile_rule(
        "plate",
        r"(?i:\b(?:licen[cs]e[ \t]+plate|plate|tag|vehicle[ \t]+registration)(?:[ \t]+(?:number|no\.?|#))?"
        r"(?:[ \t]+(?:is|was|reads))?)"
        + SEP
        + rf"(?:\(?[A-Z]{{2}}\)?[ \t]+)?(?P<phi>{_PLATE})(?![A-Za-z0-9])",
        PhiType.VEHICLE,
        0.85,
    ),
)
_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_checksum_ok(vin: str) -> bool:
    """North American VIN check digit (position 9)."""
    total = sum(_TRANSLITERATION[c] * w for c, w in zip(vin, _WEIGHTS, strict=True))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


class VehicleRecognizer(RegexRecognizer):
    """VINs and plates."""

    def __init__(self) -> None:
        super().__init__(
            name="VehicleRecognizer", rules=RULES, context=["vin", "vehicle", "car", "truck", "plate"]
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """An unlabelled VIN mixes letters and digits; a valid check digit makes it certain."""
        value = match.group("phi")
        if rule.name == "vin":
            if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
                return None
            score = 0.85 if vin_checksum_ok(value) else rule.score
            return Finding(*match.span("phi"), rule.entity, score)
        return super().check(match, rule, text)
