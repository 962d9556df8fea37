"""The PS3.15 table as data: action resolution, compounds, masks and options."""

from __future__ import annotations

import dataclasses

import pytest
from pydicom.datadict import tag_for_keyword

from multimed.deid.dicom.profile import DicomOptions, effective_options, load_profile, resolve_compound

BASIC = DicomOptions()


def tag(keyword: str) -> int:
    found = tag_for_keyword(keyword)
    assert found is not None, keyword
    return found


def action(tag_value: int, options: DicomOptions = BASIC) -> str | None:
    resolution = load_profile().resolve(tag_value, options)
    return None if resolution is None else resolution.action


def test_table_is_loaded_from_data_with_a_version() -> None:
    profile = load_profile()

    assert len(profile) == 621 + 5  # the table plus supplementary-rules.json
    assert profile.private_row is not None
    assert profile.version.startswith("PS3.15 E.1-1 2025-01-28 sha256:")
    assert load_profile() is profile  # loaded once


@pytest.mark.parametrize(
    ("code", "keep_present", "expected"),
    [
        ("X", False, "X"),
        ("X/Z", False, "X"),
        ("X/D", False, "X"),
        ("X/Z/D", False, "X"),
        ("X/Z/U*", False, "X"),
        ("Z/D", False, "D"),
        ("X/Z/D", True, "D"),
        ("X/Z", True, "Z"),
        ("X/Z/U*", True, "U"),
        ("X", True, "Z"),
        ("U", False, "U"),
    ],
)
def test_compound_codes_resolve_to_the_strictest_allowed(
    code: str, keep_present: bool, expected: str
) -> None:
    assert resolve_compound(code, keep_present=keep_present) == expected


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("InstitutionName", "X"),  # X/Z/D
        ("AdditionalPatientHistory", "X"),
        ("AccessionNumber", "Z"),
        ("PatientName", "Z"),
        ("PatientID", "D"),  # Z/D, kept present
        ("ContentCreatorName", "D"),  # Z/D
        ("PersonName", "D"),
        ("StudyInstanceUID", "U"),
        ("ConcatenationUID", "U"),  # (0020,9161)
        ("MediaStorageSOPInstanceUID", "U"),
        ("ReferencedImageSequence", "X"),  # X/Z/U*
        ("StudyDate", "Z"),
        ("AcquisitionDate", "X"),  # X/Z
        ("ContentSequence", "D"),
        ("SourceApplicationEntityTitle", "X"),  # supplementary rule
        ("Modality", None),  # not listed: kept
        ("SOPClassUID", None),
    ],
)
def test_basic_profile_actions(keyword: str, expected: str | None) -> None:
    assert action(tag(keyword)) == expected


@pytest.mark.parametrize(
    ("tag_value", "expected"),
    [
        (0x50000010, "X"),  # (50XX,XXXX) Curve Data: number of points
        (0x501E3000, "X"),
        (0x50022500, "X"),
        (0x60004000, "X"),  # (60XX,4000) Overlay Comments
        (0x601E4000, "X"),
        (0x60003000, "X"),  # (60XX,3000) Overlay Data
        (0x60020010, None),  # overlay rows: not listed
        (0x60004001, None),
    ],
)
def test_masks_match_repeating_groups(tag_value: int, expected: str | None) -> None:
    assert action(tag_value) == expected


@pytest.mark.parametrize(
    ("keyword_or_tag", "options", "expected"),
    [
        ("StudyDate", DicomOptions(retain_long_full_dates=True), "K"),
        ("StudyDate", DicomOptions(retain_long_modified_dates=True), "C"),
        ("StudyDate", DicomOptions(retain_long_full_dates=True, retain_long_modified_dates=True), "C"),
        # Temporal rows follow only the date options: device identity must not keep a real date.
        ("DateOfLastCalibration", DicomOptions(retain_device_identity=True), "X"),
        ("DateOfLastCalibration", DicomOptions(retain_long_modified_dates=True), "C"),
        ("StudyDescription", DicomOptions(clean_descriptors=True), "C"),
        ("StudyInstanceUID", DicomOptions(retain_uids=True), "K"),
        ("ReferencedImageSequence", DicomOptions(retain_uids=True), "K"),
        ("DeviceSerialNumber", DicomOptions(retain_device_identity=True), "K"),
        ("StationAETitle", DicomOptions(retain_device_identity=True), "C"),
        ("SourceApplicationEntityTitle", DicomOptions(retain_device_identity=True), "K"),
        ("PatientAge", DicomOptions(retain_patient_characteristics=True), "K"),
        ("Allergies", DicomOptions(retain_patient_characteristics=True), "C"),
        ("InstitutionName", DicomOptions(retain_institution_identity=True), "K"),
        ("ContentSequence", DicomOptions(clean_structured_content=True), "C"),
        (0x60004000, DicomOptions(clean_graphics=True), "C"),
        (0x50000010, DicomOptions(clean_graphics=True), "C"),
    ],
)
def test_options_override_the_basic_action(
    keyword_or_tag: str | int, options: DicomOptions, expected: str
) -> None:
    tag_value = tag(keyword_or_tag) if isinstance(keyword_or_tag, str) else keyword_or_tag
    assert action(tag_value, options) == expected


def test_c_keeps_the_basic_action_as_fallback() -> None:
    resolution = load_profile().resolve(tag("StationAETitle"), DicomOptions(retain_device_identity=True))

    assert resolution is not None
    assert (resolution.action, resolution.basic) == ("C", "X")


@pytest.mark.parametrize("option", [f.name for f in dataclasses.fields(DicomOptions)])
def test_every_option_changes_some_rule(option: str) -> None:
    profile = load_profile()
    turned_on = dataclasses.replace(BASIC, **{option: True})
    basic_rules, option_rules = profile.rules(BASIC), profile.rules(turned_on)
    probe = [0x50000010, 0x60004000, *profile.listed_tags()]

    changed = [t for t in probe if basic_rules.get(t) != option_rules.get(t)]

    if option == "retain_safe_private":
        # Private attributes are not table tags: the option acts through safe-private.json instead.
        assert profile.private_row is not None
        assert profile.private_row.overrides == {"rtnSafePrivOpt": "C"}
    else:
        assert changed, option


@pytest.mark.parametrize(
    ("options", "date_shift", "can_clean", "expected"),
    [
        (DicomOptions(retain_long_modified_dates=True), None, True, BASIC),
        (DicomOptions(retain_long_full_dates=True), None, True, BASIC),
        (
            DicomOptions(retain_long_full_dates=True, retain_long_modified_dates=True),
            -3,
            True,
            DicomOptions(retain_long_modified_dates=True),
        ),
        (DicomOptions(retain_long_full_dates=True), 5, True, DicomOptions(retain_long_full_dates=True)),
        (
            DicomOptions(clean_descriptors=True, clean_graphics=True, clean_structured_content=True),
            5,
            False,
            BASIC,
        ),
        (
            DicomOptions(retain_patient_characteristics=True),
            5,
            False,
            DicomOptions(retain_patient_characteristics=True),
        ),
    ],
)
def test_effective_options(
    options: DicomOptions, date_shift: int | None, can_clean: bool, expected: DicomOptions
) -> None:
    assert effective_options(options, date_shift=date_shift, can_clean_text=can_clean) == expected
