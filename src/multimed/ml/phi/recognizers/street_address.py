"""Street addresses: "123 Main Street, Apt 4", "4500 N. Oak Ridge Blvd Suite 210", "PO Box 88", "Route 9"."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Path|Pike|Alley|Row|Crescent|Plaza|Run"
    r"|Ridge|Crossing|Xing|Cove|Commons|Heights|Hollow|Point|Pointe|Landing|Walk|Expressway|Expy|Freeway|Fwy)\.?"
)
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_UNIT = (
    r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Bldg|Building|Floor|Fl|Room|Rm|Lot|#)\.?[ \t]*#?[ \t]*"
    r"[A-Z0-9-]+)?"
)
_NUMBER = r"\d{1,6}[A-Z]?(?:-\d{1,4})?"
_WORD = r"(?:[A-Z][a-zA-Z'\u2019]+|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th))"
_LOWER_WORD = r"(?:[a-z][a-z'\u2019]+|\d{1,3}(?:st|nd|rd|th))"

RULES = (
    compile_rule(
        "street",
        rf"(?<![\w/.-])(?P<phi>{_NUMBER}[ \t]+(?:{_DIRECTION}[ \t]+)?{_WORD}(?:[ \t]+{_WORD}){{0,3}}[ \t]+"
        rf"(?i:{_SUFFIX})"
        rf"(?:[ \t]+{_DIRECTION})?{_UNIT})(?![\w])",
        PhiType.ADDRESS,
        0.85,
    ),
    compile_rule(
        "dictated street",
        rf"(?<![\w/.-])(?P<phi>{_NUMBER}[ \t]+(?P<street>{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{0,2}})[ \t]+"
        rf"(?i:{_SUFFIX})"
        rf"(?:,?[ \t]+(?i:apt|apartment|suite|unit)\.?[ \t]*#?[ \t]*[a-z0-9-]+)?)(?![\w])",
        PhiType.ADDRESS,
        0.7,
    ),
    compile_rule(
        "po box",
        r"(?P<phi>(?i:\bP\.?[ \t]?O\.?[ \t]*Box|\bPost[ \t]+Office[ \t]+Box)[ \t]*#?[ \t]*\d+)\b",
        PhiType.ADDRESS,
        0.9,
    ),
    compile_rule(
        "route",
        rf"(?<![\w/.-])(?P<phi>(?:{_NUMBER}[ \t]+)?(?:Route|Rte\.?|Highway|Hwy\.?|County[ \t]+Road"
        r"|State[ \t]+Road|Farm[ \t]+Road|Rural[ \t]+Route)[ \t]+\d{1,4}[A-Z]?)\b",
        PhiType.ADDRESS,
        0.7,
    ),
)


class StreetAddressRecognizer(RegexRecognizer):
    """A house number, street words and a street suffix, with any unit."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        super().__init__(
            name="StreetAddressRecognizer",
            rules=RULES,
            context=["address", "lives", "resides", "home", "street", "apt"],
            negative_context=["mg", "tablets", "times", "units"],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Dictated streets need words that are not stop words ("3 blocks down the road")."""
        if rule.name == "dictated street":
            words = match.group("street").split()
            if any(self.lexicon.is_common(w) or self.lexicon.is_clinical(w) for w in words):
                return None
        return super().check(match, rule, text)
