"""Burned-in text in DICOM pixel data: read it by OCR and black out what identifies the patient.

Run it before header de-identification, with the header's original identifiers
(`identifiers.patient_identifiers(ds)`): it changes only the pixel data, the Image Pixel module, the
transfer syntax (to Explicit VR Little Endian when compressed pixels had to be rewritten) and
BurnedInAnnotation. The SOP Instance UID is left for the header de-identifier to map.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.pixels import apply_color_lut, apply_modality_lut, get_decoder
from pydicom.uid import ExplicitVRLittleEndian

from multimed.core.errors import DomainError
from multimed.ml.ocr import preprocess
from multimed.ml.ocr.base import PSM_SPARSE_TEXT, Box, OcrEngine, OcrResult, OcrWord
from multimed.ml.phi.base import PhiDetector

# Tesseract's "words" found in anatomy or noise mostly score below this; real annotations score 80-95.
CONFIDENCE_FLOOR = 30.0
_TOKEN = re.compile(r"[0-9a-z]+")
# Name components that are titles, not names: redacting every "DR" on an image would hide nothing.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "md", "phd", "rn", "ii", "iii", "iv"})
_SUBSTRING_CHARS = 4  # identifiers at least this long are also found inside longer OCR words
_FUZZY_CHARS = 5  # ... and at least this long also with one OCR error (edit distance 1)

Pixels = npt.NDArray[np.generic]


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


@dataclass(frozen=True)
class _Decoded:
    frames: Pixels  # (frames, rows, columns[, samples]) in native byte order, writable
    photometric: str  # after decoding: YBR_FULL(_422) comes out as RGB


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
    decoded = _decode(ds)
    terms = _Terms(identifiers)
    all_text = str(ds.get("BurnedInAnnotation", "")).strip().upper() == "YES"
    fill = _fill_value(ds, decoded)
    seen: dict[bytes, tuple[list[Box], bool]] = {}
    redacted, legible = 0, False
    for frame in decoded.frames:
        key = hashlib.blake2b(frame.tobytes(), digest_size=16).digest()
        if key not in seen:
            result = _read(ds, frame, decoded.photometric, ocr)
            chosen = _boxes(result, detector=detector, terms=terms, identifiers=identifiers, all_text=all_text)
            seen[key] = sorted(chosen), any(_legible(w) for w in result.words)
        boxes, has_text = seen[key]
        legible = legible or has_text
        for box in boxes:
            _black_out(frame, box, margin, fill)
        redacted += len(boxes)
    if redacted:
        _write(ds, decoded)
    if redacted or not legible:
        ds.BurnedInAnnotation = "NO"
    return PixelReport(
        frames_scanned=len(decoded.frames),
        boxes_redacted=redacted,
        ocr_engine=ocr.name,
        ocr_version=ocr.version,
        seconds=time.perf_counter() - start,
        frames_recognized=len(seen),
    )


def _decode(ds: Dataset) -> _Decoded:
    try:
        syntax = ds.file_meta.TransferSyntaxUID
        arr, meta = get_decoder(syntax).as_array(ds)
    except (AttributeError, KeyError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise PixelDataUnreadable(f"the pixel data could not be decoded ({type(exc).__name__})") from exc
    samples = int(meta.get("samples_per_pixel", 1))
    if arr.ndim == (2 if samples == 1 else 3):
        arr = arr[np.newaxis]
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    elif not arr.flags.writeable:
        arr = arr.copy()
    return _Decoded(arr, str(meta.get("photometric_interpretation", ds.PhotometricInterpretation)))


def _window(ds: Dataset) -> tuple[float, float] | None:
    """The first VOI window of the header, if it has a usable one."""
    try:
        center, width = (ds.get(k) for k in ("WindowCenter", "WindowWidth"))
        values = [float(v[0] if isinstance(v, MultiValue) else v) for v in (center, width)]
    except (TypeError, ValueError, IndexError):
        return None
    return (values[0], values[1]) if values[1] > 0 else None


def _display(ds: Dataset, frame: Pixels, photometric: str) -> preprocess.Gray8:
    """The frame as a viewer would show it, in 8-bit gray (higher is brighter)."""
    if frame.ndim == 3:
        return preprocess.to_uint8(frame)
    if photometric == "PALETTE COLOR":
        return preprocess.to_uint8(apply_color_lut(frame, ds))
    gray = preprocess.to_uint8(apply_modality_lut(frame, ds), window_cw=_window(ds))
    return preprocess.invert(gray) if photometric == "MONOCHROME1" else gray


def _read(ds: Dataset, frame: Pixels, photometric: str, ocr: OcrEngine) -> OcrResult:
    prepared = preprocess.prepare(_display(ds, frame, photometric))
    return ocr.recognize(prepared.image, psm=PSM_SPARSE_TEXT).unscaled(prepared.scale)


def _legible(word: OcrWord) -> bool:
    return word.confidence > CONFIDENCE_FLOOR and _TOKEN.search(word.text.casefold()) is not None


def _boxes(
    result: OcrResult,
    *,
    detector: PhiDetector | None,
    terms: _Terms,
    identifiers: Sequence[str],
    all_text: bool,
) -> set[Box]:
    chosen: set[Box] = set()
    if all_text:
        chosen.update(w.box for w in result.words if _legible(w))
    if detector is not None and result.text.strip():
        for span in detector.analyze(result.text, known_values=list(identifiers)):
            chosen.update(w.box for w in result.words_in(span.start, span.end))
    for line in result.lines:
        chosen.update(line.words[i].box for i in terms.hits(line.words))
    return chosen


def _near(a: str, b: str) -> bool:
    """Whether two strings are at most one insertion, deletion or substitution apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


class _Terms:
    """The identifiers as OCR shows them: whole with separators ignored, and names also part by part."""

    def __init__(self, identifiers: Sequence[str]) -> None:
        self.whole: set[str] = set()
        self.parts: set[str] = set()
        for value in identifiers:
            tokens = _TOKEN.findall(value.casefold())
            if len(joined := "".join(tokens)) >= 3:
                self.whole.add(joined)
            self.parts.update(t for t in tokens if len(t) >= 2 and t.isalpha() and t not in _TITLES)

    def hits(self, words: Sequence[OcrWord]) -> set[int]:
        """Indices of the words of one line that show an identifier or part of one."""
        tokens = [_TOKEN.findall(w.text.casefold()) for w in words]
        joined = ["".join(t) for t in tokens]
        found = {i for i, (toks, text) in enumerate(zip(tokens, joined, strict=True)) if self._word(toks, text)}
        # An ID split over words ("MRN 12345", "123-45-678" read as three words): search the line
        # with the gaps removed and take every word the occurrence touches.
        line = "".join(joined)
        ends = np.cumsum([len(t) for t in joined])
        for term in self.whole:
            if len(term) < _SUBSTRING_CHARS:
                continue
            at = line.find(term)
            while at >= 0:
                first = int(np.searchsorted(ends, at, side="right"))
                last = int(np.searchsorted(ends, at + len(term) - 1, side="right"))
                found.update(range(first, last + 1))
                at = line.find(term, at + 1)
        return found

    def _word(self, tokens: list[str], text: str) -> bool:
        for part in self.parts:
            if part in tokens or (len(part) >= _SUBSTRING_CHARS and part in text):
                return True
            if len(part) >= _FUZZY_CHARS and any(_near(part, t) for t in tokens):
                return True
        return any(
            text == term or (len(term) >= _FUZZY_CHARS and _near(term, text)) for term in self.whole
        )


def _fill_value(ds: Dataset, decoded: _Decoded) -> int | float | list[int]:
    """What displays as black: the lowest stored value (the highest for MONOCHROME1), black for colour."""
    frames, photometric = decoded.frames, decoded.photometric
    if frames.ndim == 4:
        middle = 1 << (8 * frames.dtype.itemsize - 1)
        return [0, middle, middle] if photometric.startswith("YBR") else [0, 0, 0]
    if photometric == "PALETTE COLOR":
        used = np.unique(frames)
        return int(used[np.argmin(preprocess.to_gray(apply_color_lut(used[np.newaxis], ds))[0])])
    extreme = frames.max() if photometric == "MONOCHROME1" else frames.min()
    return extreme.item()  # type: ignore[no-any-return]


def _black_out(frame: Pixels, box: Box, margin: int, fill: int | float | list[int]) -> None:
    left, top, width, height = box
    rows, columns = frame.shape[:2]
    y0, y1 = max(0, top - margin), min(rows, top + height + margin)
    x0, x1 = max(0, left - margin), min(columns, left + width + margin)
    if y0 < y1 and x0 < x1:
        frame[y0:y1, x0:x1] = fill


def _write(ds: Dataset, decoded: _Decoded) -> None:
    """Store the cleaned frames uncompressed; keep NumberOfFrames where the header had it."""
    frames = decoded.frames
    arr = frames if len(frames) > 1 else frames[0]
    syntax = ds.file_meta.TransferSyntaxUID
    had_frames = "NumberOfFrames" in ds
    if not syntax.is_little_endian:  # retired big-endian syntax: keep it and its byte order
        _write_raw(ds, arr.astype(arr.dtype.newbyteorder(">")))
    elif arr.dtype.kind in "ui" and arr.dtype.itemsize <= 2:
        ds.set_pixel_data(arr, decoded.photometric, int(ds.BitsStored), generate_instance_uid=False)
    else:  # 32-bit pixels, which set_pixel_data does not take
        _write_raw(ds, arr.astype(arr.dtype.newbyteorder("<")))
        if syntax.is_compressed:
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    if had_frames:
        ds.NumberOfFrames = len(frames)


def _write_raw(ds: Dataset, arr: Pixels) -> None:
    data = arr.tobytes()
    ds.PixelData = data + b"\x00" if len(data) % 2 else data
    ds["PixelData"].is_undefined_length = False
