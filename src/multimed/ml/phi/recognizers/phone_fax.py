"""US telephone and fax numbers in their printed forms; a number is a fax when "fax" labels it."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_EXT = r"(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,5})?"
_NANP = r"[2-9]\d\d"
RULES = (
    compile_rule(
        "formatted",
        rf"(?<![\w/.-])(?P<phi>(?:\+?1[ \t.-]?)?(?:\({_NANP}\)[ \t]?"
        rf"|{_NANP}[ \t.-]){_NANP}[.-]\d{{4}}{_EXT})(?![\w-])",
        PhiType.PHONE,
        0.75,
    ),
    compile_rule(
        "spaced",
        rf"(?<![\w/.-])(?P<phi>(?:\+?1[ \t])?\({_NANP}\)[ \t]?{_NANP}[ \t]\d{{4}})(?![\w-])",
        PhiType.PHONE,
        0.7,
    ),
    compile_rule("digits", rf"(?<![\w/.-])(?P<phi>{_NANP}{_NANP}\d{{4}})(?![\w/.-])", PhiType.PHONE, 0.3),
    compile_rule("local", rf"(?<![\w/.()-])(?P<phi>{_NANP}-\d{{4}}{_EXT})(?![\w/.-])", PhiType.PHONE, 0.25),
)
_FAX = re.compile(r"(?i)\b(?:fax|facsimile|fx)\b|(?<![a-z])f\s*[:#]")
_FAX_AFTER = re.compile(r"(?i)^[ \t]*[(\[]?[ \t]*(?:fax|facsimile)\b")
_PHONE = re.compile(r"(?i)\b(?:phone|tel|telephone|cell|mobile|pager|call|ph|home|work)\b")


class PhoneFaxRecognizer(RegexRecognizer):
    """Phone numbers, retyped to FAX when the nearest label on the line says fax."""

    def __init__(self) -> None:
        super().__init__(
            name="PhoneFaxRecognizer",
            rules=RULES,
            context=[
                "phone",
                "tel",
                "telephone",
                "cell",
                "mobile",
                "call",
                "fax",
                "contact",
                "reached",
                "pager",
                "number",
                "home",
                "work",
            ],
            negative_context=[
                "mrn",
                "record",
                "account",
                "acct",
                "ssn",
                "npi",
                "member",
                "policy",
                "serial",
                "lot",
            ],
        )

    def extra_entities(self) -> tuple[str, ...]:
        """Numbers may be retyped to FAX."""
        return (PhiType.FAX,)

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """FAX when the closest label before the number on its line (or right after it) is a fax label."""
        start, end = match.span("phi")
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 40) : start]
        last_fax = max((m.end() for m in _FAX.finditer(before)), default=-1)
        last_phone = max((m.end() for m in _PHONE.finditer(before)), default=-1)
        after = text[end : end + 12]
        is_fax = last_fax > last_phone or (last_fax < 0 and last_phone < 0 and bool(_FAX_AFTER.search(after)))
        return Finding(start, end, PhiType.FAX if is_fax else rule.entity, rule.score)
