"""The generator's data files, loaded once: analytes with ranges, unit conversions, scenarios, fake people."""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Analyte:
    """One row of analytes.csv: how a lab prints this test in conventional and, where it differs, SI units."""

    panel: str
    name: str
    labels: tuple[str, ...]  # full label first, then the abbreviation
    units: tuple[str, ...]  # printed spellings; the first is the usual one ("" = no unit)
    decimals: int
    ref_low: float | None
    ref_high: float | None
    gen_low: float
    gen_high: float
    si_unit: str | None
    si_decimals: int | None
    si_ref_low: float | None
    si_ref_high: float | None
    limit_loinc: str | None


def _number(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


@functools.cache
def analytes() -> tuple[Analyte, ...]:
    """Every analyte the generator prints, in panel order."""
    with (DATA / "analytes.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Analyte(
            panel=row["panel"],
            name=row["name"],
            labels=tuple(row["labels"].split("|")),
            units=tuple(row["units"].split("|")),
            decimals=int(row["decimals"]),
            ref_low=_number(row["ref_low"]),
            ref_high=_number(row["ref_high"]),
            gen_low=float(row["gen_low"]),
            gen_high=float(row["gen_high"]),
            si_unit=row["si_unit"] or None,
            si_decimals=int(row["si_decimals"]) if row["si_decimals"] else None,
            si_ref_low=_number(row["si_ref_low"]),
            si_ref_high=_number(row["si_ref_high"]),
            limit_loinc=row["limit_loinc"] or None,
        )
        for row in rows
    )


@functools.cache
def unit_aliases() -> dict[str, str]:
    """Printed unit spelling -> one comparable form ("1" for dimensionless)."""
    with (DATA / "unit_aliases.csv").open(newline="", encoding="utf-8") as handle:
        return {row["alias"].strip(): row["unit"] for row in csv.DictReader(handle)}


@functools.cache
def conversions() -> dict[tuple[str, str, str], float]:
    """(analyte, from unit, to unit) -> multiply-by factor, in both directions."""
    table: dict[tuple[str, str, str], float] = {}
    with (DATA / "units.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            factor = float(row["factor"])
            source, target = unit_key(row["from_unit"]), unit_key(row["to_unit"])
            table[(row["analyte"], source, target)] = factor
            table[(row["analyte"], target, source)] = 1.0 / factor
    return table


def unit_key(unit: str | None) -> str:
    """The comparable form of a unit spelling; unknown spellings compare as themselves (case-folded)."""
    cleaned = (unit or "").strip()
    aliases = unit_aliases()
    if cleaned in aliases:
        return aliases[cleaned]
    folded = {alias.lower(): canonical for alias, canonical in aliases.items()}
    return folded.get(cleaned.lower(), cleaned.lower())


def convert(analyte: str, value: float, source: str | None, target: str | None) -> float | None:
    """`value` from one unit to another for this analyte; None when no factor is known."""
    source_key, target_key = unit_key(source), unit_key(target)
    if source_key == target_key:
        return value
    factor = conversions().get((analyte, source_key, target_key))
    if factor is None:
        return None
    # Rounded so that 200 g/L is exactly 20.0 g/dL, not 20.000000000000004 (strict limit comparisons).
    return round(value * factor, 9)


@functools.cache
def scenarios() -> dict[str, list[dict[str, Any]]]:
    """Values placed on purpose (near limits, lab-flagged criticals, qualified values)."""
    loaded: dict[str, list[dict[str, Any]]] = json.loads(
        (DATA / "scenarios.json").read_text(encoding="utf-8")
    )
    return loaded


@functools.cache
def people() -> dict[str, list[str]]:
    """Invented names and hospitals for report headers."""
    loaded: dict[str, list[str]] = json.loads((DATA / "people.json").read_text(encoding="utf-8"))
    return loaded
