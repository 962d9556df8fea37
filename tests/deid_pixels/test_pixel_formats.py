"""Burned-in names and IDs are blacked out of every kind of DICOM pixel data, and nothing else is.

Every case draws text into pydicom's bundled images (enlarged to 512 x 512 so the text is a realistic
size), writes and re-reads the file, cleans it, writes and re-reads it again, and OCRs the result.
"""

from __future__ import annotations

import numpy as np
import pytest
from burned_in import (
    IDENTIFIERS,
    MRN,
    NAME,
    SCALE,
    SLACK,
    TEXTS,
    as_ybr_full_422,
    assert_identifiers_gone,
    burn,
    burned,
    changed_outside,
    enlarged,
    frames_of,
    ink_values,
    read_testdata,
    read_text,
    roundtrip,
    store,
)
from pydicom.pixels.processing import apply_color_lut
from pydicom.uid import ExplicitVRLittleEndian, JPEG2000Lossless, RLELossless

from multimed.deid.dicom.pixels import clean_pixels
from multimed.ml.ocr.base import OcrEngine


def test_ct_16_bit_monochrome2(ocr: OcrEngine) -> None:
    ds, boxes, mask = burned(enlarged("CT_small.dcm"))
    before, uid = frames_of(ds).copy(), ds.SOPInstanceUID
    assert "smithajohn" in read_text(ds, ocr)  # the burned text is legible to begin with

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert (report.frames_scanned, report.boxes_redacted) == (1, 2)
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=before.min())
    assert (after.pixel_array.shape, after.pixel_array.dtype) == ((512, 512), np.int16)
    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert after.BurnedInAnnotation == "NO"
    assert after.SOPInstanceUID == uid  # left for the header de-identifier to map


def test_windowed_mr_with_separators_in_the_text(ocr: OcrEngine) -> None:
    texts = [("Smith, John", (20, 20)), ("MRN: 12345", (20, 60)), (SCALE, (420, 470))]
    ds, boxes, mask = burned(enlarged("MR_small.dcm"), texts)
    boxes[NAME], boxes[MRN] = boxes.pop("Smith, John"), boxes.pop("MRN: 12345")
    before = frames_of(ds).copy()
    assert ds.WindowWidth

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)

    assert report.boxes_redacted >= 2
    assert_identifiers_gone(before, roundtrip(ds), boxes, mask, ocr, fill=before.min())


def test_compressed_input_is_stored_uncompressed(ocr: OcrEngine) -> None:
    ds, boxes, mask = burned(enlarged("CT_small.dcm"), compress=JPEG2000Lossless)
    assert ds.file_meta.TransferSyntaxUID == JPEG2000Lossless
    before = frames_of(ds).copy()

    clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert not after["PixelData"].is_undefined_length
    assert len(after.PixelData) == 512 * 512 * 2
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=before.min())


def test_monochrome1_is_blacked_out_with_its_highest_value(ocr: OcrEngine) -> None:
    ds = enlarged("CT_small.dcm")
    frames = frames_of(ds)
    store(ds, (frames.max() + frames.min() - frames).astype(frames.dtype), "MONOCHROME1")
    ds, boxes, mask = burned(ds)  # drawn with the lowest value: white on a MONOCHROME1 display
    before = frames_of(ds).copy()

    clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert after.PhotometricInterpretation == "MONOCHROME1"
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=before.max())


def test_signed_13_bit_jpeg2000_with_several_windows(ocr: OcrEngine) -> None:
    ds = read_testdata("J2K_pixelrep_mismatch.dcm")  # 512 x 512, BitsStored 13, three VOI windows
    ds, boxes, mask = burned(ds, compress=JPEG2000Lossless)
    before = frames_of(ds).copy()
    assert len(ds.WindowCenter) == 3

    clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert (after.BitsStored, after.PixelRepresentation) == (13, 1)
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=before.min())


@pytest.mark.filterwarnings("ignore:Expected explicit VR:UserWarning")  # how the bundled file is written
def test_palette_colour_is_blacked_out_with_its_darkest_entry(ocr: OcrEngine) -> None:
    # A real ultrasound with its own annotations; ours go in the empty lower right corner.
    texts = [(NAME, (560, 280)), (MRN, (560, 315))]
    ds, boxes, mask = burned(read_testdata("examples_palette.dcm"), texts)
    before = frames_of(ds).copy()
    assert apply_color_lut(np.zeros((1, 1), np.uint8), ds).max() == 0  # index 0 is black in this LUT

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert report.boxes_redacted == 2
    assert after.PhotometricInterpretation == "PALETTE COLOR"
    now = frames_of(after)
    assert changed_outside(before, now, [boxes[NAME], boxes[MRN]], by=SLACK) == 0
    for label in (NAME, MRN):
        assert (ink_values(now, mask, boxes[label]) == 0).all(), label


def test_multi_frame_rgb_rle(ocr: OcrEngine) -> None:
    ds, boxes, mask = burned(enlarged("SC_rgb_rle_2frame.dcm"), compress=RLELossless)
    before = frames_of(ds).copy()

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert (report.frames_scanned, report.frames_recognized, report.boxes_redacted) == (2, 2, 4)
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=0)
    assert (after.pixel_array.shape, after.pixel_array.dtype) == ((2, 512, 512, 3), np.uint8)
    assert (after.NumberOfFrames, after.PlanarConfiguration) == (2, 0)
    assert after.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian


def test_identical_frames_are_read_once(ocr: OcrEngine) -> None:
    ds, boxes, mask = burned(enlarged("CT_small.dcm", frames=3))
    before = frames_of(ds).copy()

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert (report.frames_scanned, report.frames_recognized, report.boxes_redacted) == (3, 1, 6)
    assert after.pixel_array.shape == (3, 512, 512)
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=before.min())


def test_ybr_full_422_comes_back_as_rgb(ocr: OcrEngine) -> None:
    ds = enlarged("SC_ybr_full_422_uncompressed.dcm")
    boxes, mask = burn(ds, TEXTS)
    as_ybr_full_422(ds)
    ds = roundtrip(ds)
    assert ds.PhotometricInterpretation == "YBR_FULL_422"
    before = frames_of(ds).copy()  # decoded to RGB

    clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert (after.PhotometricInterpretation, after.PlanarConfiguration) == ("RGB", 0)
    assert after.pixel_array.shape == (512, 512, 3)
    assert_identifiers_gone(before, after, boxes, mask, ocr, fill=0)
