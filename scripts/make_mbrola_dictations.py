"""Clinical dictations read by MBROLA voices: the speech benchmark's "mbrola" sets and the tests' fixtures.

espeak-ng's own voices are formant synthesis (robotic); driving the MBROLA diphone voices (recordings of
real speakers cut into diphones) gives far more natural speech. Needs Debian's non-free packages:

    apt-get install -y espeak-ng mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1

    .venv/bin/python scripts/make_mbrola_dictations.py --out /tmp/mbrola            # the benchmark sets
    .venv/bin/python scripts/make_mbrola_dictations.py --fixtures                   # tests/data/audio/mbrola

--out writes one 16 kHz mono FLAC per reading and `manifest.json` (set, dictation, voice, speed, reference,
duration of each file); benchmarks/transcribe.py runs it for --sets mbrola,mbrola-heldout, or reads a
directory it wrote (--mbrola-dir). Sets:
- mbrola: the twelve dictations of tests/data/audio/benchmark_dictations.json (the texts the prompt, lexicon
  and decoding options were tuned on with espeak-ng voices), each read by two MBROLA voices.
- mbrola-heldout: the twelve dictations of tests/data/audio/mbrola_dictations.json, written after the last
  tuning and never used to choose anything, each read by two MBROLA voices.
Voices, speeds and the reading rule are those of mbrola_dictations.json (four voices: us1 female, us2 and us3
male American, en1 male British; dictation i is read by voices i mod 4 and (i + 2) mod 4).

--fixtures writes the four short test dictations of tests/data/audio/expected.json, each read by one MBROLA
voice, as Ogg Opus (24 kb/s, ~30 KB each) into tests/data/audio/mbrola/ with its own expected.json, so
the tests hear natural-sounding speech without needing mbrola installed. Reruns give the same audio (the
synthesis is deterministic) but new Ogg serial numbers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

AUDIO = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"
sys.path.insert(0, str(AUDIO))
from dictation_sets import store_reading, write_manifest, write_named_sets  # noqa: E402
from make_fixtures import Container, encode  # noqa: E402  (the espeak-ng fixtures' encoder)

SETS = {"mbrola": AUDIO / "benchmark_dictations.json", "mbrola-heldout": AUDIO / "mbrola_dictations.json"}
VOICES_FROM = AUDIO / "mbrola_dictations.json"
FIXTURES = AUDIO / "mbrola"
RATE = 16_000  # the MBROLA US and en1 databases are 16 kHz
PAD_SECONDS = 0.3  # silence around each reading, as a recorder would leave (the espeak-ng sets use the same)
# The four test dictations of expected.json and the voice reading each in the fixtures.
FIXTURE_VOICES = {"chest_pain": "mb-us1", "diabetes": "mb-us2", "renal": "mb-us3", "fever": "mb-en1"}
FIXTURE_SPEED = 150
OPUS = Container("ogg", "ogg", "libopus", 48_000, "mono", 24_000)

Samples = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Reading:
    set: str
    dictation: str
    voice: str  # espeak-ng voice name, "mb-us1"
    speed: int  # words per minute
    spoken: str
    reference: str

    @property
    def file(self) -> str:
        return f"{self.set}/{self.dictation}.{self.voice}.flac"


def missing_tools(voices: list[str]) -> str | None:
    """Why the MBROLA voices cannot be used here, or None when they can."""
    if shutil.which("espeak-ng") is None or shutil.which("mbrola") is None:
        return "espeak-ng or mbrola is not installed (apt-get install espeak-ng mbrola mbrola-us1 ...)"
    absent = [v for v in voices if not Path(f"/usr/share/mbrola/{v[3:]}/{v[3:]}").is_file()]
    return (
        f"MBROLA voices not installed: {', '.join(absent)} (Debian: mbrola-{absent[0][3:]})"
        if absent
        else None
    )


def voices() -> list[tuple[str, int]]:
    data = json.loads(VOICES_FROM.read_text(encoding="utf-8"))
    return [(str(v), int(s)) for v, s in data["voices"]]


def readings(set_name: str) -> list[Reading]:
    """Each dictation of the set read by voices i mod n and (i + n // 2) mod n."""
    data = json.loads(SETS[set_name].read_text(encoding="utf-8"))
    cast = voices()
    out = []
    for i, (name, d) in enumerate(data["dictations"].items()):
        for voice, speed in (cast[i % len(cast)], cast[(i + len(cast) // 2) % len(cast)]):
            out.append(Reading(set_name, name, voice, speed, d["spoken"], d["reference"]))
    return out


def synthesize(spoken: str, voice: str, speed: int, workdir: Path) -> Samples:
    """espeak-ng + MBROLA reading `spoken`: 16 kHz mono samples with PAD_SECONDS of silence each side."""
    wav = workdir / "speech.wav"
    command = ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), spoken]
    run = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 (our own texts)
    # espeak-ng exits 0 and writes nothing when the MBROLA database is missing: check the output.
    if run.returncode != 0 or not wav.is_file() or wav.stat().st_size < 1000:
        raise RuntimeError(f"espeak-ng -v {voice} wrote no speech: {run.stderr.strip()[:200]}")
    with av.open(str(wav)) as src:
        stream = src.streams.audio[0]
        if stream.rate != RATE or stream.channels != 1:
            raise RuntimeError(f"{voice}: expected 16 kHz mono, got {stream.rate} Hz x {stream.channels}")
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in src.decode(audio=0)]).astype(np.int16)
    wav.unlink()
    pad = np.zeros(int(PAD_SECONDS * RATE), dtype=np.int16)
    return np.concatenate([pad, samples, pad])


def generator() -> str:
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True)  # noqa: S607
    espeak = version.stdout.split()
    return f"espeak-ng {espeak[3] if len(espeak) > 3 else '?'} with MBROLA voices"


def write_sets(out: Path, set_names: list[str]) -> dict[str, Any]:
    """Every reading of the named sets as FLAC under `out`, and `out/manifest.json` describing them."""
    chosen = [r for name in set_names for r in readings(name)]
    why = missing_tools(sorted({r.voice for r in chosen}))
    if why is not None:
        raise SystemExit(why)
    entries = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in chosen:
            samples = synthesize(r.spoken, r.voice, r.speed, Path(tmp))
            entries.append(store_reading(out, r, samples, RATE))
    return write_manifest(out, generator(), entries)


def write_fixtures() -> None:
    """The four test dictations of expected.json, one MBROLA voice each, as Ogg Opus in FIXTURES."""
    why = missing_tools(sorted(set(FIXTURE_VOICES.values())))
    if why is not None:
        raise SystemExit(why)
    dictations = json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))["dictations"]
    files: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, voice in FIXTURE_VOICES.items():
            d = dictations[name]
            samples = synthesize(d["spoken"], voice, FIXTURE_SPEED, Path(tmp))
            file = f"{name}.{voice}.ogg"
            encode(samples, OPUS, FIXTURES / file, source_rate=RATE)
            files[file] = {
                "dictation": name,
                "voice": voice,
                "speed": FIXTURE_SPEED,
                "spoken": d["spoken"],
                "reference": d["reference"],
                "duration": round(len(samples) / RATE, 3),
            }
    expected = {
        "generator": generator(),
        "made_by": "scripts/make_mbrola_dictations.py --fixtures",
        "files": files,
    }
    (FIXTURES / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    total = sum((FIXTURES / f).stat().st_size for f in files)
    print(f"wrote {len(files)} fixtures to {FIXTURES}, {total / 1024:.0f} KiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the benchmark sets here (FLAC + manifest.json)")
    parser.add_argument("--sets", default=",".join(SETS), help=f"which of {', '.join(SETS)}")
    parser.add_argument("--fixtures", action="store_true", help="rewrite tests/data/audio/mbrola")
    args = parser.parse_args()
    if args.out is None and not args.fixtures:
        parser.error("give --out DIR and/or --fixtures")
    if args.out is not None:
        write_named_sets(parser, args.out, args.sets, SETS, write_sets)
    if args.fixtures:
        write_fixtures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
