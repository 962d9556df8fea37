"""Clinical phrases a weak finding must not touch: eponymous diseases, signs, scores and devices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from multimed.ml.phi.lexicon import Lexicon


@dataclass(frozen=True)
class ClinicalPhrases:
    """Finds eponym phrases: "Parkinson's disease", "Down syndrome", "Bell's palsy", "Apgar"."""

    pattern: re.Pattern[str]
    standalone: frozenset[str]

    @classmethod
    def build(cls, lexicon: Lexicon) -> ClinicalPhrases:
        """Compile one pattern for every eponym and head noun."""
        names = "|".join(re.escape(w) for w in sorted(lexicon.eponyms, key=len, reverse=True))
        heads = "|".join(re.escape(w) for w in sorted(lexicon.eponym_heads, key=len, reverse=True))
        pattern = re.compile(
            rf"(?<![\w-])(?P<name>(?:{names})(?:[- ](?:{names}))*)(?P<possessive>['\u2019]s?)?"
            rf"(?P<head>[ \t-]+(?:{heads})\b)?",
            re.IGNORECASE,
        )
        return cls(pattern, lexicon.standalone_eponyms)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """[start, end) of every eponym used as a clinical term."""
        found = []
        for match in self.pattern.finditer(text):
            name = match.group("name")
            if not name[0].isupper():
                continue
            if match.group("possessive") or match.group("head") or name.lower() in self.standalone:
                found.append(match.span())
        return found
