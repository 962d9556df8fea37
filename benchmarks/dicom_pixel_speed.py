"""Burned-in text cleaning speed: seconds per image and per frame for `clean_pixels` on a few images.

    .venv/bin/python benchmarks/dicom_pixel_speed.py [--repeats 3] [--detector]

Images are pydicom's bundled test files; the small ones are enlarged to 512 x 512 and get a patient name
and MRN drawn into their pixels (as `tests/deid_pixels` does). Each run reads the file from memory, cleans
it (decode, OCR of every distinct frame in up to two renderings, matching, blacking out, re-encoding) and
is timed end to end; the median of the runs is shown. `--detector` adds the Presidio PHI detector (its
load time is not counted). Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.uid import JPEG2000Lossless, RLELossless

from multimed.deid.dicom.pixels import PixelReport, clean_pixels
from multimed.ml.ocr import build_ocr_engine
from multimed.ml.phi.base import PhiDetector

IDENTIFIERS = ["Smith^John", "MRN12345"]
TEXTS = (("SMITH^JOHN", (20, 20)), ("MRN12345", (20, 60)), ("5 cm", (420, 470)))


def _read(name: str) -> Dataset:
    path = get_testdata_file(name, download=False)
    if path is None:
        raise SystemExit(f"{name} is not bundled with this pydicom")
    return pydicom.dcmread(path)


def _frames(ds: Dataset) -> np.ndarray:
    arr = np.array(ds.pixel_array)
    return arr[np.newaxis] if arr.ndim == (2 if ds.SamplesPerPixel == 1 else 3) else arr


def _store(ds: Dataset, frames: np.ndarray, photometric: str) -> None:
    had_frames = "NumberOfFrames" in ds
    ds.set_pixel_data(frames if len(frames) > 1 else frames[0], photometric, int(ds.BitsStored))
    if had_frames:
        ds.NumberOfFrames = len(frames)


def _resize(frame: np.ndarray, size: int) -> np.ndarray:
    if frame.dtype == np.uint8:
        return np.asarray(Image.fromarray(frame).resize((size, size), Image.Resampling.BILINEAR))
    big = np.asarray(
        Image.fromarray(frame.astype(np.float32)).resize((size, size), Image.Resampling.BILINEAR)
    )
    return np.rint(big).astype(frame.dtype)


def burned(name: str, *, frames: int | None = None, syntax: str | None = None) -> Callable[[], bytes]:
    """A bundled image enlarged to 512 x 512 with the name and MRN drawn at full brightness."""

    def make() -> bytes:
        ds = _read(name)
        source = _frames(ds)
        if frames is not None:
            source = np.repeat(source[:1], frames, axis=0)
        big = np.stack([_resize(f, 512) for f in source])
        mask_image = Image.new("L", (512, 512), 0)
        draw, font = ImageDraw.Draw(mask_image), ImageFont.load_default(size=22)
        for text, at in TEXTS:
            draw.text(at, text, fill=255, font=font)
        colour = big.ndim == 4
        big[:, np.asarray(mask_image) > 127] = 255 if colour else (1 << (int(ds.BitsStored) - 1)) - 1
        _store(ds, big, "RGB" if colour else str(ds.PhotometricInterpretation))
        if syntax is not None:
            ds.compress(syntax)
        return _bytes(ds)

    return make


def bundled(name: str) -> Callable[[], bytes]:
    """A bundled file as it is (whatever text it already carries)."""
    return lambda: _bytes(_read(name))


def _bytes(ds: Dataset) -> bytes:
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


CASES: list[tuple[str, Callable[[], bytes]]] = [
    ("CT 16-bit 512x512 + name/MRN", burned("CT_small.dcm")),
    ("MR 16-bit windowed 512x512 + name/MRN", burned("MR_small.dcm")),
    ("CT same, JPEG 2000 lossless", burned("CT_small.dcm", syntax=JPEG2000Lossless)),
    ("CT 3 identical frames + name/MRN", burned("CT_small.dcm", frames=3)),
    ("RGB 2 frames RLE 512x512 + name/MRN", burned("SC_rgb_rle_2frame.dcm", syntax=RLELossless)),
    ("JPEG2000.dcm 1024x256, no text", bundled("JPEG2000.dcm")),
    ("US 30 frames 240x320 JPEG, real overlay text", bundled("examples_ybr_color.dcm")),
]


def _detector() -> PhiDetector:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        from multimed.ml.phi.registry import build_phi_detector

        return build_phi_detector("presidio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per image; the median is shown")
    parser.add_argument("--detector", action="store_true", help="also run the Presidio PHI detector")
    args = parser.parse_args()
    ocr = build_ocr_engine()
    detector = _detector() if args.detector else None
    payloads = [(label, make()) for label, make in CASES]
    clean_pixels(
        pydicom.dcmread(io.BytesIO(payloads[0][1])), ocr=ocr, detector=detector, identifiers=IDENTIFIERS
    )

    print(
        f"OCR {ocr.name} {ocr.version}; detector: {'presidio' if detector else 'none'};"
        f" cpus: {os.cpu_count()}; median of {args.repeats} runs"
    )
    header = f"{'image':<46} {'frames':>6} {'read':>5} {'boxes':>5} {'s/image':>8} {'s/frame':>8}"
    print(header)
    print("-" * len(header))
    for label, payload in payloads:
        seconds: list[float] = []
        report: PixelReport | None = None
        for _ in range(args.repeats):
            ds = pydicom.dcmread(io.BytesIO(payload))
            start = time.perf_counter()
            report = clean_pixels(ds, ocr=ocr, detector=detector, identifiers=IDENTIFIERS)
            seconds.append(time.perf_counter() - start)
        assert report is not None
        median = statistics.median(seconds)
        print(
            f"{label:<46} {report.frames_scanned:>6} {report.frames_recognized:>5} {report.boxes_redacted:>5}"
            f" {median:>8.3f} {median / max(report.frames_scanned, 1):>8.3f}"
        )


if __name__ == "__main__":
    main()
