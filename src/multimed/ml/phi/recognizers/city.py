"""Cities and towns: "Springfield, IL", a gazetteer of large US cities, "lives in Bozeman", "City: Ithaca"."""

from __future__ import annotations

import re

from multimed.ml.phi.base import PhiType
from multimed.ml.phi.lexicon import Lexicon
from multimed.ml.phi.recognizers.geo_grammar import CREDENTIAL_LIKE, PLACE, ZIP, state_pattern
from multimed.ml.phi.recognizers.regex_recognizer import Finding, RegexRecognizer, Rule, compile_rule

_LIVES = (
    r"(?i:\b(?:lives|living|resides|residing|resident|moved|relocated|born|native|visiting|vacation(?:ing)?"
    r"|travel(?:l?ed|s)?|trip|returned|returning|grew[ \t]+up|raised|originally|hometown|home|commutes"
    r"|discharged"
    r"|transferred|transfer|sent|arrived|arriving|admitted|flown|driven|brought|ems|ambulance|calling|drove|went)"
    r"[ \t]+(?:alone[ \t]+|here[ \t]+|back[ \t]+|nearby[ \t]+|up[ \t]+|home[ \t]+)?(?:in|of|from|to|at|near"
    r"|is)[ \t]+"
    r"(?:the[ \t]+)?)"
)
# A town right after a street address: "12 Oak St in Bozeman", "4 Elm Rd, Apt 2, Ithaca".
_AFTER_STREET = (
    r"(?i:\b(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|circle|cir|blvd"
    r"|boulevard|parkway|pkwy|trail|highway|hwy)\.?(?:,?[ \t]+(?:apt|apartment|suite|ste|unit"
    r"|#)\.?[ \t]*#?[ \t]*"
    r"[a-z0-9-]+)?)(?:[ \t]*,[ \t]*|[ \t]+in[ \t]+)"
)
_PLACE_PREPOSITION = re.compile(r"(?i)\b(?:in|from|to|near|of|at)[ \t]+$")
_STREET_BEFORE = re.compile(
    r"\d+[ \t]+\w.*?\b(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Blvd|Box|Way|Ct)\b"
)


class CityRecognizer(RegexRecognizer):
    """Places smaller than a state; a state or country on its own is not reported."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        state = state_pattern(lexicon)
        cities = sorted(lexicon.cities, key=len, reverse=True)
        gazetteer = "|".join(re.escape(c.title()).replace("'S", "'s") for c in cities)
        gazetteer_upper = "|".join(re.escape(c.upper()) for c in cities)
        rules = (
            compile_rule(
                "city state",
                rf"(?<![\w.])(?P<phi>{PLACE}),[ \t]*(?P<st>{state})(?:[ \t]+(?P<zip>{ZIP}))?"
                r"(?![A-Za-z])",
                PhiType.CITY,
                0.85,
            ),
            compile_rule(
                "label",
                rf"(?i:\b(?:city|town|hometown|municipality)\b)[ \t]*:[ \t]*(?P<phi>{PLACE})",
                PhiType.CITY,
                0.9,
            ),
            compile_rule("lives in", rf"{_LIVES}(?P<phi>{PLACE})", PhiType.CITY, 0.75),
            compile_rule("after street", rf"{_AFTER_STREET}(?P<phi>{PLACE})(?![\w])", PhiType.CITY, 0.75),
            compile_rule(
                "dictated after street",
                rf"{_AFTER_STREET}(?P<phi>[a-z][a-z'\u2019-]+(?:[ \t][a-z][a-z'\u2019-]+)?)",
                PhiType.CITY,
                0.6,
            ),
            compile_rule(
                "dictated lives in",
                rf"{_LIVES}(?P<phi>[a-z][a-z'\u2019-]+(?:[ \t][a-z][a-z'\u2019-]+)?)",
                PhiType.CITY,
                0.6,
            ),
            compile_rule(
                "gazetteer", rf"(?<![\w.])(?P<phi>{gazetteer}|{gazetteer_upper})(?![\w])", PhiType.CITY, 0.6
            ),
        )
        super().__init__(
            name="CityRecognizer",
            rules=rules,
            context=["lives", "resides", "city", "town", "from", "moved", "address", "born"],
        )

    def check(self, match: re.Match[str], rule: Rule, text: str) -> Finding | None:
        """Trim non-place words; states and countries are not cities; "Lee, MD" is a clinician."""
        base = match.start("phi")
        words = list(re.finditer(r"\S+", match.group("phi")))
        if rule.name.startswith("dictated"):
            # Lower-case: the leading run of words the lexicon does not know ("in moab with his sister").
            run = []
            for word in words:
                if self.lexicon.is_non_name(word.group()) or word.group() in self.lexicon.department_words:
                    break
                run.append(word)
            words = run
        while words and self.lexicon.is_non_name(words[0].group()) and rule.name != "gazetteer":
            words.pop(0)
        while words and self.lexicon.is_non_name(words[-1].group()):
            words.pop()
        if not words:
            return None
        start, end = base + words[0].start(), base + words[-1].end()
        value = text[start:end]
        if self.lexicon.is_place_not_phi(value) or self.lexicon.all_clinical(value):
            return None
        if all(w.group().lower() in self.lexicon.department_words for w in words):
            return None
        score = rule.score
        if rule.name == "city state" and match.group("st").rstrip(".") in CREDENTIAL_LIKE:
            line_start = text.rfind("\n", 0, start) + 1
            supported = (
                match.group("zip")
                or _STREET_BEFORE.search(text, line_start, start) is not None
                or _PLACE_PREPOSITION.search(text, max(line_start, start - 12), start) is not None
                or value.lower() in self.lexicon.cities
            )
            if not supported:
                return None
        elif rule.name == "gazetteer" and (
            self.lexicon.is_non_name(value) or (value.isupper() and len(value) <= 4)
        ):
            score = 0.2  # below the release gate: a common word that is also a city name
        return Finding(start, end, rule.entity, score)
