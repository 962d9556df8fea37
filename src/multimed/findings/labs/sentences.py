"""Sentence ends inside one line: a value, unit, range or flag never belongs to a name across one.

Dictation transcripts and report comments put several statements on one line ("Blood glucose 240. Potassium is
6.8 mmol/L."); read as one result, the glucose took the potassium's unit. A sentence ends at ".", "!" or "?"
followed by blanks and then a capital letter or an analyte name ("... 240. potassium 6.8"), unless the period
closes an abbreviation (data/abbreviations.csv: "Ref. Range", "Alk. Phos") or a single letter ("T. Bili").
A period after a blank or a dot leader ("6 . 8", "Glucose . . . 92") and a decimal point ("6. 8" before a
digit) are not sentence ends.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from multimed.findings.labs.analytes import analyte_dictionary
from multimed.findings.labs.csvdata import packaged_rows

_END = re.compile(r"[.!?](?=[ \t]+(?P<next>\S))")
_TOKEN_BEFORE = re.compile(r"[^\s(\[]*$")


@functools.cache
def abbreviations() -> frozenset[str]:
    """Lower-cased words whose period does not end a sentence."""
    return frozenset(row.get("word").lower() for row in packaged_rows("abbreviations.csv"))


def sentence_spans(line: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of `line`, blanks between sentences left out."""
    start = 0
    for match in _END.finditer(line):
        if _ends_sentence(line, match.start(), match.start("next")):
            yield start, match.end()
            start = match.start("next")
    yield start, len(line)


def _ends_sentence(line: str, period: int, following: int) -> bool:
    before = line[period - 1] if period else " "
    if not (before.isalnum() or before in ")]%"):
        return False
    token = _TOKEN_BEFORE.search(line, 0, period)
    word = token.group() if token else ""
    if line[period] == "." and (
        (len(word) == 1 and word.isalpha()) or word.lower().rstrip(".") in abbreviations()
    ):
        return False
    if line[following].isupper():
        return True
    return analyte_dictionary().match_at(line, following) is not None
