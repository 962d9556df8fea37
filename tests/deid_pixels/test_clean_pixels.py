"""Burned-in names and IDs are blacked out of DICOM pixels; everything else is left as it was.

Every case draws text into pixydicom's bundled images (enlarged to 512 x 512 so the text is a realistic
size), writes and re-reads the file, cleans it, writes and re-reads it again, and OCRs the result.
"""

from __future__ import annotations

import numpy as np
import pytest
from burned_in import (
    IDENTIFIERS,
    Array,
    as_ybr_full_422,
    burn,
    changed_outside,
    enlarged,
    frames_of,
    grown,
    ink_values,
    read_testdata,
    read_text,
    roundtrip,
    store,
)
from pydicom.dataset import FileDataset
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, JPEG2000Lossless, RLELossless

from multimed.deid.dicom.pixels import PixelDataUnreadable, PixelReport, clean_pixels
from multimed.ml.ocr.base import OcrEngine, OcrLine, OcrResult, OcrWord, scale_box
from multimed.ml.phi.base import PhiDetector

NAME, MRN, SCALE = "SMITH^JOHN", "MRN12345", "5 cm"
TEXTS = [(NAME, (20, 20)), (MRN, (20, 60)), (SCALE, (420, 470))]
SLACK = 4 + 6  # the default margin, and a few pixels of OCR box and enlargement rounding


def burned(ds: FileDataset, texts=TEXTS, *, compress: str | None = None, **header: str):
    """Draw `texts`, optionally compress and set header values; then write and re-read the file."""
    boxes, mask = burn(ds, texts)
    if compress:
        ds.compress(compress, generate_instance_uid=False)
    for keyword, value in header.items():
        setattr(ds, keyword, value)
    return roundtrip(ds), boxes, mask


def assert_identifiers_gone(before: Array, after: FileDataset, boxes, mask, ocr: OcrEngine, fill) -> None:
    text = read_text(after, ocr)
    assert "smith" not in text
    assert "john" not in text
    assert "12345" not in text
    now = frames_of(after)
    assert changed_outside(before, now, [boxes[NAME], boxes[MRN]], by=SLACK) == 0
    for label in (NAME, MRN):
        assert (ink_values(now, mask, boxes[label]) == fill).all(), label
    rows, cols = grown(boxes[SCALE], 0, mask.shape)
    assert np.array_equal(before[:, rows, cols], now[:, rows, cols])  # harmless text is kept


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


def test_burned_in_annotation_yes_blacks_out_harmless_text_too(ocr: OcrEngine) -> None:
    texts = [("LEFT KNEE", (20, 20)), ("Series 4", (20, 60))]
    ds, boxes, mask = burned(enlarged("CT_small.dcm"), texts, BurnedInAnnotation="YES")
    before = frames_of(ds).copy()

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=[])
    after = roundtrip(ds)

    text = read_text(after, ocr)
    assert "knee" not in text
    assert "series" not in text
    assert report.boxes_redacted >= 3
    assert changed_outside(before, frames_of(after), list(boxes.values()), by=SLACK) == 0
    assert after.BurnedInAnnotation == "NO"


def test_harmless_text_alone_is_kept_and_the_flag_not_claimed(ocr: OcrEngine) -> None:
    ds, _, _ = burned(enlarged("CT_small.dcm"), [("LEFT KNEE", (20, 20)), (SCALE, (420, 470))])
    before = ds.PixelData

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)

    assert report.boxes_redacted == 0
    assert ds.PixelData == before
    assert "BurnedInAnnotation" not in ds  # text is there: nothing vouches that it identifies no one


@pytest.mark.parametrize(
    "make",
    [
        lambda: enlarged("CT_small.dcm"),
        lambda: enlarged("MR_small.dcm"),
        lambda: read_testdata("JPEG2000.dcm"),
    ],
    ids=["ct", "mr", "jpeg2000-compressed"],
)
def test_images_without_text_come_back_unchanged(ocr: OcrEngine, make) -> None:
    ds = roundtrip(make())
    pixel_data, syntax = ds.PixelData, ds.file_meta.TransferSyntaxUID

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)
    after = roundtrip(ds)

    assert report.boxes_redacted == 0
    assert after.PixelData == pixel_data
    assert after.file_meta.TransferSyntaxUID == syntax
    assert after.BurnedInAnnotation == "NO"


def test_real_detector_also_removes_dates_and_other_names(ocr: OcrEngine, detector: PhiDetector) -> None:
    texts = [
        ("John Smith", (20, 20)),
        ("DOB 01/15/1960", (20, 60)),
        ("Dr. Alice Walker", (20, 100)),
        (SCALE, (420, 470)),
    ]
    ds, boxes, _ = burned(enlarged("CT_small.dcm"), texts)
    before = frames_of(ds).copy()

    report = clean_pixels(ds, ocr=ocr, detector=detector, identifiers=["Smith^John"])
    after = roundtrip(ds)

    text = read_text(after, ocr)
    for gone in ("smith", "john", "1960", "alice", "walker"):
        assert gone not in text
    assert report.boxes_redacted >= 4
    kept = [boxes[k] for k in texts_keys(texts) if k != SCALE]
    assert changed_outside(before, frames_of(after), kept, by=SLACK) == 0


def texts_keys(texts) -> list[str]:
    return [t for t, _ in texts]


def test_undecodable_pixel_data_fails_closed(ocr: OcrEngine) -> None:
    ds = read_testdata("SC_rgb_jpeg_gdcm.dcm")  # JPEG Lossless: no decoder installed

    with pytest.raises(PixelDataUnreadable) as caught:
        clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)

    assert caught.value.code == "pixel_data_unreadable"


def test_dataset_without_pixel_data_is_left_alone(ocr: OcrEngine) -> None:
    ds = read_testdata("rtplan.dcm")

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)

    assert (report.frames_scanned, report.boxes_redacted, report.frames_recognized) == (0, 0, 0)
    assert "BurnedInAnnotation" not in ds


class _FixedWordOcr(OcrEngine):
    """Stands in for OCR: 'reads' MRN12345 at one place of the original image, at whatever scale it is shown."""

    name, version = "fixed-word", "1"

    def __init__(self, box: tuple[int, int, int, int], rows: int) -> None:
        self.box, self.rows = box, rows

    def recognize(self, image, *, psm=None) -> OcrResult:
        box = scale_box(self.box, image.shape[0] / self.rows)
        word = OcrWord(MRN, 95.0, box)
        return OcrResult.of(
            [OcrLine.of([word], confidence=95.0, box=box)],
            engine=self.name,
            version=self.version,
            seconds=0.0,
        )


def test_big_endian_pixels_keep_their_transfer_syntax_and_byte_order() -> None:
    ds = read_testdata("MR_small_bigendian.dcm")
    before = frames_of(ds).astype(np.int16)

    report = clean_pixels(
        ds, ocr=_FixedWordOcr((10, 20, 30, 8), rows=64), detector=None, identifiers=IDENTIFIERS, margin=2
    )
    after = roundtrip(ds)

    assert report.boxes_redacted == 1
    assert after.file_meta.TransferSyntaxUID == ExplicitVRBigEndian
    now = frames_of(after).astype(np.int16)
    assert (now[0, 18:30, 8:42] == before.min()).all()
    assert changed_outside(before, now, [(10, 20, 30, 8)], by=2) == 0


def test_report_holds_counts_and_engine_only(ocr: OcrEngine) -> None:
    ds, _, _ = burned(enlarged("CT_small.dcm"))

    report = clean_pixels(ds, ocr=ocr, detector=None, identifiers=IDENTIFIERS)

    assert isinstance(report, PixelReport)
    assert (report.ocr_engine, report.ocr_version) == (ocr.name, ocr.version)
    assert report.seconds > 0
    assert not any(v in repr(report).casefold() for v in ("smith", "john", "12345"))
