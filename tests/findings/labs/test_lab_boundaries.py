"""Both sides of every critical limit in the packaged table, in the limit's unit and in another unit.

A value beyond a limit by the smallest printed step is critical; a value equal to the limit or one step inside
is not (the reference's wording: values *beyond* the limits are critical). The step is the limit's own printed
precision ("0.30" -> 0.01) in its unit, and the precision labs print in the other unit.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.csvdata import packaged_text

# Canonical analyte -> the name printed in the test line.
PRINTED_NAME = {
    "potassium": "Potassium",
    "sodium": "Sodium",
    "glucose": "Glucose",
    "calcium": "Calcium",
    "magnesium": "Magnesium",
    "carbon dioxide (total)": "CO2",
    "bicarbonate": "HCO3",
    "hemoglobin": "Hemoglobin",
    "platelets": "Platelets",
    "WBC": "WBC",
    "INR": "INR",
    "aPTT": "aPTT",
    "troponin I": "Troponin I",
    "troponin I (high sensitivity)": "hs-Troponin I",
    "pH": "pH",
    "pCO2": "pCO2",
    "pO2": "pO2",
    "lactate": "Lactate",
}
# Canonical analyte -> (printed unit, factor from it into the limit's unit, printed step); the factors are
# typed here independently of data/conversions.csv, so a wrong data row fails these tests.
OTHER_UNIT = {
    "potassium": ("mEq/L", 1.0, "0.1"),
    "sodium": ("mEq/L", 1.0, "1"),
    "glucose": ("mmol/L", 18.016, "0.1"),
    "calcium": ("mmol/L", 4.008, "0.01"),
    "magnesium": ("mmol/L", 2.431, "0.01"),
    "carbon dioxide (total)": ("mEq/L", 1.0, "1"),
    "bicarbonate": ("mEq/L", 1.0, "1"),
    "hemoglobin": ("g/L", 0.1, "1"),
    "platelets": ("/uL", 0.001, "1000"),
    "WBC": ("x10E3/uL", 1.0, "0.1"),
    "INR": ("ratio", 1.0, "0.1"),
    "aPTT": ("sec", 1.0, "1"),
    "troponin I": ("ug/L", 1.0, "0.01"),
    "troponin I (high sensitivity)": ("ng/mL", 1000.0, "0.001"),
    "pH": ("pH units", 1.0, "0.01"),
    "pCO2": ("kPa", 7.50062, "0.1"),
    "pO2": ("kPa", 7.50062, "0.1"),
    "lactate": ("mg/dL", 1 / 9.008, "1"),
}


@dataclass(frozen=True)
class Side:
    analyte: str
    side: str  # "low" or "high"
    limit: Decimal
    unit: str


def _sides() -> list[Side]:
    lines = [line for line in packaged_text("critical-values.csv").splitlines() if not line.startswith("#")]
    sides: list[Side] = []
    for row in csv.DictReader(lines):
        names = [n for n in PRINTED_NAME if _matches(row["analyte"], n)]
        assert names, row["analyte"]
        for name in names:
            for side in ("low", "high"):
                printed = row[f"critical_{side}"]
                if printed:
                    sides.append(Side(name, side, Decimal(printed), row["unit"]))
    return sides


def _matches(csv_name: str, canonical: str) -> bool:
    parts = [part.split("(")[0].strip().lower() for part in csv_name.split("/")]
    special = {
        "leukocytes": "wbc",
        "carbon dioxide": "carbon dioxide (total)",
        "troponin i": "troponin i" if "high" not in csv_name else "troponin i (high sensitivity)",
    }
    return canonical.lower() in {special.get(part, part) for part in parts}


SIDES = _sides()


def _step(limit: Decimal) -> Decimal:
    return Decimal(1).scaleb(limit.as_tuple().exponent)  # type: ignore[arg-type]


def _around(limit: Decimal, step: Decimal, side: str) -> tuple[Decimal, Decimal]:
    """(one step beyond the limit, one step inside it) on the printed grid."""
    down = (limit / step).to_integral_value(rounding=ROUND_FLOOR) * step
    up = (limit / step).to_integral_value(rounding=ROUND_CEILING) * step
    below = down - step if down == limit else down
    above = up + step if up == limit else up
    return (below, above) if side == "low" else (above, below)


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


def _severity(limits: CriticalLimits, line: str) -> Severity:
    [finding] = extract_labs(line, limits)
    assert line[finding.start : finding.end] == line
    return finding.severity


def test_every_limit_is_covered() -> None:
    covered = {(side.analyte, side.side) for side in SIDES}

    assert len(covered) == len(SIDES) == 30


@pytest.mark.parametrize("side", SIDES, ids=[f"{s.analyte}-{s.side}" for s in SIDES])
def test_limit_unit(limits: CriticalLimits, side: Side) -> None:
    name = PRINTED_NAME[side.analyte]
    beyond, inside = _around(side.limit, _step(side.limit), side.side)

    assert _severity(limits, f"{name} {beyond} {side.unit}") is Severity.CRITICAL
    assert _severity(limits, f"{name} {side.limit} {side.unit}") is not Severity.CRITICAL
    assert _severity(limits, f"{name} {inside} {side.unit}") is not Severity.CRITICAL


@pytest.mark.parametrize("side", SIDES, ids=[f"{s.analyte}-{s.side}" for s in SIDES])
def test_converted_unit(limits: CriticalLimits, side: Side) -> None:
    name = PRINTED_NAME[side.analyte]
    unit, factor, step = OTHER_UNIT[side.analyte]
    in_unit = Decimal(repr(float(side.limit) / factor))
    beyond, inside = _around(in_unit, Decimal(step), side.side)

    assert _severity(limits, f"{name} {beyond} {unit}") is Severity.CRITICAL
    assert _severity(limits, f"{name} {inside} {unit}") is not Severity.CRITICAL


@pytest.mark.parametrize(
    "line",
    ["Potassium 2.8 mmol/L (3.5-5.1)", "Hemoglobin 70 g/L (135-175)", "Glucose 450 mg/dL (70-99)"],
)
def test_equal_to_limit_is_abnormal_when_outside_the_range(limits: CriticalLimits, line: str) -> None:
    assert _severity(limits, line) is Severity.ABNORMAL


@pytest.mark.parametrize(
    ("line", "severity", "possible"),
    [
        ("Potassium <2.0 mmol/L", Severity.CRITICAL, False),
        ("Potassium <2.8 mmol/L", Severity.CRITICAL, False),
        ("Potassium <=2.8 mmol/L", Severity.ABNORMAL, True),
        ("Potassium <3.0 mmol/L", Severity.ABNORMAL, True),
        ("Platelets >1000 K/uL", Severity.CRITICAL, False),
        ("Platelets >=1000 K/uL", Severity.ABNORMAL, True),
        ("Troponin I <0.01 ng/mL", Severity.NORMAL, False),
        ("Troponin I >0.30 ng/mL", Severity.CRITICAL, False),
        ("Troponin I >0.10 ng/mL", Severity.ABNORMAL, True),
        ("Glucose >500 mg/dL", Severity.CRITICAL, False),
        ("Glucose < 1.1 mmol/L", Severity.CRITICAL, False),
    ],
)
def test_qualified_values(limits: CriticalLimits, line: str, severity: Severity, possible: bool) -> None:
    [finding] = extract_labs(line, limits)

    assert finding.severity is severity
    assert finding.details["critical_possible"] is possible


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ("Potassium 4.0 mmol/L (3.5-5.1) HH", "HH"),
        ("Sodium 140 mmol/L CRIT", "AA"),
        ("Hemoglobin 13.0 g/dL Critical Low", "LL"),
        ("Glucose 90 mg/dL (70-99) AA", "AA"),
    ],
)
def test_printed_critical_flag_is_never_downgraded(limits: CriticalLimits, line: str, flag: str) -> None:
    [finding] = extract_labs(line, limits)

    assert (finding.severity, finding.flag) == (Severity.CRITICAL, flag)


def test_limit_grid_helper_is_exact() -> None:
    assert _around(Decimal("2.8"), Decimal("0.1"), "low") == (Decimal("2.7"), Decimal("2.9"))
    assert _around(Decimal("2.775"), Decimal("0.1"), "low") == (Decimal("2.7"), Decimal("2.8"))
    assert math.isclose(float(Decimal(repr(50 / 18.016))), 2.7753, rel_tol=1e-4)
