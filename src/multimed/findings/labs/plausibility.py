"""Plausibility limits (data/plausible-ranges.csv): the values an analyte can take in a living patient.

A value outside them is a misreading, not a measurement: OCR that inserted a digit ("7.35" -> "71.35" pH) or
lost a decimal point ("25.8" -> "258" s aPTT), or a dictated number in another unit than the canonical one.
Such a value must never raise a critical alarm from the critical limits; `reading.py` keeps it for review or
drops it when nothing but the number was given.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from multimed.findings.labs.analytes import analyte_dictionary
from multimed.findings.labs.csvdata import packaged_rows
from multimed.findings.labs.severity import Interval
from multimed.findings.labs.specimens import specimen_table

PACKAGED_FILE = "plausible-ranges.csv"


@dataclass(frozen=True)
class PlausibleRange:
    """Possible values of one analyte in its canonical `unit`; None means no bound on that side."""

    analyte: str
    specimen: str | None
    unit: str
    low: float | None
    high: float | None

    def judges(self, specimen: str | None) -> bool:
        """Whether this range applies to a result from `specimen` (unknown: yes; urine pH 5.0 under a blood
        range: no)."""
        return specimen_table().compatible(specimen, self.specimen)

    def side_of(self, value: Interval) -> str | None:
        """ "H" when every admitted value is above the range, "L" when below, None when some are inside.

        A qualified value stands for all it admits: "<0.5" potassium is below, ">1000" platelets is not
        above a limit of 5000, and "<10" glucose overlaps a floor of 10.
        """
        if self.high is not None and value.low > self.high:
            return "H"
        if self.low is not None and value.high < self.low:
            return "L"
        return None


@functools.cache
def plausible_ranges() -> dict[str, PlausibleRange]:
    """The packaged plausibility limits by canonical analyte name, read once; a row that names an unknown
    analyte or another unit than the analyte's canonical one is a data error."""
    dictionary = analyte_dictionary()
    ranges: dict[str, PlausibleRange] = {}
    for row in packaged_rows(PACKAGED_FILE):
        name, unit = row.get("analyte"), row.get("unit")
        try:
            analyte = dictionary.get(name)
        except KeyError:
            raise ValueError(f"{PACKAGED_FILE} line {row.line}: unknown analyte {name!r}") from None
        if unit != analyte.unit:
            raise ValueError(f"{PACKAGED_FILE} line {row.line}: {name} is read in {analyte.unit}, not {unit}")
        if name in ranges:
            raise ValueError(f"{PACKAGED_FILE} line {row.line}: a second row for {name}")
        specimen = row.get("specimen") or None
        if specimen is not None and specimen_table().lookup(specimen) is None:
            raise ValueError(f"{PACKAGED_FILE} line {row.line}: unknown specimen {specimen!r}")
        low = float(row.get("plausible_low")) if row.get("plausible_low") else None
        high = float(row.get("plausible_high")) if row.get("plausible_high") else None
        if low is not None and high is not None and low >= high:
            raise ValueError(f"{PACKAGED_FILE} line {row.line}: plausible_low is not below plausible_high")
        ranges[name] = PlausibleRange(analyte=name, specimen=specimen, unit=unit, low=low, high=high)
    return ranges
