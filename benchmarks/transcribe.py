"""Speech-to-text benchmark: real-time factor and word error rate on the committed dictation fixtures.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/transcribe.py
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/transcribe.py --models whisper-tiny.en --verbose

For each model, with and without the clinical vocabulary prompt, it transcribes one file per dictation
(WAV, MP3, M4A, WebM), the two-dictation OGG and a ~45 s "session" of all four dictations (an in-memory
WAV), after one warm-up call. RTF = processing seconds / audio seconds over the set; WER is word-weighted
after number normalisation (scoring.py); "terms" counts vocabulary words of the references recovered.
Targets: RTF <= 0.15 and WER <= 10%.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

from multimed.ml.transcription import audio, build_transcriber
from multimed.ml.transcription.scoring import normalize, term_recall, word_error_rate
from multimed.ml.transcription.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"
FILES = ("chest_pain.wav", "diabetes.mp3", "renal.m4a", "fever.webm", "two_dictations.ogg")
TARGET_RTF = 0.15
TARGET_WER = 0.10


def load_expected() -> dict[str, Any]:
    """What was said in each fixture (tests/data/audio/expected.json)."""
    return dict(json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8")))


def session_wav(
    expected: dict[str, Any] | None = None, *, min_seconds: float = 0.0
) -> tuple[io.BytesIO, str]:
    """All single-dictation lossy files back to back with 1.5 s pauses, as a 16 kHz WAV in memory; repeated
    until it lasts at least `min_seconds`."""
    expected = expected or load_expected()
    dictations = list(expected["dictations"])
    gap = np.zeros(int(1.5 * audio.SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray[Any, Any]] = []
    said: list[str] = []
    for i in itertools.count():
        if i >= len(dictations) and sum(len(p) for p in parts) >= min_seconds * audio.SAMPLE_RATE:
            break
        name = dictations[i % len(dictations)]
        parts += [audio.decode(FIXTURES / f"{name}.mp3"), gap]
        said.append(str(expected["dictations"][name]["reference"]))
    joined = np.concatenate(parts)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=audio.SAMPLE_RATE, layout="mono")
        pcm = (np.clip(joined, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = audio.SAMPLE_RATE
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    buffer.seek(0)
    return buffer, " ".join(said)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="whisper-tiny.en,whisper-base")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where whisper-base is joined (temp)")
    parser.add_argument("--verbose", action="store_true", help="print every transcript")
    args = parser.parse_args()
    expected = load_expected()
    terms = [t.text for t in load_vocabulary()]
    cases: list[tuple[str, Path | io.BytesIO, str]] = []
    for name in FILES:
        ids = expected["files"][name]["dictations"]
        cases.append((name, FIXTURES / name, " ".join(expected["dictations"][i]["reference"] for i in ids)))
    session, session_ref = session_wav(expected)
    cases.append(("session (4 dictations)", session, session_ref))

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = args.cache_dir or Path(tmp)
        for model in args.models.split(","):
            started = time.perf_counter()
            engine = build_transcriber(model, cache_dir=cache_dir)
            load = time.perf_counter() - started
            engine.transcribe(FIXTURES / FILES[0])  # warm-up: first-call allocations are not steady state
            for prompt_on in (True, False):
                seconds = duration = errors = words = 0.0
                found = present = 0
                for label, source, reference in cases:
                    if isinstance(source, io.BytesIO):
                        source.seek(0)
                    result = engine.transcribe(source, prompt=None if prompt_on else "")
                    seconds += result.seconds_processed
                    duration += result.duration_seconds
                    n = len(normalize(reference))
                    wer = word_error_rate(reference, result.text)
                    errors, words = errors + wer * n, words + n
                    hit, total = term_recall(reference, result.text, terms)
                    found, present = found + hit, present + total
                    if args.verbose:
                        print(
                            f"{model:16s} prompt={'on ' if prompt_on else 'off'} {label:24s} "
                            f"RTF {result.rtf:.3f} WER {wer:5.1%}  {result.text}"
                        )
                rows.append(
                    (model, prompt_on, load, duration, seconds / duration, errors / words, found, present)
                )

    header = ["model", "prompt", "load s", "audio s", "RTF", "WER", "clinical terms"]
    header += [f"RTF <= {TARGET_RTF}", f"WER <= {TARGET_WER:.0%}"]
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for model, prompt_on, load, duration, rtf, wer, found, present in rows:
        cells = [model, "vocabulary" if prompt_on else "none", f"{load:.1f}", f"{duration:.1f}", f"{rtf:.3f}"]
        cells += [f"{wer:.1%}", f"{found}/{present}", verdict(rtf <= TARGET_RTF), verdict(wer <= TARGET_WER)]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
