"""Dates more specific than a year: numeric, ISO, month names, ordinals, month-year. A year alone is kept."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

# Month names in any case; every rule needs a day or a year next to one ("may" alone is a verb).
_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
MONTH = rf"(?i:{_MONTH_WORDS})\.?"
DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
    r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty[- ]first)"
)
YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEAR_TAIL = rf"(?:,?[ \t]+{YEAR}|[ \t]*[-/.,][ \t]*(?:{YEAR}|\d\d))?"
_END = r"(?![\w/])"

RULES = (
    compile_rule(
        "numeric", r"(?<![\w/.])(?P<phi>(\d{1,2})([/-])(\d{1,2})\3(\d{4}|\d{2}))" + _END, PhiType.DATE, 0.8
    ),
    compile_rule("dotted", rf"(?<![\w/.])(?P<phi>\d{{1,2}}\.\d{{1,2}}\.{YEAR})(?![\w.])", PhiType.DATE, 0.7),
    compile_rule(
        "iso",
        rf"(?<![\w/.-])(?P<phi>{YEAR}([-/.])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01]))(?!\d)",
        PhiType.DATE,
        0.85,
    ),
    compile_rule(
        "compact",
        rf"(?i:\b(?:dob|date|dos|doa|dod)\b[^\n\d]{{0,12}})(?P<phi>{YEAR}(?:0[1-9]|1[0-2])"
        r"(?:0[1-9]|[12]\d|3[01]))\b",
        PhiType.DATE,
        0.85,
    ),
    compile_rule("month day", rf"\b(?P<phi>{MONTH}[ \t]+{DAY}{_YEAR_TAIL})(?![\w])", PhiType.DATE, 0.85),
    compile_rule(
        "day month",
        rf"\b(?P<phi>{DAY}(?:[ \t]+|[ \t]*-[ \t]*){MONTH}{_YEAR_TAIL})(?![\w])",
        PhiType.DATE,
        0.85,
    ),
    compile_rule(
        "ordinal of month",
        rf"(?i:\b(?:the[ \t]+)?)(?P<phi>(?:{DAY}|(?i:{_ORDINAL_WORDS}))[ \t]+(?i:of)"
        rf"[ \t]+{MONTH}(?:,?[ \t]+{YEAR})?)(?![\w])",
        PhiType.DATE,
        0.85,
    ),
    compile_rule(
        "month ordinal word",
        rf"\b(?P<phi>{MONTH}[ \t]+(?i:the[ \t]+)?(?i:{_ORDINAL_WORDS})"
        rf"(?:,?[ \t]+{YEAR})?)(?![\w])",
        PhiType.DATE,
        0.8,
    ),
    compile_rule(
        "month year",
        rf"\b(?P<phi>{MONTH}(?:[ \t]+|[ \t]*[-/,][ \t]*|[ \t]+of[ \t]+){YEAR})(?![\w])",
        PhiType.DATE,
        0.8,
    ),
    compile_rule(
        "numeric month year", rf"(?<![\w/.])(?P<phi>(?:0?[1-9]|1[0-2])[/-]{YEAR})" + _END, PhiType.DATE, 0.75
    ),
    compile_rule(
        "month day no year",
        r"(?<![\w/.])(?P<phi>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))" + _END,
        PhiType.DATE,
        0.25,
    ),
)


def _valid_numeric(match: re.Match[str]) -> bool:
    first, second, year = int(match.group(2)), int(match.group(4)), match.group(5)
    if len(year) == 4 and not (1800 <= int(year) <= 2099):
        return False
    month_first = 1 <= first <= 12 and 1 <= second <= 31
    day_first = 1 <= second <= 12 and 1 <= first <= 31
    return month_first or day_first


class ClinicalDateRecognizer(RegexRecognizer):
    """Any date with a day or a month; years on their own, ratios and blood pressures are not dates."""

    def __init__(self) -> None:
        super().__init__(
            name="ClinicalDateRecognizer",
            rules=RULES,
            context=[
                "labs",
                "echo",
                "ct",
                "mri",
                "cxr",
                "ekg",
                "ecg",
                "imaging",
                "culture",
                "on",
                "since",
                "from",
                "until",
                "through",
                "dated",
                "date",
                "dob",
                "dos",
                "doa",
                "dod",
                "born",
                "seen",
                "admitted",
                "discharged",
                "visit",
                "appointment",
                "appt",
                "started",
                "stopped",
                "last",
                "next",
                "follow-up",
                "f/u",
                "surgery",
                "scheduled",
                "returned",
                "performed",
                "drawn",
            ],
            negative_context=[
                "bp",
                "blood pressure",
                "apgar",
                "strength",
                "pain",
                "murmur",
                "tab",
                "tablet",
                "ratio",
                "peep",
                "score",
                "grade",
                "motor",
                "reflexes",
                "vision",
                "visual acuity",
                "x",
                "dilution",
            ],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Reject impossible numeric dates."""
        if rule.name == "numeric" and not _valid_numeric(match):
            return None
        start, end = match.span("phi")
        if text[end - 1] == ".":  # "on the 3rd of May." ends a sentence
            end -= 1
        return Finding(start, end, rule.entity, rule.score)
