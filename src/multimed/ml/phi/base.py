"""The PHI detector interface and the entity types every detector reports."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass


class PhiType(enum.StrEnum):
    """HIPAA Safe Harbor identifier classes, split where the surrogate or operator differs."""

    PATIENT = "PATIENT"  # the patient's own name
    CLINICIAN = "CLINICIAN"  # physicians, nurses, signatures ("Dr. Lee", "J. Lee, MD")
    RELATIVE = "RELATIVE"  # family members and other named contacts
    PERSON = "PERSON"  # a name whose role the context does not tell
    DATE = "DATE"  # any date more specific than a year
    AGE = "AGE"  # ages over 89 only
    PHONE = "PHONE"
    FAX = "FAX"
    EMAIL = "EMAIL"
    SSN = "SSN"
    MRN = "MRN"  # medical record numbers
    ACCOUNT = "ACCOUNT"  # account, health plan, beneficiary numbers
    LICENSE = "LICENSE"  # licence, certificate, DEA, NPI numbers
    VEHICLE = "VEHICLE"  # plates and VINs
    DEVICE = "DEVICE"  # device identifiers and serials
    URL = "URL"
    IP = "IP"
    ADDRESS = "ADDRESS"  # street address
    CITY = "CITY"
    STATE = "STATE"
    ZIP = "ZIP"
    ORGANIZATION = "ORGANIZATION"  # hospitals, clinics
    EMPLOYER = "EMPLOYER"
    ID = "ID"  # any other unique identifying number or code


@dataclass(frozen=True)
class PhiSpan:
    """A detected identifier: [start, end) character offsets in the analyzed text."""

    start: int
    end: int
    type: PhiType
    score: float
    recognizer: str


class PhiDetector(ABC):
    """Finds identifiers in text. Implementations load their models once and are safe to reuse."""

    name: str
    version: str

    @abstractmethod
    def analyze(
        self, text: str, *, threshold: float | None = None, known_values: Sequence[str] = ()
    ) -> list[PhiSpan]:
        """Non-overlapping spans sorted by start.

        `known_values` are identifying strings already known for this document (e.g. the patient's name from
        a DICOM header); every occurrence is reported. `threshold` overrides the detector's default score
        cut-off (the release gate rescans with a lower one).
        """
