"""CSV data files with leading `#` comment lines (their sources), read with the line number of every row."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Row:
    """One data row and the 1-based line it sits on, so errors can name it."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def parse_rows(text: str) -> tuple[list[str], list[Row]]:
    """The header and rows of CSV text; `#` lines and blank lines are comments (sources, notes)."""
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return [], []
    reader = csv.reader([line for _, line in numbered])
    header = [name.strip() for name in next(reader)]
    rows: list[Row] = []
    for (number, _), cells in zip(numbered[1:], reader, strict=True):
        padded = cells + [""] * (len(header) - len(cells))
        rows.append(Row(line=number, values=dict(zip(header, padded, strict=False))))
    return header, rows


def packaged_text(name: str) -> str:
    """The text of a data file shipped in `multimed/findings/labs/data/`."""
    return resources.files("multimed.findings.labs").joinpath("data", name).read_text(encoding="utf-8")


def packaged_rows(name: str) -> list[Row]:
    """The rows of a packaged data file."""
    return parse_rows(packaged_text(name))[1]
