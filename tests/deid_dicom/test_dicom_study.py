"""Consistency across the files of one study and one patient: UIDs, references and date shifts."""

from __future__ import annotations

import copy

from dicom_helpers import UID_KEY, Load
from pydicom.dataset import Dataset, FileDataset
from pydicom.sequence import Sequence

from multimed.deid.context import PatientContext, date_shift_days
from multimed.deid.dicom import DicomOptions, deidentify_dataset

MODIFIED_DATES = DicomOptions(retain_long_modified_dates=True)


def two_instances(load: Load) -> tuple[FileDataset, FileDataset]:
    """Two CT instances of one series; the second references the first."""
    first = load("CT_small.dcm")
    second = copy.deepcopy(first)
    second.SOPInstanceUID = first.SOPInstanceUID + ".2"
    second.file_meta.MediaStorageSOPInstanceUID = second.SOPInstanceUID
    second.InstanceNumber = 2
    reference = Dataset()
    reference.ReferencedSOPClassUID = first.SOPClassUID
    reference.ReferencedSOPInstanceUID = first.SOPInstanceUID
    second.ReferencedInstanceSequence = Sequence([reference])
    for ds in (first, second):
        ds.StudyDate = "20230115"
    return first, second


def test_instances_of_a_study_share_new_uids_and_references_resolve(
    load: Load, limited: PatientContext
) -> None:
    first, second = two_instances(load)
    original_study = first.StudyInstanceUID

    for ds in (first, second):
        deidentify_dataset(ds, ctx=limited, options=MODIFIED_DATES)

    assert first.StudyInstanceUID == second.StudyInstanceUID != original_study
    assert first.SeriesInstanceUID == second.SeriesInstanceUID
    assert first.FrameOfReferenceUID == second.FrameOfReferenceUID
    assert first.SOPInstanceUID != second.SOPInstanceUID
    reference = second.ReferencedInstanceSequence[0]
    assert reference.ReferencedSOPInstanceUID == first.SOPInstanceUID
    assert reference.ReferencedSOPClassUID == first.SOPClassUID == "1.2.840.10008.5.1.4.1.1.2"
    assert first.file_meta.MediaStorageSOPInstanceUID == first.SOPInstanceUID
    assert second.file_meta.MediaStorageSOPInstanceUID == second.SOPInstanceUID


def test_date_shift_is_the_patients_offset_in_every_file(load: Load, limited: PatientContext) -> None:
    first, second = two_instances(load)

    for ds in (first, second):
        deidentify_dataset(ds, ctx=limited, options=MODIFIED_DATES)

    assert limited.date_shift == -10
    assert first.StudyDate == second.StudyDate == "20230105"
    assert first.ContentDate == second.ContentDate == "19970420"  # 19970430 shifted the same way


def test_offset_derived_from_the_token_applies_to_every_file(load: Load) -> None:
    key = b"master-key-for-tests"
    shift = date_shift_days("TOKEN-7f3a", key)
    ctx = PatientContext(
        patient_token="TOKEN-7f3a", patient_surrogate="PATIENT_1", date_shift=shift, uid_key=UID_KEY
    )
    first, second = two_instances(load)

    for ds in (first, second):
        deidentify_dataset(ds, ctx=ctx, options=MODIFIED_DATES)

    from multimed.deid.dicom.dates import shift_da

    assert first.StudyDate == second.StudyDate == shift_da("20230115", shift) != "20230115"


def test_another_uid_key_gives_unlinkable_uids(load: Load, limited: PatientContext) -> None:
    first, other = load("CT_small.dcm"), load("CT_small.dcm")
    other_ctx = PatientContext(
        patient_token=limited.patient_token,
        patient_surrogate=limited.patient_surrogate,
        date_shift=limited.date_shift,
        uid_key=b"another-installation-key",
    )

    deidentify_dataset(first, ctx=limited, options=MODIFIED_DATES)
    deidentify_dataset(other, ctx=other_ctx, options=MODIFIED_DATES)

    assert first.StudyInstanceUID != other.StudyInstanceUID
