"""Lab analyte names a weak finding must not take for a person or a place ("Urea Nitrogen", "Glu", "Trig").

spaCy's small model calls lab labels people: "Creatine Kinase", "Nitrogen" of "Urea Nitrogen", "Glu", "Alb".
Only the weak recognizers (spaCy, name propagation, dictated names, the city gazetteer) give way, and only
when every letter and digit they flagged lies inside analyte names; a finding that reaches past the name is
kept whole, so a real name next to a label ("K. Whitfield") is still redacted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from multimed.ml.phi.lexicon import Lexicon

_SEPARATORS = re.compile(r"[ \t,-]+")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9À-ÿ]+")
# Short one-word abbreviations double as surnames or nicknames ("Iron", "Mag", "Bili"): they count as analytes
# only on a line that goes on to print a value.
_SHORT = 4
_VALUE_LATER_ON_LINE = re.compile(r"[^\n]*\d")


def _phrase_pattern(phrase: str) -> str:
    """A phrase whose inner spaces, commas and hyphens match any run of them."""
    return r"[ \t,-]+".join(re.escape(word) for word in _SEPARATORS.split(phrase.strip()) if word)


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(_phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass(frozen=True)
class AnalyteNames:
    """Finds printed analyte names: short ones case-exact, longer ones in any case."""

    exact: re.Pattern[str]
    folded: re.Pattern[str]

    @classmethod
    def build(cls, lexicon: Lexicon) -> AnalyteNames:
        """One case-sensitive and one case-insensitive pattern over the analyte list."""
        short = [p for p in lexicon.lab_analytes if len(p) <= 2]
        longer = [p for p in lexicon.lab_analytes if len(p) > 2]
        edge_before, edge_after = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
        return cls(
            exact=re.compile(rf"{edge_before}(?:{_alternation(short)}){edge_after}"),
            folded=re.compile(rf"{edge_before}(?:{_alternation(longer)}){edge_after}", re.IGNORECASE),
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sorted, disjoint [start, end) of every analyte name used as one."""
        found: list[tuple[int, int]] = []
        for pattern in (self.exact, self.folded):
            for match in pattern.finditer(text):
                name = match.group()
                one_word = _SEPARATORS.search(name) is None
                if one_word and len(name) <= _SHORT and not _VALUE_LATER_ON_LINE.match(text, match.end()):
                    continue
                found.append(match.span())
        return _union(found)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Covered:
    """Sorted, disjoint spans of one text, searchable by position."""

    spans: list[tuple[int, int]]
    starts: list[int]

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> Covered:
        """Index spans that `AnalyteNames.spans` returned."""
        return cls(spans, [s for s, _ in spans])

    def covers(self, text: str, start: int, end: int) -> bool:
        """Whether every letter and digit of text[start:end] lies in the spans; False when it has none."""
        runs = list(_ALNUM_RUN.finditer(text, start, end))
        if not runs or not self.spans:
            return False
        for run in runs:
            i = bisect.bisect_right(self.starts, run.start()) - 1
            if i < 0 or self.spans[i][1] < run.end():
                return False
        return True
