"""What a de-identifier needs to know about one patient, derived from the patient token and the master key."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

DATE_SHIFT_PURPOSE = "multimed/date-shift/v1"
UID_PURPOSE = "multimed/dicom-uid/v1"
# Shifts fall in -MAX_SHIFT_DAYS..-1 or 1..MAX_SHIFT_DAYS: never zero, so no shifted date is the real one.
MAX_SHIFT_DAYS = 365


def date_shift_days(patient_token: str, key: bytes) -> int:
    """The patient's date offset: the same in every file and modality, unguessable without the key."""
    digest = hmac.new(key, patient_token.encode(), hashlib.sha256).digest()
    magnitude = int.from_bytes(digest[:4], "big") % MAX_SHIFT_DAYS + 1
    return magnitude if digest[4] & 1 else -magnitude


@dataclass(frozen=True)
class PatientContext:
    """Pseudonyms and offsets for one patient.

    `date_shift` is None under SAFE_HARBOR (dates reduced to the year, DICOM dates removed or emptied),
    an offset in days under LIMITED (dates shifted so intervals survive).
    """

    patient_token: str
    patient_surrogate: str  # e.g. "PATIENT_1"
    date_shift: int | None
    uid_key: bytes  # keys the UID remapping: same input UID → same new UID for this installation
