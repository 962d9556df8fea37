"""deidentify_dataset on pydicom's real test files: each action, each option, masks, private tags, nesting."""

from __future__ import annotations

import pytest
from dicom_helpers import BASIC, MODIFIED_DATES, UID_KEY, Load, all_tags, code_values, run, upper_clean
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from multimed.deid.context import PatientContext
from multimed.deid.dicom import DicomOptions, patient_identifiers, residual_phi
from multimed.deid.dicom.uids import remap_uid

# --- each PS3.15 action on real attributes -----------------------------------------------------------


def test_x_removes(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")

    run(ds, limited)

    for keyword in ("InstitutionName", "StationName", "OtherPatientIDsSequence", "AdditionalPatientHistory"):
        assert keyword not in ds, keyword


def test_z_empties(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")

    run(ds, limited)

    assert ds.AccessionNumber == ""
    assert ds.PatientBirthDate == ""
    assert ds.ReferringPhysicianName == ""
    assert ds.StudyDate == ""  # Basic Profile: Z, kept present


def test_d_writes_a_dummy_of_the_vr(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")

    run(ds, limited)

    assert ds.ContrastBolusAgent == "REMOVED"  # LO, Z/D
    assert ds.ContentDate == "19000101"  # DA, Z/D


def test_u_replaces_uids_consistently(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")

    original, report = run(ds, limited)

    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID"):
        assert ds[keyword].value == remap_uid(original[keyword].value, UID_KEY), keyword
    assert ds.SOPClassUID == original.SOPClassUID
    assert ds.file_meta.TransferSyntaxUID == original.file_meta.TransferSyntaxUID
    assert report.uid_replaced == 6  # four above, InstanceCreatorUID and the file meta's instance UID


def test_k_keeps(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")

    original, _ = run(ds, limited, DicomOptions(retain_patient_characteristics=True))

    assert ds.PatientSex == original.PatientSex == "F"  # Z, K under the option
    assert ds.PatientSize == original.PatientSize
    assert ds.Modality == "MR"  # unlisted
    assert ds.PixelData == original.PixelData


def test_c_cleans_descriptors_and_shifts_dates(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")

    original, report = run(
        ds, limited, DicomOptions(clean_descriptors=True, retain_long_modified_dates=True), upper_clean
    )

    assert ds.ImageComments == "CLEAN:UNCOMPRESSED"
    assert ds.ContrastBolusAgent == original.ContrastBolusAgent == ""  # nothing to clean
    assert original.StudyDate == "20040826"
    assert ds.StudyDate == "20040816"
    assert ds.StudyTime == original.StudyTime  # whole-day shift
    assert report.cleaned == 1
    assert report.dates_shifted >= 4


# --- options ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "keyword", "kept"),
    [
        (BASIC, "StudyInstanceUID", False),
        (DicomOptions(retain_uids=True), "StudyInstanceUID", True),
        (BASIC, "DeviceSerialNumber", False),
        (DicomOptions(retain_device_identity=True), "DeviceSerialNumber", True),
        (DicomOptions(retain_device_identity=True), "StationName", True),
        (BASIC, "InstitutionName", False),
        (DicomOptions(retain_institution_identity=True), "InstitutionName", True),
        (BASIC, "PatientWeight", False),
        (DicomOptions(retain_patient_characteristics=True), "PatientWeight", True),
        (BASIC, "StudyDate", False),
        (DicomOptions(retain_long_full_dates=True), "StudyDate", True),
        (DicomOptions(retain_long_modified_dates=True), "StudyDate", False),
    ],
)
def test_option_retains_what_it_names(
    load: Load, limited: PatientContext, options: DicomOptions, keyword: str, kept: bool
) -> None:
    ds = load("MR_small.dcm")

    original, report = run(ds, limited, options)

    assert (ds.get(keyword) == original[keyword].value) is kept
    assert report.options == options


def test_clean_descriptors_without_a_cleaner_falls_back_to_basic(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")

    _, report = run(ds, limited, DicomOptions(clean_descriptors=True))

    assert "ImageComments" not in ds
    assert report.options.clean_descriptors is False
    assert "113105" not in code_values(ds)


def test_clean_structured_content_keeps_and_cleans_sr_content(load: Load, limited: PatientContext) -> None:
    ds = load("test-SR.dcm")
    options = DicomOptions(clean_structured_content=True, retain_long_modified_dates=True)

    original, _ = run(ds, limited, options, upper_clean)

    texts: list[str] = []
    for item in ds.ContentSequence:
        item.walk(lambda _d, e: texts.append(e.value) if e.keyword == "TextValue" else None)
    assert len(ds.ContentSequence) == len(original.ContentSequence)
    assert texts
    assert all(t.startswith("CLEAN:") for t in texts)
    assert "113104" in code_values(ds)


def test_content_sequence_is_emptied_without_clean_structured_content(
    load: Load, limited: PatientContext
) -> None:
    ds = load("test-SR.dcm")

    run(ds, limited)

    assert len(ds.ContentSequence) == 0  # D on a sequence: no invented items


@pytest.mark.parametrize(("age", "expected"), [("093Y", "090Y"), ("045Y", "045Y")])
def test_ages_over_89_are_capped_when_characteristics_are_retained(
    load: Load, limited: PatientContext, age: str, expected: str
) -> None:
    ds = load("CT_small.dcm")
    ds.PatientAge = age

    run(ds, limited, DicomOptions(retain_patient_characteristics=True))

    assert ds.PatientAge == expected


def test_age_is_removed_by_the_basic_profile(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    ds.PatientAge = "093Y"

    run(ds, limited)

    assert "PatientAge" not in ds


# --- masks: curves and overlays ----------------------------------------------------------------------


def with_curve_and_overlay_comments(ds: Dataset) -> Dataset:
    ds.add_new(0x50000005, "US", 1)  # Curve Dimensions
    ds.add_new(0x50000010, "US", 2)  # Number of Points
    ds.add_new(0x50002500, "LO", "ecg lead ii")  # Curve Label
    ds.add_new(0x50003000, "OB", b"\x00\x01\x02\x03")  # Curve Data
    ds.add_new(0x60004000, "LT", "drawn by the tech")  # Overlay Comments
    return ds


def test_masks_remove_curves_and_overlay_data(load: Load, limited: PatientContext) -> None:
    ds = with_curve_and_overlay_comments(load("examples_overlay.dcm"))

    original, _ = run(ds, limited)

    remaining = all_tags(ds)
    assert not [t for t in remaining if t >> 24 == 0x50]
    assert 0x60003000 not in ds
    assert 0x60004000 not in ds
    assert ds[0x60000010].value == original[0x60000010].value  # overlay rows: not listed, kept


def test_clean_graphics_cleans_text_and_still_drops_bitmaps(load: Load, limited: PatientContext) -> None:
    ds = with_curve_and_overlay_comments(load("examples_overlay.dcm"))

    run(ds, limited, DicomOptions(clean_graphics=True), upper_clean)

    assert ds[0x60004000].value == "CLEAN:DRAWN BY THE TECH"
    assert ds[0x50002500].value == "CLEAN:ECG LEAD II"
    assert 0x50003000 not in ds  # bytes cannot be cleaned: basic action
    assert 0x60003000 not in ds
    assert "113103" in code_values(ds)


# --- private tags ------------------------------------------------------------------------------------


def test_private_tags_are_removed_everywhere(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    private = [t for t in all_tags(ds) if (t >> 16) & 1]

    _, report = run(ds, limited, DicomOptions(retain_safe_private=True))

    assert not [t for t in all_tags(ds) if (t >> 16) & 1]
    assert report.private_removed == len(private) == 179
    assert "113111" in code_values(ds)  # the option is in effect; the reviewed list is empty


def test_retain_safe_private_keeps_only_listed_elements(
    load: Load, limited: PatientContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multimed.deid.dicom import deidentify, scan
    from multimed.deid.dicom.private import SafePrivate

    listed = SafePrivate(frozenset({(0x0009, "GEMS_IDEN_01", 0x01)}))
    monkeypatch.setattr(deidentify, "load_safe_private", lambda: listed)
    monkeypatch.setattr(scan, "load_safe_private", lambda: listed)
    ds = load("CT_small.dcm")

    original, report = run(ds, limited, DicomOptions(retain_safe_private=True))

    assert [t for t in all_tags(ds) if (t >> 16) & 1] == [0x00090010, 0x00091001]
    assert ds[0x00091001].value == original[0x00091001].value
    assert residual_phi(ds, original_identifiers=patient_identifiers(original), options=report.options) == []


# --- nesting -----------------------------------------------------------------------------------------


def identifying_item(original: Dataset) -> Dataset:
    item = Dataset()
    item.PatientName = original.PatientName
    item.PatientID = original.PatientID
    item.PatientBirthDate = "19470302"
    item.InstitutionName = "Springfield General"
    item.StudyDate = "20230115"
    item.ReferencedSOPInstanceUID = original.SOPInstanceUID
    item.ManufacturerModelName = f"scanner of {original.PatientID}"
    item.private_block(0x0029, "ACME 1.0", create=True).add_new(0x01, "LO", str(original.PatientID))
    return item


def test_identifiers_three_levels_deep_are_all_cleaned(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    level3 = identifying_item(ds)
    level2 = identifying_item(ds)
    level2.ReferencedRawDataSequence = Sequence([level3])
    level1 = identifying_item(ds)
    level1.ReferencedInstanceSequence = Sequence([level2])
    ds.ReferencedSeriesSequence = Sequence([level1])

    original, report = run(ds, limited, MODIFIED_DATES)

    deepest = ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence[0].ReferencedRawDataSequence[0]
    for item in (
        ds.ReferencedSeriesSequence[0],
        ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence[0],
        deepest,
    ):
        assert item.PatientName == ""
        assert item.PatientID == "REMOVED"
        assert item.PatientBirthDate == ""
        assert "InstitutionName" not in item
        assert item.StudyDate == "20230105"
        assert item.ReferencedSOPInstanceUID == ds.SOPInstanceUID
        assert item.ManufacturerModelName == ""  # residual guard: held the patient ID
        assert 0x00290010 not in item
        assert 0x00291001 not in item
    assert report.residual_blanked == 3
    assert residual_phi(ds, original_identifiers=patient_identifiers(original), options=report.options) == []
