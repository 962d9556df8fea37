"""residual_phi, the DICOM release gate: clean output passes, planted identifiers are found by tag."""

from __future__ import annotations

import copy

import pytest
from dicom_helpers import Load
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from multimed.deid.context import PatientContext
from multimed.deid.dicom import DicomOptions, deidentify_dataset, patient_identifiers, residual_phi


@pytest.mark.parametrize(
    "name", ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "JPEG2000.dcm", "test-SR.dcm", "waveform_ecg.dcm"]
)
@pytest.mark.parametrize(
    "options",
    [DicomOptions(), DicomOptions(retain_long_modified_dates=True, retain_patient_characteristics=True)],
    ids=["basic", "dates-and-characteristics"],
)
def test_our_output_passes(load: Load, limited: PatientContext, name: str, options: DicomOptions) -> None:
    ds = load(name)
    identifiers = patient_identifiers(ds)

    report = deidentify_dataset(ds, ctx=limited, options=options)

    assert residual_phi(ds, original_identifiers=identifiers, options=report.options) == []


def test_the_original_file_fails(load: Load) -> None:
    ds = load("CT_small.dcm")

    found = residual_phi(ds, original_identifiers=patient_identifiers(ds))

    for expected in [
        "(0002,0003)",
        "(0008,0080)",
        "(0009,0010)",
        "(0010,0010)",
        "(0010,1002)[0].(0010,0020)",
    ]:
        assert expected in found


def test_planted_identifiers_are_found_by_tag_only(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    identifiers = patient_identifiers(ds)
    original = copy.deepcopy(ds)
    report = deidentify_dataset(ds, ctx=limited, options=DicomOptions())
    # Tamper: a nested note naming the patient ID, a private tag, a description, an original UID.
    inner = Dataset()
    inner.ManufacturerModelName = f"prior study of {original.PatientID}"
    outer = Dataset()
    outer.ReferencedInstanceSequence = Sequence([inner])
    ds.ReferencedSeriesSequence = Sequence([outer])
    ds.private_block(0x0011, "ACME 1.0", create=True).add_new(0x01, "LO", "harmless looking")
    ds.SeriesDescription = "follow-up"
    ds.FrameOfReferenceUID = original.FrameOfReferenceUID

    found = residual_phi(ds, original_identifiers=identifiers, options=report.options)

    assert found == [
        "(0008,103E)",  # X in the Basic Profile, yet present
        "(0008,1115)[0].(0008,114A)[0].(0008,1090)",  # the patient ID, two sequences deep
        "(0011,0010)",
        "(0011,1001)",
        "(0020,0052)",  # not a 2.25 UID
    ]
    for path in found:
        assert not any(i.casefold() in path.casefold() for i in identifiers)


def test_a_name_in_kept_text_is_found(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")
    identifiers = patient_identifiers(ds)
    report = deidentify_dataset(ds, ctx=limited, options=DicomOptions())
    ds.PositionReferenceIndicator = "near compressedsamples bed"

    assert residual_phi(ds, original_identifiers=identifiers, options=report.options) == ["(0020,1040)"]


def test_dates_left_under_safe_harbor_are_found(load: Load, safe_harbor: PatientContext) -> None:
    ds = load("CT_small.dcm")
    report = deidentify_dataset(ds, ctx=safe_harbor, options=DicomOptions(retain_long_modified_dates=True))
    ds.StudyDate = "20040119"
    ds.AcquisitionDate = "19970420"

    found = residual_phi(ds, original_identifiers=[], options=report.options)

    assert found == ["(0008,0020)", "(0008,0022)"]


def test_old_ages_are_found(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    options = DicomOptions(retain_patient_characteristics=True)
    report = deidentify_dataset(ds, ctx=limited, options=options)
    ds.PatientAge = "095Y"

    assert residual_phi(ds, original_identifiers=[], options=report.options) == ["(0010,1010)"]


def test_without_options_the_scan_reads_the_basic_profile(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")
    identifiers = patient_identifiers(ds)
    report = deidentify_dataset(ds, ctx=limited, options=DicomOptions(retain_device_identity=True))

    strict = residual_phi(ds, original_identifiers=identifiers)
    matching = residual_phi(ds, original_identifiers=identifiers, options=report.options)

    assert "(0018,1000)" in strict  # Device Serial Number, kept under the option
    assert matching == []
