"""`extract_labs`: every lab result in a de-identified report text, as FindingDraft objects of kind LAB.

A line is read sentence by sentence (sentences.py). A result is a sentence (or part of one) that starts with a
known analyte and gives it a value, or, in prose and dictation, an analyte named inside a sentence and given a
value right after its name (prose.py). The value and the reference range are converted into the analyte's
canonical unit, the critical limits are applied in the limit's unit, and `text[start:end]` quotes the
result's cells (the whole line for one result per line). A line that names no analyte but prints a value
with a critical flag is held for review as an unidentified CRITICAL result (unidentified.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from multimed.findings.draft import FindingDraft
from multimed.findings.labs.analytes import AliasMatch, analyte_dictionary
from multimed.findings.labs.cells import Cells, read_misread, read_result
from multimed.findings.labs.flags import critical_markers
from multimed.findings.labs.layout import ReportLayout
from multimed.findings.labs.limits import CriticalLimits
from multimed.findings.labs.prose import read_prose
from multimed.findings.labs.reading import to_finding
from multimed.findings.labs.sentences import sentence_spans
from multimed.findings.labs.unidentified import read_unidentified, unidentified_finding

_LINE = re.compile(r"[^\n]*")
# Before the first name: column rules, bullets, a leading critical marker ("*Potassium"), a panel label.
_LEAD = re.compile(
    r"[\s|>•·\-]*(?P<marker>[*!]{1,3}\s*)?"
    r"(?:(?P<panel>(?i:labs?|results?|bmp|cmp|cbc|chem(?:istry)?\s*\d*|lytes|electrolytes|abg|vbg|coags?|"
    r"lipids?|lipid\s+panel|lfts?|cardiac\s+enzymes|blood\s+gas))\s*[:\-]\s*)?"
)


def extract_labs(text: str, limits: CriticalLimits) -> list[FindingDraft]:
    """Lab results in `text`, in reading order, each with its severity under `limits`."""
    layout = ReportLayout()
    markers = critical_markers(text)
    findings: list[FindingDraft] = []
    for line_start, line in _lines(text):
        results = _read_sentences(line, layout, markers)
        if not results:
            layout.observe(line)
            continue
        for sentence_start, cells in results:
            if cells.alias.unreadable:
                finding = unidentified_finding(
                    cells,
                    offset=line_start + sentence_start,
                    markers=markers,
                    section_specimen=layout.specimen,
                )
            else:
                finding = to_finding(
                    cells,
                    offset=line_start + sentence_start,
                    limits=limits,
                    section_specimen=layout.specimen,
                    markers=markers,
                    lab_context=layout.lab_context,
                )
            if finding is not None:
                findings.append(finding)
    return findings


def line_results(line: str, *, range_first: bool = False) -> list[tuple[int, Cells]]:
    """Every result that starts a sentence of one line, with the sentence's offset, as a report line is
    read, and also a result line whose name nothing spells whatever its flag (`alias.unreadable`): what
    OCR's second reading (ocr_check.py) asks of a line."""
    found: list[tuple[int, Cells]] = []
    for start, end in sentence_spans(line):
        cells, _ = _read_line(line[start:end], range_first, frozenset(), critical_only=False)
        found.extend((start, c) for c in cells)
    return found


def _read_sentences(line: str, layout: ReportLayout, markers: frozenset[str]) -> list[tuple[int, Cells]]:
    """The results of each sentence of a line, with the sentence's offset: a sentence that starts with a
    result is read as a report line, any other as prose. A one- or two-letter name needs a unit, range or
    flag, unless the line lists several results or sits in a lab table or specimen section ("Pt 45" is not
    prothrombin time; "Na 139. K 4.1" is a list)."""
    listed_results: list[tuple[int, Cells]] = []
    prose_results: list[tuple[int, Cells]] = []
    listed = layout.lab_context
    for start, end in sentence_spans(line):
        sentence = line[start:end]
        found, panel = _read_line(sentence, layout.range_first, markers)
        listed = listed or panel
        listed_results.extend((start, cells) for cells in found)
        if not found:
            prose_results.extend((start, cells) for cells in read_prose(sentence))
    if not (listed or len(listed_results) > 1):
        listed_results = [(s, c) for s, c in listed_results if not c.alias.weak or c.corroborated]
    return sorted(listed_results + prose_results, key=lambda item: item[0] + item[1].start)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        if match.group().strip():
            yield match.start(), match.group()


def _read_line(
    line: str, range_first: bool, markers: frozenset[str], *, critical_only: bool = True
) -> tuple[list[Cells], bool]:
    """The results that start a line or sentence, one after another, and whether a panel label ("BMP:")
    lists them. A name nothing spells before a value with a printed critical flag is a result held for
    review (unidentified.py), never a line dropped."""
    lead = _LEAD.match(line)
    position = lead.end() if lead else 0
    marker = lead.group("marker").strip() if lead and lead.group("marker") else None
    start = lead.start("marker") if lead and marker else position
    results: list[Cells] = []
    listed = bool(lead and lead.group("panel"))
    while True:
        name_at = position
        cells, position = _read_one(line, position, start, range_first)
        if cells is None and analyte_dictionary().match_at(line, name_at) is None:
            cells, position = read_unidentified(
                line,
                name_at,
                start=start,
                range_first=range_first,
                markers=markers,
                marker=None if results else marker,
                critical_only=critical_only,
            )
        elif cells is not None and marker and not results:
            cells.flags.insert(0, marker)
        if cells is None:
            break
        results.append(cells)
        while position < len(line) and line[position] in " \t|,;":
            position += 1
        start = position
    return results, listed and bool(results)


def _read_one(line: str, position: int, start: int, range_first: bool) -> tuple[Cells | None, int]:
    """The result whose name starts at `position`: a name the dictionary spells, else an OCR misreading
    of one that its cells confirm (cells.read_misread)."""
    alias: AliasMatch | None = analyte_dictionary().match_at(line, position)
    if alias is None:
        cells, end = read_misread(line, position, range_first=range_first)
        if cells is not None:
            cells.start = min(start, cells.start)
        return cells, end
    return read_result(line, alias, start=min(start, alias.start), range_first=range_first)
