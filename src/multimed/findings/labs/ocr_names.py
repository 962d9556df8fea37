"""Analyte names as OCR misreads them: "Tnl" for TnI, "P1t" or "Pt" for Plt, "HCO03" for HCO3, "€02" for CO2.

Only the name cell of a report line is read this way, never a number. A printed name that no alias spells
is compared with the aliases after folding: case, separators, and the glyph groups of
data/ocr-confusions.csv (l/I/1, O/0, C/€, S/5). A name within one further edit (a glyph lost, doubled or
swapped) of a folded alias is a candidate when both have three or more glyphs; a shorter one allows only a
doubled glyph ("Ccl") or a lost thin one ("Pt" for Plt). Folded aliases two analytes share are no candidate.

A candidate is only a guess, so the line must confirm it: the unit printed with the value must be one the
candidate's analyte is measured in (the platelets' "K/uL" after "Pt", not prothrombin time's seconds). An
analyte without a unit (pH, INR) needs a printed range, and the value and range within its plausible range.
When candidates of two analytes fit equally, the line is not read: a wrong analyte is worse than none.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from multimed.core.edit_distance import within_one_edit
from multimed.findings.labs.analytes import AliasMatch, Analyte, analyte_dictionary
from multimed.findings.labs.csvdata import packaged_rows

CONFUSIONS_FILE = "ocr-confusions.csv"
# Below this many glyphs any edit is half the name ("GL" is not glucose's "GLU"): see _short_misread.
_EDIT_FROM = 3
_MAX_NAME_WORDS = 4
_MAX_NAME_CHARS = 40
_SEPARATORS = re.compile(r"[\s,.\-_'\u2019`]+")
# The printed name: from here to where a value, a leader or another cell starts.
_NAME = re.compile(
    r"[^\s\d<>|:=(\[\]][^\n|:=(\[\]]*?"
    r"(?=\s+[<>≤≥]?\s?[-\u2212]?\d|\s*(?:\.{2,}|[|:=(\[\]])|\s*$)"
)


@functools.cache
def _glyph_map() -> dict[str, str]:
    """Every glyph of a confusion group mapped to the group's first glyph."""
    mapping: dict[str, str] = {}
    for row in packaged_rows(CONFUSIONS_FILE):
        glyphs = row.get("glyphs").split()
        for glyph in glyphs:
            if glyph in mapping:
                raise ValueError(f"{CONFUSIONS_FILE} line {row.line}: {glyph!r} is in two groups")
            mapping[glyph] = glyphs[0]
    return mapping


def fold(name: str) -> str:
    """The comparable form of a printed name under OCR confusions: "Tnl" and "TnI" both give "tnl"."""
    glyphs = _glyph_map()
    return "".join(glyphs.get(char, char) for char in _SEPARATORS.sub("", name).casefold())


def _short_misread(printed: str, alias: str) -> bool:
    """The two edits OCR makes in a name too short for any edit: a glyph doubled ("Ccl" for Cl) or a thin
    glyph lost ("Pt" for Plt)."""
    if len(printed) == len(alias) + 1:
        return any(
            printed[i] == printed[i - 1] and printed[:i] + printed[i + 1 :] == alias
            for i in range(1, len(printed))
        )
    if len(printed) + 1 == len(alias):
        thin = fold("l")
        return any(alias[i] == thin and alias[:i] + alias[i + 1 :] == printed for i in range(len(alias)))
    return False


@dataclass(frozen=True, eq=False)
class MisreadIndex:
    """Folded aliases that name exactly one analyte."""

    by_fold: dict[str, Analyte]
    by_length: dict[int, list[tuple[str, Analyte]]]

    def candidates(self, printed: str) -> list[tuple[int, Analyte]]:
        """(edits, analyte) for every analyte the printed name may be a misreading of, fewest edits first."""
        key = fold(printed)
        if not key:
            return []
        found: dict[str, tuple[int, Analyte]] = {}
        exact = self.by_fold.get(key)
        if exact is not None:
            found[exact.name] = (0, exact)
        nearby = [
            entry for size in (len(key) - 1, len(key), len(key) + 1) for entry in self.by_length.get(size, [])
        ]
        for alias_key, analyte in nearby:
            if analyte.name in found:
                continue
            short = min(len(alias_key), len(key)) < _EDIT_FROM
            if _short_misread(key, alias_key) if short else within_one_edit(key, alias_key):
                found[analyte.name] = (1, analyte)
        return sorted(found.values(), key=lambda item: item[0])


@functools.cache
def misread_index() -> MisreadIndex:
    """The folded aliases of the packaged dictionary, those shared by two analytes left out."""
    owners: dict[str, set[str]] = {}
    analytes: dict[str, Analyte] = {}
    for analyte in analyte_dictionary().analytes:
        analytes[analyte.name] = analyte
        for alias in (analyte.name, *analyte.aliases):
            owners.setdefault(fold(alias), set()).add(analyte.name)
    by_fold = {key: analytes[next(iter(names))] for key, names in owners.items() if len(names) == 1 and key}
    by_length: dict[int, list[tuple[str, Analyte]]] = {}
    for key, analyte in by_fold.items():
        by_length.setdefault(len(key), []).append((key, analyte))
    return MisreadIndex(by_fold, by_length)


def printed_name(line: str, position: int) -> re.Match[str] | None:
    """The name cell starting at `position`, when one stands there before a value."""
    match = _NAME.match(line, position)
    if match is None:
        return None
    name = match.group()
    if len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS:
        return None
    return match


def misread_aliases(line: str, position: int) -> list[tuple[int, AliasMatch]]:
    """The analytes a misread name at `position` may stand for, as alias matches, fewest edits first."""
    match = printed_name(line, position)
    if match is None:
        return []
    return [
        (edits, AliasMatch(analyte=analyte, start=match.start(), end=match.end(), weak=False, misread=True))
        for edits, analyte in misread_index().candidates(match.group())
    ]
