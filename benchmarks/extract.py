"""Extraction benchmark on this machine: OCR per engine on scanned lab pages, speech, DICOM summary/preview.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/extract.py [--pages 10] [--easyocr-pages 3]
        [--models whisper-tiny.en,whisper-base] [--skip-speech]

OCR: seconds/page, CER and number exactness for Tesseract (the default), Tesseract with EasyOCR's second
reading of doubtful lines (MULTIMED_OCR_SECOND_READING) and EasyOCR alone. EasyOCR's detector takes
~35 s on a letter page at 300 dpi on 2 cores, so it reads only the first --easyocr-pages pages.
Speech: real-time factor and WER of each Whisper model on the committed dictations (the cases of
benchmarks/transcribe.py, clinical vocabulary prompt on, as the service runs it).
Targets: OCR <= 1.0 s/page at CER <= 1% with every lab number exact; speech RTF <= 0.15 with WER <= 10%.
Always exits 0: a benchmark prints numbers and PASS/FAIL against the targets, it does not fail a build.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pydicom import dcmread
from pydicom.data import get_testdata_file
from transcribe import FILES, FIXTURES, TARGET_RTF, TARGET_WER, clinical_cases, fixture_cases, verdict

from factories.pdfs import scanned_page, scanned_pdf
from multimed.extraction.dicom import summarize_dicom
from multimed.extraction.pdf import read_pdf
from multimed.ml.ocr.base import OcrEngine
from multimed.ml.ocr.registry import build_ocr_engine
from multimed.ml.ocr.second_reading import SecondReading
from multimed.ml.transcription import build_transcriber
from multimed.ml.transcription.scoring import edit_distance, normalize, word_error_rate

ANALYTES = [
    ("Sodium", "mmol/L", 120, 160, "(136-145)"),
    ("Potassium", "mmol/L", 2.5, 7.0, "(3.5-5.1)"),
    ("Chloride", "mmol/L", 90, 115, "(98-107)"),
    ("Glucose", "mg/dL", 40, 500, "(70-99)"),
    ("Creatinine", "mg/dL", 0.4, 6.0, "(0.6-1.2)"),
    ("Hemoglobin", "g/dL", 5.0, 18.0, "(12.0-16.0)"),
    ("Platelets", "K/uL", 20, 600, "(150-400)"),
    ("Calcium", "mg/dL", 6.0, 13.5, "(8.5-10.5)"),
    ("Magnesium", "mg/dL", 0.8, 4.0, "(1.7-2.2)"),
    ("WBC", "K/uL", 1.0, 30.0, "(4.0-11.0)"),
]
NUMBER = re.compile(r"\d+(?:\.\d+)?")
HEADER_LINES = 3  # laboratory name, accession, blank: the lab lines follow
TARGET_OCR_SECONDS = 1.0
TARGET_CER = 0.01


def lab_page(rng: random.Random) -> list[str]:
    lines = ["REGIONAL LABORATORY SERVICES", f"Accession: {rng.randrange(10**7, 10**8)}", ""]
    for name, unit, low, high, ref in rng.sample(ANALYTES, 7):
        value = round(rng.uniform(low, high), 1 if high < 50 else 0)
        flag = "H" if str(value) and ref and value > float(ref.strip("()").split("-")[1]) else ""
        lines.append(f"{name:<14}{value:>8} {unit:<8} {ref:<14}{flag}".rstrip())
    return lines


def normalise(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def exact_lab_lines(lines: list[str], text: str) -> int:
    """Lab lines whose numbers some OCR line states exactly, all of them and in order."""
    read = {tuple(NUMBER.findall(line)) for line in text.splitlines()}
    return sum(tuple(NUMBER.findall(line)) in read for line in lines[HEADER_LINES:])


@dataclass
class OcrRun:
    label: str
    seconds: list[float]
    cers: list[float]
    exact_lines: int
    lab_lines: int
    exact_pages: int
    reread: int

    def report(self) -> None:
        pages = len(self.seconds)
        ok = (
            statistics.median(self.seconds) <= TARGET_OCR_SECONDS
            and statistics.mean(self.cers) <= TARGET_CER
            and self.exact_pages == pages
        )
        print(
            f"  {self.label:<34} {statistics.median(self.seconds):6.2f} {max(self.seconds):6.2f}  "
            f"{statistics.mean(self.cers):7.4f} {max(self.cers):7.4f}  "
            f"{self.exact_lines:>3}/{self.lab_lines:<3}  "
            f"{self.exact_pages:>2}/{pages:<2}  {self.reread:>6}  {verdict(ok)}"
        )


def run_ocr(
    label: str, pages: list[list[str]], pdfs: list[bytes], ocr: OcrEngine, second: SecondReading | None
) -> OcrRun:
    read_pdf(pdfs[0], ocr=ocr, second_reading=second)  # warm-up: first-call allocations are not steady state
    run = OcrRun(label, [], [], 0, 0, 0, 0)
    for lines, pdf in zip(pages, pdfs, strict=True):
        start = time.perf_counter()
        result = read_pdf(pdf, ocr=ocr, second_reading=second)
        run.seconds.append(time.perf_counter() - start)
        reference = normalise("\n".join(lines))
        run.cers.append(edit_distance(normalise(result.text), reference) / len(reference))
        exact = exact_lab_lines(lines, result.text)
        run.exact_lines += exact
        run.lab_lines += len(lines) - HEADER_LINES
        run.exact_pages += exact == len(lines) - HEADER_LINES
        run.reread += sum(p.lines_reread for p in result.pages)
    return run


def ocr_section(page_count: int, easyocr_pages: int) -> None:
    rng = random.Random(2026)
    pages = [lab_page(rng) for _ in range(page_count)]
    pdfs = [scanned_pdf([scanned_page(p, rotate=rng.uniform(-1.5, 1.5))]) for p in pages]
    tesseract = build_ocr_engine("tesseract")
    started = time.perf_counter()
    easy = build_ocr_engine("easyocr")
    easy_load = time.perf_counter() - started
    runs = [
        run_ocr(f"{tesseract.name} {tesseract.version}", pages, pdfs, tesseract, None),
        run_ocr(f"{tesseract.name} + {easy.name} 2nd reading", pages, pdfs, tesseract, SecondReading(easy)),
    ]
    if easyocr_pages > 0:
        n = min(easyocr_pages, page_count)
        runs.append(run_ocr(f"{easy.name} {easy.version} ({n} pages)", pages[:n], pdfs[:n], easy, None))
    print(
        f"OCR on {page_count} scanned lab pages, 300 dpi, tilted up to 1.5 deg "
        f"(EasyOCR load {easy_load:.1f} s)"
    )
    print(
        f"  {'engine':<34} {'s/page':>6} {'max':>6}  {'CER':>7} {'max':>7}  {'lines':>7}  "
        f"{'pages':>5}  {'reread':>6}  target <= {TARGET_OCR_SECONDS} s/page, CER <= {TARGET_CER:.0%}, exact"
    )
    for run in runs:
        run.report()
    print("  lines/pages: lab lines (pages) with every number exact; reread: lines the 2nd reading replaced")


def speech_section(models: list[str]) -> None:
    """RTF and WER per model over transcribe.py's sets: the committed fixtures and, where espeak-ng is
    installed, the twelve clinical dictations it synthesises (the per-set breakdown is transcribe.py's)."""
    with tempfile.TemporaryDirectory() as workdir:
        clinical, notes = clinical_cases(Path(workdir), {"clinical"})
        cases = fixture_cases() + clinical
        for note in notes:
            print(f"\n  ({note})")
        print(f"\nSpeech on {len(cases)} recordings (fixtures + clinical set; vocabulary prompt on)")
        print(
            f"  {'model':<18} {'load s':>6} {'audio s':>7} {'RTF':>6} {'WER':>6}  "
            f"RTF <= {TARGET_RTF}, WER <= 10%"
        )
        for model in models:
            started = time.perf_counter()
            engine = build_transcriber(model, cache_dir=Path(workdir) / "models")
            load = time.perf_counter() - started
            engine.transcribe(FIXTURES / FILES[0])  # warm-up
            seconds = duration = errors = words = 0.0
            for case in cases:
                if isinstance(case.source, io.BytesIO):
                    case.source.seek(0)
                result = engine.transcribe(case.source)
                seconds += result.seconds_processed
                duration += result.duration_seconds
                n = len(normalize(case.reference))
                errors, words = errors + word_error_rate(case.reference, result.text) * n, words + n
            rtf, wer = seconds / duration, errors / words
            ok = rtf <= TARGET_RTF and wer <= TARGET_WER
            print(f"  {model:<18} {load:6.1f} {duration:7.1f} {rtf:6.3f} {wer:6.1%}  {verdict(ok)}")


def dicom_section() -> None:
    print("\nDICOM summary + preview (de-identified dataset)")
    for name in ("CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "SC_rgb_rle_2frame.dcm"):
        ds = dcmread(get_testdata_file(name))
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            summarize_dicom(ds)
            runs.append(time.perf_counter() - start)
        print(
            f"  {name:<24} {ds.Rows}x{ds.Columns} x{int(ds.get('NumberOfFrames', 1) or 1)}  "
            f"{statistics.median(runs) * 1000:7.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--easyocr-pages", type=int, default=3, help="pages EasyOCR reads alone (~35 s each)")
    parser.add_argument("--models", default="whisper-tiny.en,whisper-base")
    parser.add_argument("--skip-speech", action="store_true")
    args = parser.parse_args()
    ocr_section(args.pages, args.easyocr_pages)
    if not args.skip_speech:
        speech_section([m for m in args.models.split(",") if m])
    dicom_section()


if __name__ == "__main__":
    main()
