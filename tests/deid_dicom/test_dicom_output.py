"""deidentify_dataset: Safe Harbor, pseudonyms, the method record, the report and the written file."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from dicom_helpers import BASIC, MODIFIED_DATES, UID_KEY, Load, code_values, run, upper_clean
from pydicom.dataset import Dataset, FileDataset

from multimed.deid.context import PatientContext
from multimed.deid.dicom import DicomOptions, deidentify_dataset, patient_identifiers, residual_phi
from multimed.deid.dicom.uids import remap_uid

# --- Safe Harbor, pseudonyms, method -----------------------------------------------------------------


def test_safe_harbor_removes_or_empties_every_date(load: Load, safe_harbor: PatientContext) -> None:
    ds = load("CT_small.dcm")

    _, report = run(
        ds, safe_harbor, DicomOptions(retain_long_modified_dates=True, retain_long_full_dates=True)
    )

    assert ds.StudyDate == ""
    assert ds.ContentDate == "19000101"
    for keyword in ("SeriesDate", "AcquisitionDate", "InstanceCreationDate"):
        assert keyword not in ds, keyword
    assert ds.LongitudinalTemporalInformationModified == "REMOVED"
    assert report.options == BASIC
    assert report.dates_shifted == 0
    assert code_values(ds) == ["113100"]


def test_patient_id_and_name_become_the_pseudonyms(load: Load, limited: PatientContext) -> None:
    ds = load("rtplan.dcm")

    run(ds, limited)

    assert ds.PatientID == "TOKEN-7f3a"
    assert ds.PatientName == "PATIENT_1"
    assert ds.PatientIdentityRemoved == "YES"


def test_method_records_profile_and_every_option_in_effect(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")
    everything = DicomOptions(**{name: True for name in DicomOptions().__dataclass_fields__})

    report = deidentify_dataset(
        ds, ctx=limited, options=everything, clean_text=upper_clean, pixels_cleaned=True
    )

    assert code_values(ds) == [
        "113100", "113101", "113103", "113104", "113105", "113107",
        "113108", "113109", "113110", "113111", "113112",
    ]  # fmt: skip
    assert {item.CodingSchemeDesignator for item in ds.DeidentificationMethodCodeSequence} == {"DCM"}
    assert ds.DeidentificationMethodCodeSequence[0].CodeMeaning == "Basic Application Confidentiality Profile"
    assert ds.DeidentificationMethod[0] == f"MultiMed {report.profile_version}"
    assert all(len(v) <= 64 for v in ds.DeidentificationMethod)
    assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
    assert report.options.retain_long_full_dates is False  # shifting wins over full dates
    assert report.pixels_cleaned is True


def test_pixel_cleaning_is_only_claimed_when_the_caller_says_so(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")

    run(ds, limited)

    assert code_values(ds) == ["113100"]


def test_full_dates_are_recorded_as_unmodified(load: Load, limited: PatientContext) -> None:
    ds = load("MR_small.dcm")

    original, _ = run(ds, limited, DicomOptions(retain_long_full_dates=True))

    assert ds.StudyDate == original.StudyDate
    assert ds.LongitudinalTemporalInformationModified == "UNMODIFIED"
    assert code_values(ds) == ["113100", "113106"]


def test_report_counts_without_values(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")

    original, report = run(ds, limited, MODIFIED_DATES)

    assert report.counts() == {
        "removed": 10,  # nine attributes and the file meta's Source AE Title
        "emptied": 6,
        "dummied": 2,
        "uid_replaced": 6,
        "dates_shifted": 10,
        "cleaned": 0,
        "kept": 53,
        "private_removed": 179,
        "residual_blanked": 0,
    }
    text = repr(report)
    for secret in [*patient_identifiers(original), original.StudyInstanceUID, "20040119"]:
        assert secret not in text


def test_residual_guard_blanks_kept_text_holding_the_patient(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    ds.ManufacturerModelName = "RHAPSODE for compressedsamples"  # a name component, any case
    ds.PositionReferenceIndicator = "SN"

    _, report = run(ds, limited)

    assert ds.ManufacturerModelName == ""
    assert ds.PositionReferenceIndicator == "SN"
    assert report.residual_blanked == 1


def test_dataset_is_changed_in_place(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    before = id(ds)

    deidentify_dataset(ds, ctx=limited, options=BASIC)

    assert id(ds) == before
    assert ds.PatientID == "TOKEN-7f3a"


# --- output ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "CT_small.dcm",
        "MR_small.dcm",
        "MR_small_bigendian.dcm",
        "rtplan.dcm",  # implicit VR
        "JPEG2000.dcm",  # encapsulated
        "SC_rgb_rle_2frame.dcm",  # multi-frame RLE
        "examples_overlay.dcm",
        "test-SR.dcm",
        "waveform_ecg.dcm",
    ],
)
@pytest.mark.parametrize("options", [BASIC, MODIFIED_DATES], ids=["basic", "modified-dates"])
def test_saved_output_rereads_with_identical_pixels(
    load: Load, limited: PatientContext, tmp_path: Path, name: str, options: DicomOptions
) -> None:
    ds = load(name)

    original, report = run(ds, limited, options)
    ds.save_as(tmp_path / "out.dcm", enforce_file_format=True)
    reread = pydicom.dcmread(tmp_path / "out.dcm")

    assert reread.file_meta.MediaStorageSOPInstanceUID == reread.SOPInstanceUID != original.SOPInstanceUID
    assert reread.file_meta.TransferSyntaxUID == original.file_meta.TransferSyntaxUID
    if "PixelData" in original:
        assert reread.PixelData == original.PixelData
    assert reread.PatientID == "TOKEN-7f3a"
    assert (
        residual_phi(reread, original_identifiers=patient_identifiers(original), options=report.options) == []
    )


# --- what is read from disk, as read -----------------------------------------------------------------


def reread(ds: Dataset, tmp_path: Path) -> FileDataset:
    """Save and read back, so elements are still encoded (the de-identifier's fast path)."""
    ds.save_as(tmp_path / "in.dcm", enforce_file_format=True)
    return pydicom.dcmread(tmp_path / "in.dcm")


def test_identifiers_in_still_encoded_text_are_blanked(
    load: Load, limited: PatientContext, tmp_path: Path
) -> None:
    source = load("CT_small.dcm")
    source.ManufacturerModelName = "RHAPSODE 1CT1"
    source.add_new(0x00449999, "UN", b"CompressedSamples ")  # an unknown public tag, bytes only
    ds = reread(source, tmp_path)

    _, report = run(ds, limited)

    assert ds.ManufacturerModelName == ""
    assert ds[0x00449999].value == b""
    assert ds.Manufacturer == "GE MEDICAL SYSTEMS"
    assert report.residual_blanked == 2


def test_non_ascii_names_are_found_after_decoding(
    load: Load, limited: PatientContext, tmp_path: Path
) -> None:
    source = load("CT_small.dcm")
    source.SpecificCharacterSet = "ISO_IR 192"
    source.PatientName = "Müller^Jürgen"
    source.ManufacturerModelName = "gerät von Müller"
    ds = reread(source, tmp_path)
    identifiers = patient_identifiers(ds)

    _, report = run(ds, limited)

    assert "Müller" in identifiers
    assert ds.ManufacturerModelName == ""
    assert residual_phi(ds, original_identifiers=identifiers, options=report.options) == []


def test_the_preamble_is_zeroed(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    ds.preamble = b"II*\x00" + b"CompressedSamples".ljust(124, b"\x00")  # e.g. a dual-format TIFF header

    run(ds, limited)

    assert ds.preamble == b"\x00" * 128


def test_multi_valued_dates_datetimes_and_bad_dates(load: Load, limited: PatientContext) -> None:
    ds = load("CT_small.dcm")
    ds.DateOfLastCalibration = ["20230115", "20230201"]
    ds.AcquisitionDateTime = "20230115103000.5+0100"
    with pytest.warns(UserWarning, match="Invalid value for VR DA"):
        ds[0x00080012].value = "2023-01-15"  # not a DA: cannot be shifted, so must not stay

    _, report = run(ds, limited, MODIFIED_DATES)

    assert list(ds.DateOfLastCalibration) == ["20230105", "20230122"]
    assert ds.AcquisitionDateTime == "20230105103000.5+0100"
    assert ds.InstanceCreationDate == ""
    assert report.emptied >= 1


def test_a_dataset_without_file_meta(limited: PatientContext) -> None:
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "MRN-0042"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.1"
    ds.StudyDate = "20230115"
    ds.ImageComments = "Jane Doe, left knee"

    report = deidentify_dataset(ds, ctx=limited, options=MODIFIED_DATES)

    assert ds.PatientName == "PATIENT_1"
    assert ds.StudyInstanceUID == remap_uid("1.2.826.0.1.3680043.8.498.1", UID_KEY)
    assert ds.StudyDate == "20230105"
    assert "ImageComments" not in ds
    assert (
        residual_phi(ds, original_identifiers=["Doe^Jane", "Jane Doe", "MRN-0042"], options=report.options)
        == []
    )
