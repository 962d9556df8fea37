"""Nine ways labs print a panel; each returns the panel's lines and, per result, the text that states it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Both renderings hold about 88 monospaced characters per line (Courier 10 pt on letter with half-inch
# margins; DejaVu Sans Mono at 300 dpi from a one-inch margin in factories.pdfs.scanned_page).
MAX_LINE = 88

PANEL_TITLES = {
    "BMP": "BASIC METABOLIC PANEL",
    "CMP": "COMPREHENSIVE METABOLIC PANEL",
    "CBC": "COMPLETE BLOOD COUNT",
    "LIPIDS": "LIPID PANEL",
    "COAG": "COAGULATION",
    "CARDIAC": "CARDIAC MARKERS",
    "THYROID": "THYROID FUNCTION",
    "GAS": "ARTERIAL BLOOD GAS",
}


@dataclass(frozen=True)
class Cells:
    """One result as printed strings."""

    label: str
    value: str
    flag: str
    unit: str
    ref: str


@dataclass(frozen=True)
class Block:
    """A printed panel: its lines and, for each result in order, the text that states it."""

    lines: list[str]
    evidence: list[str]


def _block(title: str, header: list[str], rows: list[str]) -> Block:
    return Block([title, *header, *rows], rows)


def columns(title: str, cells: list[Cells]) -> Block:
    """Aligned columns under a header: Test, Result, Flag, Units, Reference."""
    head = f"{'Test':<26}{'Result':>8}  {'Flag':<9}{'Units':<11}Reference"
    rows = [f"{c.label:<26}{c.value:>8}  {c.flag:<9}{c.unit:<11}{c.ref}".rstrip() for c in cells]
    return _block(title, [head], rows)


def colon(title: str, cells: list[Cells]) -> Block:
    """Free text: "Potassium: 6.8 mmol/L (3.5-5.1) HH"."""
    rows = [" ".join(p for p in (f"{c.label}:", c.value, c.unit, f"({c.ref})", c.flag) if p) for c in cells]
    return _block(title, [], rows)


def flag_before_unit(title: str, cells: list[Cells]) -> Block:
    """No column header; the flag sits between value and unit, the range in brackets."""
    rows = [f"{c.label:<24}{c.value:>8} {c.flag:<9}{c.unit:<10}[{c.ref}]" for c in cells]
    return _block(title, [], rows)


def range_before_unit(title: str, cells: list[Cells]) -> Block:
    """Header Test, Result, Reference, Units, Flag."""
    head = f"{'Test':<24}{'Result':>8}   {'Reference':<14}{'Units':<11}Flag"
    rows = [f"{c.label:<24}{c.value:>8}   {c.ref:<14}{c.unit:<11}{c.flag}".rstrip() for c in cells]
    return _block(title, [head], rows)


def pipes(title: str, cells: list[Cells]) -> Block:
    """A ruled table: | Test | Result | Flag | Units | Reference |."""
    rule = "+" + "-" * 24 + "+" + "-" * 10 + "+" + "-" * 10 + "+" + "-" * 11 + "+" + "-" * 14 + "+"
    head = f"| {'Test':<22} | {'Result':>8} | {'Flag':<8} | {'Units':<9} | {'Reference':<12} |"
    rows = [
        f"| {c.label:<22} | {c.value:>8} | {c.flag:<8} | {c.unit:<9} | {c.ref.replace('-', ' - '):<12} |"
        for c in cells
    ]
    return Block([title, rule, head, rule, *rows, rule], rows)


def swapped(title: str, cells: list[Cells]) -> Block:
    """Hospital style: Test, Result, Flag, Ref Range, Units (range and units swapped)."""
    head = f"{'Test':<26}{'Result':>8}  {'Flag':<9}{'Ref Range':<14}Units"
    rows = [f"{c.label:<26}{c.value:>8}  {c.flag:<9}{c.ref:<14}{c.unit}".rstrip() for c in cells]
    return _block(title, [head], rows)


def dotted(title: str, cells: list[Cells]) -> Block:
    """Leader dots to the value, range in parentheses, flag last."""
    rows = [
        f"{(c.label + ' ').ljust(26, '.')} {c.value:>8} {c.unit:<10}({c.ref})  {c.flag}".rstrip()
        for c in cells
    ]
    return _block(title, [], rows)


def abbreviated(title: str, cells: list[Cells]) -> Block:
    """Terse analyzer print-out with abbreviated names: "K      6.8 mmol/L   HH  (3.5-5.1)"."""
    rows = [f"{c.label:<8}{c.value:>8} {c.unit:<10}{c.flag:<9}({c.ref})" for c in cells]
    return _block(title, [], rows)


def cell(c: Cells) -> str:
    """One result as a cell of a two-column page."""
    return f"{c.label:<9}{c.value:>7} {c.unit:<8} {c.ref:<10} {c.flag}".rstrip()


def two_column(left: tuple[str, list[Cells]], right: tuple[str, list[Cells]] | None) -> Block:
    """Two panels side by side; a result's evidence is its own cell, not the whole line."""
    left_lines = [left[0], *(cell(c) for c in left[1])]
    right_lines = [right[0], *(cell(c) for c in right[1])] if right else []
    width = max(len(line) for line in left_lines) + 4
    lines = []
    for index in range(max(len(left_lines), len(right_lines))):
        a = left_lines[index] if index < len(left_lines) else ""
        b = right_lines[index] if index < len(right_lines) else ""
        lines.append(f"{a:<{width}}{b}".rstrip())
    return Block(lines, left_lines[1:] + right_lines[1:])


SINGLE: dict[str, Callable[[str, list[Cells]], Block]] = {
    "columns": columns,
    "colon": colon,
    "flag_before_unit": flag_before_unit,
    "range_before_unit": range_before_unit,
    "pipes": pipes,
    "swapped": swapped,
    "dotted": dotted,
    "abbreviated": abbreviated,
}
LAYOUTS = (*SINGLE, "two_column")
# Layouts that print the abbreviation (second label in analytes.csv) rather than the full test name.
ABBREVIATING = frozenset({"abbreviated", "two_column"})
