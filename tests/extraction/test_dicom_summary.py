"""DICOM metadata, statistics and previews from the files that ship with pydicom."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread
from pydicom.data import get_testdata_file

from multimed.extraction.dicom import PREVIEW_MAX_SIDE, summarize_dicom


@pytest.mark.parametrize(
    ("name", "modality", "frames", "mode"),
    [
        ("CT_small.dcm", "CT", 1, "L"),
        ("MR_small.dcm", "MR", 1, "L"),
        ("JPEG2000.dcm", "NM", 1, "L"),  # compressed: decoded by the openjpeg plugin
        ("SC_rgb_rle_2frame.dcm", "OT", 2, "RGB"),  # multi-frame colour, RLE
    ],
)
def test_summary_and_preview(name: str, modality: str, frames: int, mode: str) -> None:
    ds = dcmread(get_testdata_file(name))

    summary = summarize_dicom(ds)

    assert summary.metadata["Modality"] == modality
    assert summary.metadata["frames"] == frames
    assert summary.pixel_stats is not None
    assert summary.pixel_stats["max"] >= summary.pixel_stats["min"]
    assert summary.preview_png is not None
    image = Image.open(io.BytesIO(summary.preview_png))
    assert image.mode == mode
    assert max(image.size) <= PREVIEW_MAX_SIDE


def test_monochrome1_is_inverted() -> None:
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    normal = np.asarray(Image.open(io.BytesIO(summarize_dicom(ds).preview_png or b"")))
    ds.PhotometricInterpretation = "MONOCHROME1"

    inverted = np.asarray(Image.open(io.BytesIO(summarize_dicom(ds).preview_png or b"")))

    assert np.abs((255 - normal.astype(int)) - inverted.astype(int)).max() <= 1


def test_no_pixels_means_no_preview() -> None:
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    del ds.PixelData

    summary = summarize_dicom(ds)

    assert summary.preview_png is None
    assert summary.pixel_stats is None
    assert summary.metadata["Modality"] == "CT"
