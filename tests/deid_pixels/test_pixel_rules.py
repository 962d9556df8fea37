"""What gets blacked out (BurnedInAnnotation, harmless text, the detector), failures, the report.

Most cases draw text into pydicom's bundled images (enlarged to 512 x 512 so the text is a realistic
size), write and re-read the file, clean it, write and re-read it again, and OCR the result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from burned_in import (
    IDENTIFIERS,
    MRN,
    SCALE,
    SLACK,
    burned,
    changed_outside,
    enlarged,
    frames_of,
    read_testdata,
    read_text,
    roundtrip,
)
from pydicom.dataset import FileDataset
from pydicom.uid import ExplicitVRBigEndian

from multimed.deid.dicom.pixels import PixelDataUnreadable, PixelReport, clean_pixels
from multimed.ml.ocr.base import OcrEngine, OcrLine, OcrResult, OcrWord, scale_box
from multimed.ml.phi.base import PhiDetector


def test_burned_in_annotation_yes_blacks_out_harmless_text_too(ocr: OcrEngine) -> None:
    texts = [("LEFT KNEE", (20, 20)), ("Series 4", (20, 60))]
    ds, boxes, _ = burned(enlarged("CT_small.dcm"), texts, BurnedInAnnotation="YES")
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
def test_images_without_text_come_back_unchanged(ocr: OcrEngine, make: Callable[[], FileDataset]) -> None:
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
    kept = [box for text, box in boxes.items() if text != SCALE]
    assert changed_outside(before, frames_of(after), kept, by=SLACK) == 0


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
    """Stands in for OCR: 'reads' MRN12345 at one place of the original image, at any scale shown."""

    name, version = "fixed-word", "1"

    def __init__(self, box: tuple[int, int, int, int], rows: int) -> None:
        self.box, self.rows = box, rows

    def recognize(self, image: npt.NDArray[np.uint8], *, psm: int | None = None) -> OcrResult:
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
