"""What the output says about its own de-identification: (0012,0062-0064) and (0028,0303)."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from multimed.deid.dicom.profile import DicomOptions

BASIC_PROFILE = ("113100", "Basic Application Confidentiality Profile")
CLEAN_PIXEL_DATA = ("113101", "Clean Pixel Data Option")
# CID 7050 code per option (PS3.16), in the order the codes are written.
OPTION_CODES: dict[str, tuple[str, str]] = {
    "clean_graphics": ("113103", "Clean Graphics Option"),
    "clean_structured_content": ("113104", "Clean Structured Content Option"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "retain_long_full_dates": ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    "retain_long_modified_dates": (
        "113107",
        "Retain Longitudinal Temporal Information Modified Dates Option",
    ),
    "retain_patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
    "retain_device_identity": ("113109", "Retain Device Identity Option"),
    "retain_uids": ("113110", "Retain UIDs Option"),
    "retain_safe_private": ("113111", "Retain Safe Private Option"),
    "retain_institution_identity": ("113112", "Retain Institution Identity Option"),
}
_LO_MAX = 64


def method_codes(options: DicomOptions, *, pixels_cleaned: bool) -> list[tuple[str, str]]:
    """(code value, meaning) for the profile and every option in effect."""
    codes = [BASIC_PROFILE]
    if pixels_cleaned:
        codes.append(CLEAN_PIXEL_DATA)
    codes.extend(code for name, code in OPTION_CODES.items() if getattr(options, name))
    return codes


def temporal_status(options: DicomOptions) -> str:
    """Longitudinal Temporal Information Modified: MODIFIED, UNMODIFIED or REMOVED."""
    if options.retain_long_modified_dates:
        return "MODIFIED"
    if options.retain_long_full_dates:
        return "UNMODIFIED"
    return "REMOVED"


def record_method(ds: Dataset, options: DicomOptions, *, pixels_cleaned: bool, profile_version: str) -> None:
    """Write Patient Identity Removed, the method text and code sequence, and the temporal status."""
    codes = method_codes(options, pixels_cleaned=pixels_cleaned)
    ds.PatientIdentityRemoved = "YES"
    # LO holds 64 characters per value, so the description is one value per profile/option.
    ds.DeidentificationMethod = [f"MultiMed {profile_version}"[:_LO_MAX], *(m[:_LO_MAX] for _, m in codes)]
    items = []
    for value, meaning in codes:
        item = Dataset()
        item.add_new(0x00080100, "SH", value)  # Code Value
        item.add_new(0x00080102, "SH", "DCM")  # Coding Scheme Designator
        item.add_new(0x00080104, "LO", meaning)  # Code Meaning
        items.append(item)
    ds.add_new(0x00120064, "SQ", Sequence(items))  # De-identification Method Code Sequence
    ds.LongitudinalTemporalInformationModified = temporal_status(options)
