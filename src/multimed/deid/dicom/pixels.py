"""Burned-in text in DICOM pixel data: read it by OCR and black out what identifies the patient.

Run it before header de-identification, with the header's original identifiers
(`identifiers.patient_identifiers(ds)`): it changes only the pixel data, the Image Pixel module, the
transfer syntax (to Explicit VR Little Endian when compressed pixels had to be rewritten) and
BurnedInAnnotation. The SOP Instance UID is left for the header de-identifier to map.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.pixels.decoders.base import get_decoder
from pydicom.pixels.processing import apply_color_lut, apply_modality_lut
from pydicom.uid import ExplicitVRLittleEndian

from multimed.core.errors import DomainError
from multimed.ml.ocr import preprocess
from multimed.ml.ocr.base import PSM_SPARSE_TEXT, Box, OcrEngine, OcrLine, OcrResult, OcrWord, merge_boxes
from multimed.ml.ocr.matching import KnownTextMatcher
from multimed.ml.phi.base import PhiDetector

# What counts as legible text. OCR reads anatomy and noise as short "words" scoring mostly 30-40, or
# as glyphs taller than annotations ever are; real annotations score 80-95.
CONFIDENCE_FLOOR = 40.0
_MIN_CHARS = 2  # letters or digits: a lone character identifies no one
_MIN_ALNUM_SHARE = 0.6  # ")&.fl" is noise; "MRN:12345", "01/15/1960" and "(555)" are text
_TALLEST = 12  # a "glyph" taller than 1/12 of the image (and 24 px) is a structure, not text
_SAME_VIEW = 4.0  # mean gray-level difference under which a second rendering is not worth reading

Pixels = npt.NDArray[np.generic]
Fill = int | float | list[int]


class PixelDataUnreadable(DomainError):
    """The pixel data cannot be decoded here, so burned-in text cannot be ruled out: nothing is released."""

    code = "pixel_data_unreadable"
    status = 422


@dataclass(frozen=True)
class PixelReport:
    """What pixel cleaning did, as counts only: never any text it read."""

    frames_scanned: int
    boxes_redacted: int
    ocr_engine: str
    ocr_version: str
    seconds: float
    frames_recognized: int = 0  # frames actually read: identical frames are read once


def clean_pixels(
    ds: Dataset,
    *,
    ocr: OcrEngine,
    detector: PhiDetector | None,
    identifiers: Sequence[str],
    margin: int = 4,
) -> PixelReport:
    """Black out identifying burned-in text IN PLACE; with BurnedInAnnotation YES, all legible text.

    Boxes come from the detector's spans on the OCR text (given `identifiers` as known values) and from
    direct matching of the identifiers against OCR words. Raises PixelDataUnreadable when the pixel data
    cannot be decoded (e.g. a transfer syntax without an installed decoder).
    """
    start = time.perf_counter()
    if "PixelData" not in ds:
        return PixelReport(0, 0, ocr.name, ocr.version, time.perf_counter() - start)
    frames, photometric = _decode(ds)
    finder = _Finder(
        ocr=ocr,
        detector=detector,
        known=list(identifiers),
        matcher=KnownTextMatcher(identifiers),
        all_text=str(ds.get("BurnedInAnnotation", "")).strip().upper() == "YES",
    )
    fill = _fill_value(ds, frames, photometric)
    seen: dict[bytes, tuple[list[Box], bool]] = {}
    redacted, any_text = 0, False
    for frame in frames:
        key = hashlib.blake2b(frame.tobytes(), digest_size=16).digest()
        if key not in seen:  # identical frames (a cine loop's still parts) are read once
            seen[key] = finder.find(ds, frame, photometric)
        boxes, has_text = seen[key]
        any_text = any_text or has_text
        for box in boxes:
            _black_out(frame, box, margin, fill)
        redacted += len(boxes)
    if redacted:
        _write(ds, frames, photometric)
    if redacted or not any_text:
        ds.BurnedInAnnotation = "NO"
    return PixelReport(
        frames_scanned=len(frames),
        boxes_redacted=redacted,
        ocr_engine=ocr.name,
        ocr_version=ocr.version,
        seconds=time.perf_counter() - start,
        frames_recognized=len(seen),
    )


@dataclass(frozen=True)
class _Finder:
    ocr: OcrEngine
    detector: PhiDetector | None
    known: list[str]
    matcher: KnownTextMatcher
    all_text: bool

    def find(self, ds: Dataset, frame: Pixels, photometric: str) -> tuple[list[Box], bool]:
        """The boxes to black out in one frame, and whether it shows any legible text at all."""
        chosen: set[Box] = set()
        has_text = False
        for view in _renderings(ds, frame, photometric):
            prepared = preprocess.prepare(view)
            result = self.ocr.recognize(prepared.image, psm=PSM_SPARSE_TEXT).unscaled(prepared.scale)
            legible = _legible(result, rows=frame.shape[0])
            has_text = has_text or bool(legible.lines)
            if self.all_text:
                chosen.update(w.box for w in legible.words)
            if self.detector is not None and legible.text:
                # Legible words only: noise read as capitalised "words" looks like names to a detector.
                for span in self.detector.analyze(legible.text, known_values=self.known):
                    chosen.update(w.box for w in legible.words_in(span.start, span.end))
            chosen |= self.matcher.boxes(result)  # every word: a misread name still scores low
        return merge_boxes(chosen), has_text


def _legible(result: OcrResult, *, rows: int) -> OcrResult:
    """Only the words that look like real text (see CONFIDENCE_FLOOR)."""
    tallest = max(24, rows // _TALLEST)

    def keep(word: OcrWord) -> bool:
        alnum = sum(c.isalnum() for c in word.text)
        return (
            word.confidence > CONFIDENCE_FLOOR
            and alnum >= max(_MIN_CHARS, _MIN_ALNUM_SHARE * len(word.text))
            and word.box[3] <= tallest
        )

    lines = [
        OcrLine.of([w for w in line.words if keep(w)], confidence=line.confidence, box=line.box)
        for line in result.lines
    ]
    return OcrResult.of(lines, engine=result.engine, version=result.version, seconds=result.seconds)


def _decode(ds: Dataset) -> tuple[Pixels, str]:
    """(frames, rows, columns[, samples]) in native byte order and writable; YBR_FULL(_422) becomes RGB."""
    try:
        arr, meta = get_decoder(ds.file_meta.TransferSyntaxUID).as_array(ds)
    except (AttributeError, KeyError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise PixelDataUnreadable(f"the pixel data could not be decoded ({type(exc).__name__})") from exc
    if arr.ndim == (2 if int(meta.get("samples_per_pixel", 1)) == 1 else 3):
        arr = arr[np.newaxis]
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    elif not arr.flags.writeable:
        arr = arr.copy()
    return arr, str(meta.get("photometric_interpretation", ds.PhotometricInterpretation))


def _window(ds: Dataset) -> tuple[float, float] | None:
    """The first VOI window of the header, if it has a usable one."""
    try:
        center, width = (ds.get(k) for k in ("WindowCenter", "WindowWidth"))
        values = [float(v[0] if isinstance(v, MultiValue) else v) for v in (center, width)]
    except (TypeError, ValueError, IndexError):
        return None
    return (values[0], values[1]) if values[1] > 0 else None


def _renderings(ds: Dataset, frame: Pixels, photometric: str) -> list[preprocess.Gray8]:
    """8-bit views of the frame to read (higher is brighter): as a viewer shows it, and full range.

    Scanners burn text at the top of the stored range, above any tissue: the viewer's window (or a
    percentile stretch) clips bright tissue to the same white and text touching it becomes unreadable,
    while the full min-max range keeps the text alone at white.
    """
    if photometric == "PALETTE COLOR":
        frame = apply_color_lut(frame, ds)
    if frame.ndim == 3:  # white text on colour stands out in the darkest channel, not in luminance
        return _distinct(preprocess.to_uint8(frame), preprocess.to_uint8(frame.min(axis=2)))
    values = preprocess.to_gray(apply_modality_lut(frame, ds))
    window = _window(ds)
    views = _distinct(
        preprocess.window(values, center=window[0], width=window[1])
        if window
        else preprocess.normalize(values),
        preprocess.normalize(values, percentiles=None),
    )
    return [preprocess.invert(v) for v in views] if photometric == "MONOCHROME1" else views


def _distinct(first: preprocess.Gray8, second: preprocess.Gray8) -> list[preprocess.Gray8]:
    """Both views, or only the first when the second barely differs (reading it would find the same)."""
    differs = np.mean(np.abs(second.astype(np.int16) - first)) > _SAME_VIEW
    return [first, second] if differs else [first]


def _fill_value(ds: Dataset, frames: Pixels, photometric: str) -> Fill:
    """What displays as black: the lowest stored value (the highest for MONOCHROME1), black for colour."""
    if frames.ndim == 4:
        middle = 1 << (8 * frames.dtype.itemsize - 1)
        return [0, middle, middle] if photometric.startswith("YBR") else [0, 0, 0]
    if photometric == "PALETTE COLOR":
        used = np.unique(frames)
        return int(used[np.argmin(preprocess.to_gray(apply_color_lut(used[np.newaxis], ds))[0])])
    extreme = frames.max() if photometric == "MONOCHROME1" else frames.min()
    return extreme.item()  # type: ignore[no-any-return]


def _black_out(frame: Pixels, box: Box, margin: int, fill: Fill) -> None:
    left, top, width, height = box
    rows, columns = frame.shape[:2]
    y0, y1 = max(0, top - margin), min(rows, top + height + margin)
    x0, x1 = max(0, left - margin), min(columns, left + width + margin)
    if y0 < y1 and x0 < x1:
        frame[y0:y1, x0:x1] = fill


def _write(ds: Dataset, frames: Pixels, photometric: str) -> None:
    """Store the cleaned frames uncompressed; keep NumberOfFrames where the header had it."""
    arr = frames if len(frames) > 1 else frames[0]
    syntax = ds.file_meta.TransferSyntaxUID
    had_frames = "NumberOfFrames" in ds
    if not syntax.is_little_endian:  # retired big-endian syntax: keep it and its byte order
        _write_raw(ds, arr.astype(arr.dtype.newbyteorder(">")), photometric)
    elif arr.dtype.kind in "ui" and arr.dtype.itemsize <= 2:
        ds.set_pixel_data(arr, photometric, int(ds.BitsStored), generate_instance_uid=False)
    else:  # 32-bit pixels, which set_pixel_data does not take
        _write_raw(ds, arr.astype(arr.dtype.newbyteorder("<")), photometric)
        if syntax.is_compressed:
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    if had_frames:
        ds.NumberOfFrames = len(frames)
    for keyword in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):  # they index encapsulated frames
        if keyword in ds:
            del ds[keyword]


def _write_raw(ds: Dataset, arr: Pixels, photometric: str) -> None:
    """The bytes as they are; colour is now interleaved and, if it was YBR, RGB."""
    ds.PhotometricInterpretation = photometric
    if "PlanarConfiguration" in ds:
        ds.PlanarConfiguration = 0
    data = arr.tobytes()
    ds.PixelData = data + b"\x00" if len(data) % 2 else data
    ds["PixelData"].is_undefined_length = False
