"""UID remapping, date shifting and age capping on single values."""

from __future__ import annotations

import pytest
from pydicom.uid import UID

from multimed.deid.dicom.dates import cap_age, shift_da, shift_dt, shift_value
from multimed.deid.dicom.uids import UidMapper, is_well_known, remap_uid

KEY = b"k" * 32
STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"


def test_remapped_uid_is_2_25_from_the_hmac_prefix() -> None:
    new = remap_uid(STUDY, KEY)

    assert new.startswith("2.25.")
    assert 0 <= int(new.removeprefix("2.25.")) < 2**128
    assert len(new) <= 64
    assert UID(new).is_valid


def test_remapping_is_deterministic_per_key() -> None:
    assert remap_uid(STUDY, KEY) == remap_uid(STUDY, KEY) == UidMapper(KEY).remap(STUDY)
    assert remap_uid(STUDY, KEY) != remap_uid(STUDY, b"other-key")
    assert remap_uid(STUDY, KEY) != remap_uid(STUDY + ".1", KEY)


@pytest.mark.parametrize(
    ("keyword_tag", "uid", "expected"),
    [
        (0x00080016, "1.2.3.4", True),  # SOPClassUID, even a private class
        (0x00081150, "1.2.3.4", True),  # ReferencedSOPClassUID
        (0x00020010, "1.2.840.10008.1.2.1", True),  # TransferSyntaxUID
        (0x00020012, "1.3.6.1.4.1.5962.2", True),  # ImplementationClassUID
        (0x00080018, "1.2.840.10008.5.1.4.1.1.2", True),  # any DICOM-rooted value
        (0x00080018, STUDY, False),
    ],
)
def test_well_known_uids(keyword_tag: int, uid: str, expected: bool) -> None:
    assert is_well_known(keyword_tag, uid) is expected


def test_mapper_leaves_well_known_values_in_a_multi_value() -> None:
    values, changed = UidMapper(KEY).remap_values(0x00081155, [STUDY, "1.2.840.10008.1.2"])

    assert changed == 1
    assert values == [remap_uid(STUDY, KEY), "1.2.840.10008.1.2"]


@pytest.mark.parametrize(
    ("value", "days", "expected"),
    [
        ("20230115", -10, "20230105"),
        ("20230105", 30, "20230204"),
        ("20240301", -1, "20240229"),  # leap day
        ("20221231", 1, "20230101"),
        ("202301", -10, "202301"),  # partial: the middle of the month moves
        ("2023", -200, "2022"),
        ("2023.01.15", -10, "20230105"),  # ACR-NEMA style, written back as DA
        ("20230101-20230131", -10, "20221222-20230121"),
        ("-20230131", -10, "-20230121"),
        ("20230101-", 5, "20230106-"),
        ("2023011", -10, None),
        ("20231345", -10, None),
        ("yesterday", -10, None),
    ],
)
def test_shift_da(value: str, days: int, expected: str | None) -> None:
    assert shift_da(value, days) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20230115123000.123456+0100", "20230105123000.123456+0100"),
        ("20230115", "20230105"),
        ("2023011512-0500", "2023010512-0500"),  # a UTC offset, not a range
        ("20230115-20230120", "20230105-20230110"),
        ("20230115093000-", "20230105093000-"),
        ("2023", "2023"),
        ("2023-13", None),
        ("not a date", None),
    ],
)
def test_shift_dt_keeps_time_and_offset(value: str, expected: str | None) -> None:
    assert shift_dt(value, -10) == expected


def test_whole_day_shift_leaves_tm_alone() -> None:
    assert shift_value("TM", "235959.123", -10) == "235959.123"
    with pytest.raises(ValueError, match="not a temporal VR"):
        shift_value("LO", "20230115", -10)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("093Y", "090Y"),
        ("090Y", "090Y"),
        ("089Y", "089Y"),
        ("1100M", None),  # four digits is not an AS value
        ("999M", "999M"),  # 83 years in months stays
        ("150W", "150W"),
        ("010D", "010D"),
        ("abc", None),
    ],
)
def test_ages_over_89_fold_into_90(age: str, expected: str | None) -> None:
    assert cap_age(age) == expected
