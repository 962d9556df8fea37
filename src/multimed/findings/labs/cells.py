"""The cells of one result on one line: analyte name, value, unit, reference range and flags, in any order.

A result starts where a known analyte name starts (at the line's start, after another result on the same
line, or after a panel label such as "BMP:"). Between the name and the value only specimen words, name words
("fasting", "level"), the unit, a flag or the analyte's other alias may stand; anything else means the line
is not a result ("Potassium chloride 20 mEq"). Cells are recognized by their shape, so column order does not
matter; the one ambiguity, a "<0.04" that is a value in one table and a range in another, follows the table
header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from multimed.findings.labs.analytes import AliasMatch, Analyte, analyte_dictionary, name_words
from multimed.findings.labs.flags import flag_table
from multimed.findings.labs.numbers import NUMBER, parse_number
from multimed.findings.labs.ocr_names import misread_aliases
from multimed.findings.labs.plausibility import plausible_ranges
from multimed.findings.labs.specimens import specimen_table
from multimed.findings.labs.units import conversions, unit_table

_SEPARATORS = re.compile(
    r"(?:[\s|:=()\],;…]|\[(?!pH\])|\.{2,}|_{2,}|[-\u2013\u2014]{2,}|[-\u2013\u2014](?=\s)|\.(?=\s|$))+"
)
_COMPARATOR = r"(?P<cmp><=|>=|=<|=>|≤|≥|<|>)"
_QUALIFIED = re.compile(_COMPARATOR + r"\s?(?P<num>" + NUMBER + ")")
_PLAIN = re.compile(r"(?P<num>" + NUMBER + ")")
_RANGE = re.compile(
    r"(?P<low>"
    + NUMBER
    # A tilde joins a range on some reports ("3.5~5.0") and is how OCR reads a spaced hyphen ("22 ~ 29").
    + r")(?:-|[ \t]+-[ \t]+|[ \t]*[\u2013\u2014~][ \t]*|[ \t]+to[ \t]+|\.\.)(?P<high>"
    + NUMBER
    + ")"
)
# Dates, times and surrogates are never values: "01/15/2023", "2023-01-15", "10:15", "[MRN_2]".
_NOT_VALUE = re.compile(
    r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}(?![\d.])|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?|\[[A-Z]+_\d+\]"
)
_REFERENCE_WORD = re.compile(
    r"(?i:ref(?:erence)?\.?(?:\s+(?:range|interval|values?))?|normal(?:\s+(?:range|values?))?|range|"
    r"interval|RI|NR)(?![A-Za-z])"
)
_WORD = re.compile(r"[^\s|()\[\],;:=]+")
_LETTERS = re.compile(r"[A-Za-z][A-Za-z\-]*")
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")
_ANY = re.compile(r"\S")
# Dot leaders ("Chloride ........ 101") that OCR turned partly into letters ("........ccvvvnn. 101").
_LEADER = re.compile(r"[ \t)\]]*\.(?:[^\d\n<>=]*?)(?=[<>=]|\d|[OoIl][.,]?\d)")
# After a value, OCR's 10^3/uL with the caret read as a 7 ("1073/uL"): a second number cannot be the value.
_SEVEN_CARET = re.compile(
    r"(?:[x\u00d7]\s?)?10\s?7\s?(?:3|6|9|12)\s?/\s?(?:[uU\u00b5\u03bc]L|L)(?![A-Za-z0-9])"
)
# Roles of data/name_words.csv that may stand between a name and its value ("K level", "potassium is").
_BETWEEN_NAME_AND_VALUE = frozenset({"name", "link"})
_UNKNOWN_WORDS_IN_A_ROW = 3
# A lone quote or backtick between a name and its value: a speck or a column gap read as a mark ("Plt ' 1011
# K/uL", EasyOCR's reading of a clean line). It says nothing, so it ends no name cell.
_STRAY_MARK = re.compile(r"(?<=\s)['`\u00b4\u2018\u2019\u201c\u201d\"]{1,2}(?=\s)")
_QUALIFIERS = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "=<": "<=", "=>": ">=", "≤": "<=", "≥": ">="}


@dataclass
class Cells:
    """What one result's cells say, with offsets into the line."""

    alias: AliasMatch
    start: int
    end: int
    value_text: str | None = None
    value_span: tuple[int, int] | None = None  # [start, end) of the value in the line
    qualifier: str | None = None
    number_text: str | None = None
    unit_text: str | None = None
    unit: str | None = None
    range_text: str | None = None
    range_low_text: str | None = None
    range_high_text: str | None = None
    range_comparator: str | None = None
    flags: list[str] = field(default_factory=list)
    specimen: str | None = None

    @property
    def corroborated(self) -> bool:
        """A unit, range or flag printed with the value: a one-letter name alone ("K 4") is not enough."""
        return bool(self.unit or self.range_text or self.flags)


@dataclass
class _Cursor:
    line: str
    position: int
    end: int  # end of the last recognized cell

    def skip(self) -> None:
        match = _SEPARATORS.match(self.line, self.position)
        if match:
            self.position = match.end()

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.line, self.position)
        if match:
            self.position = match.end()
        return match

    def recognized(self, match: re.Match[str]) -> None:
        self.end = max(self.end, match.end())


def read_result(
    line: str, alias: AliasMatch, *, start: int, range_first: bool, prose: bool = False
) -> tuple[Cells | None, int]:
    """The result named at `alias` and where the next result may start; None when it is not a result.

    After the value, words that are no cell end the result: three in a row in a report line (OCR leaves stray
    words between columns: "rnmol ll"), the first one in `prose`, where "Hemoglobin 6.4 this morning, 2 units
    given" must not lend the hemoglobin a unit or a range from the rest of the sentence.
    """
    cells = Cells(alias=alias, start=start, end=alias.end)
    cursor = _Cursor(line=line, position=alias.end, end=alias.end)
    if not _read_name_cell(cells, cursor):
        return None, cursor.position
    expect_range = False
    unknown, patience = 0, 1 if prose else _UNKNOWN_WORDS_IN_A_ROW
    while True:
        token_start = cursor.position
        cursor.skip()
        if cursor.position >= len(line):
            break
        if cells.value_text is not None and _next_result_starts(line, cursor.position, range_first):
            break
        if cells.value_text is not None and unknown >= patience:
            break
        if prose and cells.value_text is None and not _value_at(line, cursor.position):
            break
        # A stray token glued to the previous one is one word ("1076/uL", OCR's misread 10^6/uL).
        stray = int(cells.value_text is not None and not (unknown and cursor.position == token_start))
        unknown_before = unknown
        unknown = 0
        if cursor.take(_NOT_VALUE):
            unknown = unknown_before + stray
            continue
        # After the value a unit goes first: "10*9/L" and "10^3/uL" begin like numbers.
        if cells.value_text is not None and (_take_unit(cells, cursor) or _take_seven_caret(cells, cursor)):
            continue
        match = cursor.take(_RANGE)
        if match:
            if cells.range_text is None:
                _set_range(cells, match, None)
                cursor.recognized(match)
            continue
        match = cursor.take(_QUALIFIED)
        if match:
            as_range = (
                expect_range or cells.value_text is not None or (range_first and cells.range_text is None)
            )
            if as_range and cells.range_text is None:
                _set_range(cells, match, _QUALIFIERS[match.group("cmp")])
                cursor.recognized(match)
            elif cells.value_text is None:
                _set_value(cells, match, _QUALIFIERS[match.group("cmp")])
                cursor.recognized(match)
            expect_range = False
            continue
        match = cursor.take(_PLAIN)
        if match:
            if cells.value_text is None:
                _set_value(cells, match, None)
                cursor.recognized(match)
                if _dose_follows(line, cursor.position) and cells.unit is None:
                    return None, cursor.position
            else:
                unknown = unknown_before + stray
            continue
        if _take_unit(cells, cursor) or _take_flag(cells, cursor):
            continue
        if cursor.take(_REFERENCE_WORD):
            expect_range = True
            continue
        cursor.take(_WORD) or cursor.take(_ANY)
        unknown = unknown_before + stray
    if cells.value_text is None:
        return None, cursor.position
    cells.end = _close_brackets(line, cells.start, cursor.end)
    return cells, cursor.position


def _read_name_cell(cells: Cells, cursor: _Cursor) -> bool:
    """Consume what may stand between the name and the value; False when an unknown word stands there."""
    dictionary, words, specimens = analyte_dictionary(), name_words(), specimen_table()
    while True:
        leader = _LEADER.match(cursor.line, cursor.position)
        if leader:
            cursor.position = leader.end()
        cursor.skip()
        if cursor.position >= len(cursor.line):
            return True
        position = cursor.position
        if _take_unit(cells, cursor) or cursor.take(_STRAY_MARK):
            continue
        if _PLAIN.match(cursor.line, position) or _QUALIFIED.match(cursor.line, position):
            return True
        specimen = specimens.pattern.match(cursor.line, position)
        if specimen:
            found = specimens.lookup(specimen.group())
            cells.specimen = found.name if found else None
            cursor.position = specimen.end()
            continue
        other = dictionary.match_at(cursor.line, position)
        if other is not None and _same_analyte(other, cells.alias):
            cursor.position = other.end
            continue
        if _take_flag(cells, cursor):
            continue
        if cursor.take(_REFERENCE_WORD):
            return True
        word = _LETTERS.match(cursor.line, position)
        if word and words.get(word.group().lower()) in _BETWEEN_NAME_AND_VALUE:
            cursor.position = word.end()
            continue
        return False


def _value_at(line: str, position: int) -> bool:
    """Whether a value (not a range, date or time) starts here: in prose it comes right after the name."""
    if _RANGE.match(line, position) or _NOT_VALUE.match(line, position):
        return False
    return bool(_PLAIN.match(line, position) or _QUALIFIED.match(line, position))


def _same_analyte(other: AliasMatch, alias: AliasMatch) -> bool:
    first, second = other.analyte, alias.analyte
    return first is second or first.variant_of == second.name or second.variant_of == first.name


def _take_unit(cells: Cells, cursor: _Cursor) -> bool:
    match = unit_table().pattern.match(cursor.line, cursor.position)
    if match is None:
        return False
    # "/uL" glued to a number that is not the value is a misread unit ("2.55 1076/uL" for 10^6/uL).
    before = cursor.line[match.start() - 1] if match.start() else " "
    if match.group().startswith("/") and before.isalnum() and cursor.end != match.start():
        return False
    cursor.position = match.end()
    # A "%" before the result's real unit, for an analyte never measured in %, is no unit: OCR's reading of
    # the flag column ("122 % mEq/L" for "122 * mEq/L"). It is dropped, not made a flag: the range judges.
    misread_flag = cells.unit == "%" and match.group() != "%" and not _measured_in(cells.alias.analyte, "%")
    if cells.unit is None or misread_flag:
        cells.unit_text = match.group()
        cells.unit = unit_table().canonical(match.group())
    cursor.recognized(match)
    return True


def _take_seven_caret(cells: Cells, cursor: _Cursor) -> bool:
    match = cursor.take(_SEVEN_CARET)
    if match is None:
        return False
    if cells.unit is None:
        cells.unit_text = match.group()
        cells.unit = unit_table().canonical(re.sub(r"10\s?7", "10^", match.group(), count=1))
    cursor.recognized(match)
    return True


def _take_flag(cells: Cells, cursor: _Cursor) -> bool:
    match = cursor.take(flag_table().pattern)
    if match is None:
        return False
    cells.flags.append(match.group())
    cursor.recognized(match)
    return True


def _set_value(cells: Cells, match: re.Match[str], qualifier: str | None) -> None:
    cells.value_text = match.group()
    cells.value_span = match.span()
    cells.number_text = match.group("num")
    cells.qualifier = qualifier


def _set_range(cells: Cells, match: re.Match[str], comparator: str | None) -> None:
    cells.range_text = match.group()
    cells.range_comparator = comparator
    if comparator is None:
        cells.range_low_text, cells.range_high_text = match.group("low"), match.group("high")
    elif comparator.startswith("<"):
        cells.range_high_text = match.group("num")
    else:
        cells.range_low_text = match.group("num")


def _dose_follows(line: str, position: int) -> bool:
    """A dose word right after the number ("20 mEq PO", "400 mg daily"): a medication line, not a result."""
    word = _NEXT_WORD.match(line, position)
    if word is None or unit_table().pattern.match(line, word.start(1)):
        return False
    return name_words().get(word.group(1).lower()) == "dose"


def _next_result_starts(line: str, position: int, range_first: bool) -> bool:
    """Whether another result with its own value starts here ("Na 139  K 4.1", OCR's "Pt 270 K/uL"), also
    one whose name nothing spells (OCR's "BLY 1011 K/uL Critical" in the right column): its unit, range and
    flag are its own, never the result before it (a neighbour's Critical made sodium 139 critical)."""
    other = analyte_dictionary().match_at(line, position)
    if other is None:
        if read_misread(line, position, range_first=range_first)[0] is not None:
            return True
        if not line[position].isalpha() or unit_table().pattern.match(line, position):
            return False  # the result's own unit ("mmol/L 98-107") starts no name cell
        # Imported here: unidentified.py reads its cells with this module.
        from multimed.findings.labs.unidentified import read_unidentified

        unnamed, _ = read_unidentified(
            line,
            position,
            start=position,
            range_first=range_first,
            markers=frozenset(),
            marker=None,
            critical_only=False,
        )
        return unnamed is not None
    cells, _ = read_result(line, other, start=position, range_first=range_first)
    return cells is not None


def read_misread(line: str, position: int, *, range_first: bool) -> tuple[Cells | None, int]:
    """The result of a name at `position` that no alias spells but an OCR misreading of one does
    (ocr_names.py), when its cells confirm the analyte; of equally close candidates that two analytes'
    cells confirm, none is taken."""
    if position >= len(line) or not (line[position].isalpha() or line[position] in "€¢$§|!"):
        return None, position
    flag = flag_table().pattern.match(line, position)
    if flag and (flag.end() == len(line) or line[flag.end()].isspace()):
        return None, position  # "H  Hgb 11.0": a flag cell ends the result before, it starts no name
    best: list[tuple[int, Cells, int]] = []
    for edits, alias in misread_aliases(line, position):
        if best and edits > best[0][0]:
            break
        cells, end = read_result(line, alias, start=position, range_first=range_first)
        if cells is not None and confirms(cells):
            best.append((edits, cells, end))
    if not best or len({cells.alias.analyte.name for _, cells, _ in best}) > 1:
        return None, position
    _, cells, end = best[0]
    return cells, end


def _measured_in(analyte: Analyte, unit: str) -> bool:
    """Whether the analyte (or its variant for that unit: neutrophils in %) is reported in `unit`."""
    measured = analyte_dictionary().variant(analyte, unit)
    return conversions().can_convert(measured.name, unit, measured.unit)


def confirms(cells: Cells) -> bool:
    """Whether a misread name's cells fit its analyte: a unit it is measured in; for a unitless analyte
    (pH, INR) a printed range, with value and range inside its plausible range."""
    analyte = cells.alias.analyte
    if cells.unit is not None:
        return _measured_in(analyte, cells.unit)
    plausible = plausible_ranges().get(analyte.name)
    if not analyte.unit.startswith(("[", "{")) or plausible is None or cells.range_text is None:
        return False
    printed = [cells.number_text, cells.range_low_text, cells.range_high_text]
    try:
        numbers = [parse_number(text) for text in printed if text]
    except ValueError:
        return False
    low = -float("inf") if plausible.low is None else plausible.low
    high = float("inf") if plausible.high is None else plausible.high
    return all(low <= number <= high for number in numbers)


def _close_brackets(line: str, start: int, end: int) -> int:
    """Extend the span over the closing bracket of a cell it opened ("(3.5-5.1)")."""
    opened = line.count("(", start, end) - line.count(")", start, end)
    opened += line.count("[", start, end) - line.count("]", start, end)
    while opened > 0:
        rest = line[end:]
        stripped = rest.lstrip(" ")
        if not stripped or stripped[0] not in ")]":
            break
        end += len(rest) - len(stripped) + 1
        opened -= 1
    return end
