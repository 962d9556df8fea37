"""What lines without results tell about the results below them: the table's column order and the specimen.

A table header ("Test  Result  Flag  Units  Reference Range") gives the column order, which settles whether a
lone "<0.04" is a value or a range. A specimen line ("Specimen: Serum", "Arterial blood") names the specimen
until another one does; a section heading ("URINALYSIS", "ARTERIAL BLOOD GAS") names it for its section, and a
heading that names none ends it ("CHEMISTRY" after "URINALYSIS").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from multimed.findings.labs.specimens import specimen_table

_COLUMNS = {
    "name": r"test(?:\s+name)?|analyte|component|parameter|investigation|examination|description|name",
    "result": r"results?|value|observed|your\s+value",
    "flag": r"flags?|abn(?:ormal)?|h/l|ind(?:icator)?",
    "unit": r"units?|uom",
    "range": r"ref(?:erence)?\.?(?:\s+(?:range|interval|values?))?|normal\s+(?:range|values?)|range|interval",
}
_COLUMN_PATTERNS = {
    column: re.compile(rf"(?<![A-Za-z])(?:{words})(?![A-Za-z])", re.IGNORECASE)
    for column, words in _COLUMNS.items()
}
_SPECIMEN_LINE = re.compile(
    r"^\W*(?:specimen|sample|source|material)(?:\s+type)?\s*[:\-]\s*(?P<rest>.*)$", re.IGNORECASE
)
_HEADING = re.compile(r"^[\s|*#=\-]*(?P<words>[A-Za-z][A-Za-z/&()\s\-]{1,60}?)[\s:|*#=\-]*$")
_MAX_HEADING_WORDS = 6


@dataclass
class ReportLayout:
    """The state carried from line to line while a report is read."""

    specimen: str | None = None
    specimen_from_heading: bool = False
    range_first: bool = False
    in_table: bool = False

    @property
    def lab_context(self) -> bool:
        """Below a table header or a specimen line: a bare "K 4.1" or "pH 7.38" is a result here."""
        return self.in_table or self.specimen is not None

    def observe(self, line: str) -> None:
        """Learn from a line that holds no result."""
        if self._table_header(line):
            return
        explicit = _SPECIMEN_LINE.match(line)
        if explicit:
            found = specimen_table().pattern.search(explicit.group("rest"))
            if found:
                self._set_specimen(found.group(), from_heading=False)
            return
        heading = _HEADING.match(line)
        if heading is None or len(heading.group("words").split()) > _MAX_HEADING_WORDS:
            return
        words = heading.group("words").strip()
        standalone = specimen_table().lookup(words)
        if standalone is not None:
            self.specimen, self.specimen_from_heading = standalone.name, False
            return
        if not (words.isupper() or line.rstrip().endswith(":")):
            return
        found = specimen_table().pattern.search(words)
        if found:
            self._set_specimen(found.group(), from_heading=True)
        elif self.specimen_from_heading:
            self.specimen, self.specimen_from_heading = None, False

    def _set_specimen(self, printed: str, *, from_heading: bool) -> None:
        specimen = specimen_table().lookup(printed)
        if specimen is not None:
            self.specimen, self.specimen_from_heading = specimen.name, from_heading

    def _table_header(self, line: str) -> bool:
        if any(char.isdigit() for char in line):
            return False
        positions = {}
        for column, pattern in _COLUMN_PATTERNS.items():
            found = pattern.search(line)
            if found:
                positions[column] = found.start()
        if len(positions) < 3 or "result" not in positions:
            return False
        self.range_first = "range" in positions and positions["range"] < positions["result"]
        self.in_table = True
        return True
