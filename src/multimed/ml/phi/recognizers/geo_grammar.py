"""Address pieces shared by the street, city, state and ZIP recognizers."""

from __future__ import annotations

import re

from multimed.ml.phi.lexicon import Lexicon

# One to three capitalised words of a place name: "Springfield", "Fort Collins", "Winston-Salem", "St. Paul".
PLACE = (
    r"(?:(?:St\.|Ft\.|Mt\.)[ \t]+)?[A-Z][a-zA-Z'\u2019]+"
    r"(?:(?:[- ]|[ ](?:de|del|la|le|du|of|on)[ ]|[ ]d['\u2019])[A-Z][a-zA-Z'\u2019]+){0,2}"
)
ZIP = r"\d{5}(?:-\d{4})?"
# State abbreviations that are also clinician credentials: they need a ZIP or a street before them.
CREDENTIAL_LIKE = frozenset({"MD", "PA", "DE", "ME", "OR", "IN", "OK", "HI", "CO", "MS", "ID", "LA", "DC"})


def state_pattern(lexicon: Lexicon) -> str:
    """Full state names (capitalised or upper-case) and two-letter postal codes (upper-case)."""
    names = sorted(lexicon.state_names, key=len, reverse=True)
    titled = "|".join(re.escape(n.title()) for n in names)
    upper = "|".join(re.escape(n.upper()) for n in names)
    codes = "|".join(sorted(lexicon.state_abbreviations))
    return rf"(?:{titled}|{upper}|(?:{codes})(?:\.)?)"
