"""DICOM header de-identification under PS3.15 Annex E, and the DICOM release gate."""

from multimed.deid.dicom.deidentify import DicomReport, deidentify_dataset
from multimed.deid.dicom.identifiers import patient_identifiers
from multimed.deid.dicom.profile import DicomOptions, Profile, effective_options, load_profile
from multimed.deid.dicom.scan import residual_phi

__all__ = [
    "DicomOptions",
    "DicomReport",
    "Profile",
    "deidentify_dataset",
    "effective_options",
    "load_profile",
    "patient_identifiers",
    "residual_phi",
]
