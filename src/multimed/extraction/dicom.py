"""DICOM metadata summary, pixel statistics and a PNG preview, made from the de-identified dataset."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset
from pydicom.pixels.processing import apply_modality_lut, apply_voi_lut

PREVIEW_MAX_SIDE = 512
_DESCRIPTIVE = (
    "Modality",
    "BodyPartExamined",
    "StudyDescription",
    "SeriesDescription",
    "ProtocolName",
    "Manufacturer",
    "ManufacturerModelName",
    "PhotometricInterpretation",
)
_PARAMETERS = (
    "KVP",
    "SliceThickness",
    "SpacingBetweenSlices",
    "RepetitionTime",
    "EchoTime",
    "InversionTime",
    "FlipAngle",
    "MagneticFieldStrength",
    "ExposureTime",
    "XRayTubeCurrent",
    "Exposure",
    "ConvolutionKernel",
    "PixelSpacing",
    "ImagerPixelSpacing",
    "ContrastBolusAgent",
    "ScanningSequence",
)


@dataclass(frozen=True)
class DicomSummary:
    metadata: dict[str, Any]
    pixel_stats: dict[str, float] | None
    preview_png: bytes | None
    seconds: float


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _frames(ds: Dataset) -> int:
    return int(ds.get("NumberOfFrames", 1) or 1)


def _display(ds: Dataset, pixels: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """One frame as 8-bit for viewing: modality LUT, VOI LUT or window, MONOCHROME1 inverted."""
    if pixels.ndim == 3 and pixels.shape[-1] == 3:
        return np.asarray(pixels, dtype=np.uint8) if pixels.dtype == np.uint8 else _stretch(pixels)
    values = (
        apply_voi_lut(apply_modality_lut(pixels, ds), ds)
        if "WindowCenter" in ds or "VOILUTSequence" in ds
        else apply_modality_lut(pixels, ds)
    )
    image = _stretch(np.asarray(values, dtype=np.float64))
    if ds.get("PhotometricInterpretation") == "MONOCHROME1":
        image = 255 - image
    return image


def _stretch(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    low, high = float(np.min(values)), float(np.max(values))
    if high <= low:
        return np.zeros(values.shape, dtype=np.uint8)
    return np.clip((values - low) * 255.0 / (high - low), 0, 255).astype(np.uint8)


def summarize_dicom(ds: Dataset) -> DicomSummary:
    """Metadata (after de-identification), pixel statistics and a PNG of the first (or middle) frame."""
    started = time.perf_counter()
    metadata: dict[str, Any] = {k: _plain(ds.get(k)) for k in _DESCRIPTIVE if ds.get(k) not in (None, "")}
    metadata["parameters"] = {k: _plain(ds.get(k)) for k in _PARAMETERS if ds.get(k) not in (None, "")}
    metadata.update(
        rows=ds.get("Rows"),
        columns=ds.get("Columns"),
        frames=_frames(ds),
        bits_stored=ds.get("BitsStored"),
        sop_class=str(ds.get("SOPClassUID", "")),
    )
    if "PixelData" not in ds:
        return DicomSummary(metadata, None, None, round(time.perf_counter() - started, 3))
    pixels = ds.pixel_array
    frames = _frames(ds)
    colour = ds.get("SamplesPerPixel", 1) == 3
    frame = pixels[frames // 2] if frames > 1 else pixels
    stats = {
        "min": float(np.min(pixels)),
        "max": float(np.max(pixels)),
        "mean": round(float(np.mean(pixels)), 3),
        "std": round(float(np.std(pixels)), 3),
    }
    image = Image.fromarray(_display(ds, frame), mode="RGB" if colour else "L")
    image.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return DicomSummary(metadata, stats, out.getvalue(), round(time.perf_counter() - started, 3))
