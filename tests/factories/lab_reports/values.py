"""Drawing printed values of a chosen severity, and the flag a lab prints for them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from factories.lab_reports.catalog import Analyte, convert
from factories.lab_reports.oracle import beyond_critical, critical_limits, expected_severity, outside_range
from multimed.findings.draft import Severity

# Printed flags per style, by HL7 v2 table 0078 meaning.
FLAG_TEXT: dict[str, dict[str, str]] = {
    "hl7": {"L": "L", "H": "H", "LL": "LL", "HH": "HH"},
    "word": {"L": "Low", "H": "High", "LL": "Critical", "HH": "Critical"},
    "crit": {"L": "L", "H": "H", "LL": "CRIT", "HH": "CRIT"},
    "abnormal": {"L": "A", "H": "A", "LL": "Critical", "HH": "Critical"},
    "star": {"L": "*", "H": "*", "LL": "LL", "HH": "HH"},
    "none": {"L": "", "H": "", "LL": "", "HH": ""},
}


@dataclass(frozen=True)
class Printing:
    """How one analyte is printed on one report: unit spelling, precision, range, critical limits."""

    analyte: Analyte
    unit: str | None
    decimals: int
    ref_low: float | None
    ref_high: float | None
    crit_low: float | None  # in the printed unit
    crit_high: float | None

    @property
    def one_sided(self) -> bool:
        return self.ref_low is None or self.ref_high is None

    def ref_text(self) -> str:
        d = self.decimals
        if self.ref_low is None:
            return f"<{self.ref_high:.{d}f}"
        if self.ref_high is None:
            return f">{self.ref_low:.{d}f}"
        return f"{self.ref_low:.{d}f}-{self.ref_high:.{d}f}"


def printing(analyte: Analyte, *, si: bool, rng: random.Random | None) -> Printing:
    """The unit system and spelling this report uses for the analyte (the usual spelling without `rng`)."""
    if si and analyte.si_unit and analyte.si_decimals is not None:
        unit: str | None = analyte.si_unit
        decimals, low, high = analyte.si_decimals, analyte.si_ref_low, analyte.si_ref_high
    else:
        unit = rng.choice(analyte.units) if rng is not None and rng.random() < 0.3 else analyte.units[0]
        decimals, low, high = analyte.decimals, analyte.ref_low, analyte.ref_high
    unit = unit or None
    limit = critical_limits().get(analyte.limit_loinc or "")
    crit_low = crit_high = None
    if limit is not None:
        if limit.low is not None:
            crit_low = convert(analyte.name, limit.low, limit.unit, unit)
        if limit.high is not None:
            crit_high = convert(analyte.name, limit.high, limit.unit, unit)
    return Printing(analyte, unit, decimals, low, high, crit_low, crit_high)


def parse_value(text: str) -> tuple[float, str | None]:
    """ "<0.01" -> (0.01, "<")."""
    if text[0] in "<>":
        return float(text[1:]), text[0]
    return float(text), None


def lab_flag(p: Printing, value_text: str, *, force_critical: bool = False) -> str | None:
    """The HL7 flag the lab's own rules print: critical beyond the limits, else L/H outside the range."""
    value, qualifier = parse_value(value_text)
    if force_critical or beyond_critical(p.analyte.name, value, qualifier, p.unit, p.analyte.limit_loinc):
        if p.ref_high is not None and value > p.ref_high:
            return "HH"
        if p.ref_low is not None and value < p.ref_low:
            return "LL"
        return "HH" if p.crit_high is not None and value >= p.crit_high else "LL"
    if outside_range(value, qualifier, p.ref_low, None, one_sided=p.one_sided):
        return "L"
    if outside_range(value, qualifier, None, p.ref_high, one_sided=p.one_sided):
        return "H"
    return None


def severity_of(p: Printing, value_text: str, flag: str | None) -> Severity:
    """The oracle's verdict for this printed result."""
    value, qualifier = parse_value(value_text)
    return expected_severity(
        analyte=p.analyte.name,
        value=value,
        qualifier=qualifier,
        unit=p.unit,
        ref_low=p.ref_low,
        ref_high=p.ref_high,
        flag=flag,
        limit_loinc=p.analyte.limit_loinc,
    )


def _bounds(p: Printing) -> tuple[float, float]:
    low = convert(p.analyte.name, p.analyte.gen_low, p.analyte.units[0] or None, p.unit)
    high = convert(p.analyte.name, p.analyte.gen_high, p.analyte.units[0] or None, p.unit)
    if low is None or high is None:
        raise ValueError(f"no conversion for {p.analyte.name} to {p.unit!r}")
    return low, high


def _regions(p: Printing, target: Severity) -> list[tuple[float, float]]:
    gen_low, gen_high = _bounds(p)
    if target is Severity.NORMAL:
        return [
            (
                p.ref_low if p.ref_low is not None else gen_low,
                p.ref_high if p.ref_high is not None else gen_high,
            )
        ]
    if target is Severity.ABNORMAL:
        regions = []
        if p.ref_low is not None and gen_low < p.ref_low:
            regions.append((max(gen_low, p.crit_low or gen_low), p.ref_low))
        if p.ref_high is not None and gen_high > p.ref_high:
            regions.append((p.ref_high, min(gen_high, p.crit_high or gen_high)))
        return regions
    regions = []
    if p.crit_low is not None:
        regions.append((min(gen_low, p.crit_low * 0.8), p.crit_low))
    if p.crit_high is not None:
        regions.append((p.crit_high, min(gen_high, p.crit_high * 10)))
    return regions


def can_draw(p: Printing, target: Severity) -> bool:
    return bool(_regions(p, target))


def draw(p: Printing, target: Severity, rng: random.Random) -> str | None:
    """A printed value whose oracle severity (with the lab's flag) is `target`; None if none is found."""
    regions = _regions(p, target)
    for _ in range(200):
        if not regions:
            return None
        low, high = rng.choice(regions)
        text = f"{rng.uniform(low, high):.{p.decimals}f}"
        value = float(text)
        if p.one_sided and value in (p.ref_low, p.ref_high):
            continue  # "200" against "<200" is a tie no lab prints on purpose; keep the truth unambiguous
        if value <= 0 and p.analyte.name != "troponin i":
            continue
        if severity_of(p, text, lab_flag(p, text)) is target:
            return text
    return None
