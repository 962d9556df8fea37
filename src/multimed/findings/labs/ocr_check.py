"""Which words of an OCR line of a lab report are worth a second engine's reading, and when that reading is
consistent enough to replace them (the `LineCheck` of ml/ocr/second_reading.py).

Worth a second look: the name cell of a result line (a value with a unit or a range) whose name neither an
alias nor an OCR misreading spells ("BLY 1011 K/uL" for Plt), the value of a result whose words Tesseract
was unsure of, and the doubted words after an analyte's name on a line where no value could be read
("Albumin S d g/dL 3.5-5.0"). Accepted: a line whose results are the first reading's, one for one, with the
same units, ranges and flags, where
- a name nobody could read is now an analyte's, misread or not, and its printed unit (or, unitless, its range
  and value) confirms it, as for every OCR-misread name (cells.py `confirms`);
- a changed value has the same digits (only a decimal point Tesseract lost, added or split off differs:
  "111" or "47 .4" read again as "11.1", "47.4"), is plausible for its analyte (plausibility.py), and is one
  number. A changed digit is not taken: EasyOCR reads this report font's 7 as 1 ("7.0" -> "1.0" g/dL
  hemoglobin, a false critical on the development scans) as often as it corrects Tesseract;
- on a line that had no value, exactly the named analyte's result, its unit confirming it, its value
  plausible.
A second reading that names another analyte, loses a unit or a range, or splits a value is not taken.
"""

from __future__ import annotations

from collections.abc import Sequence

from multimed.findings.labs.analytes import AliasMatch, analyte_dictionary
from multimed.findings.labs.cells import Cells, confirms
from multimed.findings.labs.limits import CriticalLimits, load_critical_limits
from multimed.findings.labs.parser import line_results
from multimed.findings.labs.reading import to_finding

# Tesseract word confidence (0-100) under which a value is read again. On the development scans (seeds 1-4 of
# benchmarks/findings_eval.py) misread values scored 0-78 and most exact ones 85-96.
NUMBER_DOUBT = 80.0


def _word_spans(words: Sequence[tuple[str, float]]) -> list[tuple[int, int]]:
    """Each word's [start, end) in the words joined by single spaces."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for text, _ in words:
        spans.append((offset, offset + len(text)))
        offset += len(text) + 1
    return spans


# What may stand before a line's first name: column rules, bullets, a critical marker.
_LEAD = " |>•·-*!"


def _lone_name(text: str) -> AliasMatch | None:
    """The analyte named at the start of a line."""
    position = len(text) - len(text.lstrip(_LEAD))
    return analyte_dictionary().match_at(text, position)


def _digits(text: str | None) -> str:
    return "".join(char for char in text or "" if char.isdigit())


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    return [i for i, (a, b) in enumerate(spans) if a < end and start < b]


class LabLineCheck:
    """The lab reader's judgement of OCR lines, for `SecondReading(reader, check=LabLineCheck())`."""

    def __init__(self, limits: CriticalLimits | None = None, *, number_doubt: float = NUMBER_DOUBT) -> None:
        self.limits = limits if limits is not None else load_critical_limits()
        self.number_doubt = number_doubt

    def doubtful_words(self, words: Sequence[tuple[str, float]]) -> list[int]:
        text = " ".join(word for word, _ in words)
        spans = _word_spans(words)
        doubtful: set[int] = set()
        results = line_results(text)
        name = _lone_name(text) if not results else None
        if name is not None:  # a name, then no value: the doubted words after it may be the value
            after = [i for i, (a, _) in enumerate(spans) if a >= name.end]
            return [
                i for i in after if words[i][1] < self.number_doubt and any(c.isalnum() for c in words[i][0])
            ]
        for offset, cells in results:
            if cells.alias.unreadable:
                doubtful.update(_overlapping(spans, offset + cells.alias.start, offset + cells.alias.end))
            if cells.value_span is not None:
                value = _overlapping(spans, offset + cells.value_span[0], offset + cells.value_span[1])
                if any(words[i][1] < self.number_doubt for i in value):
                    doubtful.update(value)
        return sorted(doubtful)

    def consistent(self, first: str, second: str) -> bool:
        before, after = line_results(first), line_results(second)
        if not before:
            name = _lone_name(first)
            return (
                name is not None
                and len(after) == 1
                and after[0][1].alias.analyte.name == name.analyte.name
                and not after[0][1].alias.unreadable
                and confirms(after[0][1])
                and self._plausible(after[0][1])
            )
        if len(before) != len(after):
            return False
        return all(self._same_result(old, new) for (_, old), (_, new) in zip(before, after, strict=True))

    def _same_result(self, old: Cells, new: Cells) -> bool:
        if new.alias.unreadable or (old.unit, old.range_text, old.flags) != (
            new.unit,
            new.range_text,
            new.flags,
        ):
            return False
        if old.alias.unreadable:
            if not confirms(new):
                return False
        elif old.alias.analyte.name != new.alias.analyte.name:
            return False
        if old.value_text == new.value_text:
            return not old.alias.unreadable or self._plausible(new)
        return _digits(old.value_text) == _digits(new.value_text) and self._plausible(new)

    def _plausible(self, new: Cells) -> bool:
        finding = to_finding(
            new, offset=0, limits=self.limits, section_specimen=None, markers=frozenset(), lab_context=True
        )
        return finding is not None and not finding.details.get("implausible")
