"""Shared helpers for the DICOM de-identification tests."""

from __future__ import annotations

import copy
from collections.abc import Callable

from pydicom.dataset import Dataset, FileDataset

from factories.dicoms import read_testdata  # noqa: F401  # re-exported for the tests here
from multimed.deid.context import PatientContext
from multimed.deid.dicom import DicomOptions, DicomReport, deidentify_dataset

UID_KEY = b"multimed-test-uid-key-0123456789"
SHIFT = -10


def code_values(ds: Dataset) -> list[str]:
    """The CodeValues of (0012,0064), in order."""
    return [item.CodeValue for item in ds.DeidentificationMethodCodeSequence]


def upper_clean(text: str) -> str:
    """A stand-in text cleaner (the real one lives in multimed.deid.text): marks what it touched."""
    return f"CLEAN:{text.upper()}"


Load = Callable[[str], FileDataset]
BASIC = DicomOptions()
MODIFIED_DATES = DicomOptions(retain_long_modified_dates=True)


def run(
    ds: Dataset,
    ctx: PatientContext,
    options: DicomOptions = BASIC,
    clean_text: Callable[[str], str] | None = None,
) -> tuple[Dataset, DicomReport]:
    """De-identify `ds` in place; returns a copy of the original and the report."""
    original = copy.deepcopy(ds)
    report = deidentify_dataset(ds, ctx=ctx, options=options, clean_text=clean_text)
    return original, report


def all_tags(ds: Dataset) -> list[int]:
    """Every tag in `ds`, nested items included."""
    found: list[int] = []
    ds.walk(lambda _ds, elem: found.append(elem.tag))
    return found
