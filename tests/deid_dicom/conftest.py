"""Fixtures for DICOM de-identification: pydicom's bundled test files and patient contexts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dicom_helpers import SHIFT, UID_KEY, read_testdata
from pydicom.dataset import FileDataset

from multimed.deid.context import PatientContext


@pytest.fixture
def load() -> Callable[[str], FileDataset]:
    """Read a bundled test file afresh (tests mutate it)."""
    return read_testdata


@pytest.fixture
def limited() -> PatientContext:
    """A LIMITED-policy patient: dates shift by SHIFT days."""
    return PatientContext(
        patient_token="TOKEN-7f3a", patient_surrogate="PATIENT_1", date_shift=SHIFT, uid_key=UID_KEY
    )


@pytest.fixture
def safe_harbor() -> PatientContext:
    """A Safe Harbor patient: no dates kept."""
    return PatientContext(
        patient_token="TOKEN-7f3a", patient_surrogate="PATIENT_1", date_shift=None, uid_key=UID_KEY
    )
