"""What a generated lab report is: a header of fake identifiers, printed results with ground truth, pages."""

from __future__ import annotations

from dataclasses import dataclass

from multimed.findings.draft import Severity

PAGE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Header:
    """The identifiers a lab prints; every one must be gone after de-identification."""

    hospital: str
    patient_first: str
    patient_last: str
    patient_printed: str  # as printed: "KOWALCZYK, ROWENA M" or "Rowena Kowalczyk"
    mrn: str
    dob: str
    physician_first: str
    physician_last: str
    physician_printed: str
    collected: str  # date and time as printed
    collected_date: str  # the date part alone
    accession: str

    def identifiers(self) -> dict[str, str]:
        """Identifying strings to look for in released text (names also as single words)."""
        return {
            "hospital": self.hospital,
            "patient": self.patient_printed,
            "patient first name": self.patient_first,
            "patient last name": self.patient_last,
            "mrn": self.mrn,
            "dob": self.dob,
            "physician": self.physician_printed,
            "physician last name": self.physician_last,
            "collection date": self.collected_date,
            "accession": self.accession,
        }


@dataclass(frozen=True)
class PrintedResult:
    """One printed result and its ground truth. `value`/`unit` are as printed (before any conversion)."""

    panel: str
    analyte: str  # this generator's canonical name (analytes.csv `name`)
    label: str  # the test name as printed
    value: float
    value_text: str  # "6.8", "<0.01"
    qualifier: str | None  # "<" or ">"
    unit: str | None  # as printed; None where the test has no unit (pH, INR)
    decimals: int
    ref_low: float | None
    ref_high: float | None
    ref_text: str
    flag: str | None  # as printed
    severity: Severity  # the oracle's verdict
    limit_loinc: str | None
    evidence: str  # the printed row (or the cell of a two-column row) that states this result
    page: int  # 1-based


@dataclass(frozen=True)
class LabReport:
    id: str
    layout: str
    si_units: bool
    flag_style: str
    header: Header
    results: tuple[PrintedResult, ...]
    pages: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        """The report as plain text, pages joined the way PDF reading joins them."""
        return PAGE_SEPARATOR.join("\n".join(page) for page in self.pages)

    @property
    def criticals(self) -> tuple[PrintedResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.CRITICAL)
