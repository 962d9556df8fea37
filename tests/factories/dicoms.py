"""DICOM test data that ships inside pydicom (never downloaded)."""

from __future__ import annotations

import pydicom
from pydicom.data import get_testdata_file
from pydicom.dataset import FileDataset


def read_testdata(name: str) -> FileDataset:
    """One of the DICOM files bundled with pydicom."""
    path = get_testdata_file(name, download=False)
    assert path is not None, f"{name} is not bundled with this pydicom"
    ds = pydicom.dcmread(path)
    assert isinstance(ds, FileDataset)
    return ds
