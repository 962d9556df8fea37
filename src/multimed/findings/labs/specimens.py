"""Specimen words (data/specimens.csv), and which critical limits a specimen may be judged by."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from multimed.findings.labs.csvdata import packaged_rows

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Specimen:
    name: str
    family: str


@dataclass(frozen=True, eq=False)
class SpecimenTable:
    by_spelling: dict[str, Specimen]
    pattern: re.Pattern[str]

    def lookup(self, printed: str) -> Specimen | None:
        """The specimen a printed word names ("Ser/Plas", "Arterial blood"), or None."""
        return self.by_spelling.get(_SPACES.sub(" ", printed.strip()).lower())

    def family_of(self, name: str | None) -> str | None:
        """The family of a specimen name as printed in a limits file ("serum/plasma" -> "blood")."""
        if name is None:
            return None
        found = self.lookup(name)
        return found.family if found is not None else None

    def compatible(self, result_specimen: str | None, limit_specimen: str | None) -> bool:
        """Whether a limit for `limit_specimen` may judge a result from `result_specimen` (unknown: yes)."""
        result_family = self.family_of(result_specimen)
        limit_family = self.family_of(limit_specimen)
        return result_family is None or limit_family is None or result_family == limit_family


@functools.cache
def specimen_table() -> SpecimenTable:
    """The packaged specimen vocabulary and a pattern for any of its spellings, read once."""
    by_spelling: dict[str, Specimen] = {}
    for row in packaged_rows("specimens.csv"):
        by_spelling[row.get("spelling").lower()] = Specimen(
            name=row.get("specimen"), family=row.get("family")
        )
    alternatives = [re.escape(s).replace(r"\ ", r"\s+") for s in sorted(by_spelling, key=len, reverse=True)]
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(alternatives) + r")(?![A-Za-z])", re.IGNORECASE)
    return SpecimenTable(by_spelling=by_spelling, pattern=pattern)
