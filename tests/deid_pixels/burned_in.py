"""Building DICOM images with text burned into their pixels, and reading text back out of them."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileDataset
from pydicom.pixels.processing import apply_color_lut, convert_color_space

from factories.dicoms import read_testdata  # re-exported for the tests here
from multimed.deid.dicom.pixels import Fill
from multimed.ml.ocr import preprocess
from multimed.ml.ocr.base import PSM_SPARSE_TEXT, Box, OcrEngine

IDENTIFIERS = ("Smith^John", "MRN12345")
SIZE = 512
FONT_PX = 22
NAME, MRN, SCALE = "SMITH^JOHN", "MRN12345", "5 cm"
TEXTS = [(NAME, (20, 20)), (MRN, (20, 60)), (SCALE, (420, 470))]
# The default margin, and OCR's box: a word read badly off a busy background gets a looser box.
SLACK = 4 + 12

Array = npt.NDArray[np.generic]
Texts = Sequence[tuple[str, tuple[int, int]]]
Burned = tuple[FileDataset, dict[str, Box], npt.NDArray[np.bool_]]


def burned(ds: FileDataset, texts: Texts = TEXTS, *, compress: str | None = None, **header: str) -> Burned:
    """Draw `texts`, optionally compress and set header values; then write and re-read the file."""
    boxes, mask = burn(ds, texts)
    if compress:
        ds.compress(compress, generate_instance_uid=False)
    for keyword, value in header.items():
        setattr(ds, keyword, value)
    return roundtrip(ds), boxes, mask


def assert_identifiers_gone(
    before: Array,
    after: FileDataset,
    boxes: dict[str, Box],
    mask: npt.NDArray[np.bool_],
    ocr: OcrEngine,
    fill: Fill,
) -> None:
    """Name and MRN unreadable and filled with `fill`; nothing else changed; the harmless label kept."""
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


def frames_of(ds: Dataset) -> Array:
    """The decoded pixels as (frames, rows, columns[, samples])."""
    arr = np.array(ds.pixel_array)
    single = arr.ndim == (2 if ds.get("SamplesPerPixel", 1) == 1 else 3)
    return arr[np.newaxis] if single else arr


def store(ds: Dataset, frames: Array, photometric: str | None = None) -> None:
    """Write frames back uncompressed, keeping NumberOfFrames when the header had it."""
    had_frames = "NumberOfFrames" in ds
    arr = frames if len(frames) > 1 else frames[0]
    pi = photometric or str(ds.PhotometricInterpretation)
    ds.set_pixel_data(arr, pi, int(ds.BitsStored), generate_instance_uid=False)
    if had_frames:
        ds.NumberOfFrames = len(frames)


def _resize(frame: Array, size: int) -> Array:
    if frame.dtype == np.uint8:
        return np.asarray(Image.fromarray(frame).resize((size, size), Image.Resampling.BILINEAR))
    big = Image.fromarray(frame.astype(np.float32)).resize((size, size), Image.Resampling.BILINEAR)
    info = np.iinfo(frame.dtype.name)
    resized: Array = np.clip(np.rint(np.asarray(big)), info.min, info.max).astype(frame.dtype)
    return resized


def enlarged(name: str, size: int = SIZE, *, frames: int | None = None) -> FileDataset:
    """A bundled file resized to size x size (stored uncompressed); `frames` repeats the first frame."""
    ds = read_testdata(name)
    source = frames_of(ds)
    if frames is not None:
        source = np.repeat(source[:1], frames, axis=0)
    pi = "RGB" if source.ndim == 4 else str(ds.PhotometricInterpretation)
    store(ds, np.stack([_resize(f, size) for f in source]), pi)
    return ds


def text_value(ds: Dataset) -> int | list[int]:
    """The brightest displayable value: what scanners burn annotations in."""
    if ds.get("SamplesPerPixel", 1) == 3:
        return [255, 255, 255]
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        indices = np.arange(1 << int(ds.BitsStored))
        return int(np.argmax(preprocess.to_gray(apply_color_lut(indices[np.newaxis], ds))[0]))
    bits, signed = int(ds.BitsStored), int(ds.PixelRepresentation) == 1
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return low if ds.PhotometricInterpretation == "MONOCHROME1" else high


def burn(
    ds: Dataset, texts: Sequence[tuple[str, tuple[int, int]]], *, font_px: int = FONT_PX
) -> tuple[dict[str, Box], npt.NDArray[np.bool_]]:
    """Draw each text at (x, y) into every frame; returns each text's box and the mask of drawn pixels."""
    frames = frames_of(ds)
    mask_image = Image.new("L", (frames.shape[2], frames.shape[1]), 0)
    draw = ImageDraw.Draw(mask_image)
    font = ImageFont.load_default(size=font_px)
    boxes: dict[str, Box] = {}
    for text, (x, y) in texts:
        draw.text((x, y), text, fill=255, font=font)
        left, top, right, bottom = (int(v) for v in draw.textbbox((x, y), text, font=font))
        boxes[text] = (left, top, right - left, bottom - top)
    mask = np.asarray(mask_image) > 127
    frames[:, mask] = text_value(ds)
    store(ds, frames)
    return boxes, mask


def as_ybr_full_422(ds: Dataset) -> None:
    """Re-store an RGB image as YBR_FULL_422 (chroma halved horizontally), as JPEG-era scanners write it."""
    ybr = convert_color_space(frames_of(ds), "RGB", "YBR_FULL", per_frame=True)
    store(ds, ybr, "YBR_FULL_422")


def roundtrip(ds: Dataset) -> FileDataset:
    """Write to bytes and read back: what a receiver of the file gets."""
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    back = pydicom.dcmread(io.BytesIO(buffer.getvalue()))
    assert isinstance(back, FileDataset)
    return back


def read_text(ds: Dataset, engine: OcrEngine) -> str:
    """All text OCR finds in every frame (percentile and full-range views): lower-cased letters and digits."""
    found = []
    for frame in frames_of(ds):
        values = preprocess.to_gray(frame)
        darkest = frame.min(axis=2) if frame.ndim == 3 else frame
        for view in (preprocess.normalize(values), preprocess.to_uint8(darkest, percentiles=None)):
            if ds.PhotometricInterpretation == "MONOCHROME1":
                view = preprocess.invert(view)
            prepared = preprocess.prepare(view)
            found.append(engine.recognize(prepared.image, psm=PSM_SPARSE_TEXT).text)
    return "".join(c for c in " ".join(found).casefold() if c.isalnum())


def grown(box: Box, by: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    """Row and column slices of `box` grown by `by` pixels, clipped to the image."""
    left, top, width, height = box
    return (
        slice(max(0, top - by), min(shape[0], top + height + by)),
        slice(max(0, left - by), min(shape[1], left + width + by)),
    )


def changed_outside(before: Array, after: Array, boxes: Sequence[Box], by: int) -> int:
    """How many pixels changed anywhere but inside `boxes` grown by `by` (any frame)."""
    changed = before != after
    if changed.ndim == 4:
        changed = changed.any(axis=3)
    for box in boxes:
        rows, cols = grown(box, by, changed.shape[1:])
        changed[:, rows, cols] = False
    return int(changed.sum())


def ink_values(frames: Array, mask: npt.NDArray[np.bool_], box: Box) -> Array:
    """The values, in every frame, of the drawn pixels inside `box`."""
    rows, cols = grown(box, 0, mask.shape)
    inside = np.zeros_like(mask)
    inside[rows, cols] = mask[rows, cols]
    return frames[:, inside]
