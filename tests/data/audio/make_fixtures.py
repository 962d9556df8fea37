"""Regenerate the committed speech fixtures: espeak-ng dictations encoded by PyAV into every container.

Needs espeak-ng (`apt-get install espeak-ng`); the tests themselves only read the committed files.

    .venv/bin/python tests/data/audio/make_fixtures.py

Each dictation is synthesised once (22,050 Hz mono) and written as WAV, FLAC, MP3, M4A (AAC), OGG (Opus)
and WebM (Opus) at different rates and channel layouts, so decoding exercises resampling and downmixing.
`expected.json` keeps the spoken text, the written reference and each file's format. Reruns give identical
bytes except for Ogg and WebM, whose muxers pick random stream serial numbers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
SOURCE_RATE = 22_050  # espeak-ng's output rate


@dataclass(frozen=True)
class Dictation:
    id: str
    voice: str
    speed: int  # words per minute
    spoken: str  # what espeak-ng reads
    reference: str  # how a transcriptionist would write it


DICTATIONS = (
    Dictation(
        "chest_pain",
        "en-us",
        150,
        "Patient reports chest pain for two days. Potassium six point eight. "
        "Blood pressure one sixty over ninety five. Start lisinopril ten milligrams daily.",
        "Patient reports chest pain for 2 days. Potassium 6.8. Blood pressure 160 over 95. "
        "Start lisinopril 10 milligrams daily.",
    ),
    Dictation(
        "diabetes",
        "en-gb+f3",
        150,
        "Blood glucose two hundred forty. Continue metformin five hundred milligrams twice daily. "
        "Add atorvastatin forty milligrams at night.",
        "Blood glucose 240. Continue metformin 500 milligrams twice daily. "
        "Add atorvastatin 40 milligrams at night.",
    ),
    Dictation(
        "renal",
        "en-us+m3",
        145,
        "Sodium one thirty two. Creatinine one point four. Hold furosemide and recheck electrolytes "
        "tomorrow morning.",
        "Sodium 132. Creatinine 1.4. Hold furosemide and recheck electrolytes tomorrow morning.",
    ),
    Dictation(
        "fever",
        "en-gb+f3",
        150,
        "Heart rate one hundred twelve. Temperature thirty eight point five. Give acetaminophen one gram "
        "every six hours as needed.",
        "Heart rate 112. Temperature 38.5. Give acetaminophen 1 gram every 6 hours as needed.",
    ),
)


@dataclass(frozen=True)
class Container:
    ext: str
    format: str  # FFmpeg muxer
    codec: str
    rate: int
    layout: str
    bit_rate: int | None = None


CONTAINERS = (
    Container("wav", "wav", "pcm_s16le", 16_000, "mono"),
    Container("flac", "flac", "flac", 22_050, "mono"),
    Container("mp3", "mp3", "libmp3lame", 44_100, "stereo", 48_000),
    Container("m4a", "ipod", "aac", 24_000, "mono", 32_000),
    Container("ogg", "ogg", "libopus", 48_000, "mono", 24_000),
    Container("webm", "webm", "libopus", 48_000, "stereo", 24_000),
)
# Only the first dictation goes into the lossless containers (they are ~10x larger); the others are
# written in the lossy ones.
LOSSLESS = {"wav", "flac"}


def synthesize(d: Dictation, workdir: Path) -> npt.NDArray[np.int16]:
    """Mono 22,050 Hz samples of espeak-ng reading the dictation."""
    wav = workdir / f"{d.id}.espeak.wav"
    subprocess.run(["espeak-ng", "-v", d.voice, "-s", str(d.speed), "-w", str(wav), d.spoken], check=True)
    with av.open(str(wav)) as src:
        chunks = [frame.to_ndarray().reshape(-1) for frame in src.decode(audio=0)]
    samples = np.concatenate(chunks).astype(np.int16)
    # espeak-ng ends abruptly: add 0.3 s of silence on each side, as a recorder would.
    pad = np.zeros(int(0.3 * SOURCE_RATE), dtype=np.int16)
    return np.concatenate([pad, samples, pad])


def encode(
    samples: npt.NDArray[np.int16], spec: Container, path: Path, *, source_rate: int = SOURCE_RATE
) -> None:
    """Write `samples` (mono, at `source_rate`) to `path` through PyAV with the container's codec settings.
    Also used by scripts/make_mbrola_dictations.py."""
    with av.open(str(path), mode="w", format=spec.format) as out:
        stream = out.add_stream(spec.codec, rate=spec.rate, layout=spec.layout)
        assert isinstance(stream, av.AudioStream)
        if spec.bit_rate is not None:
            stream.bit_rate = spec.bit_rate
        frame_size = stream.codec_context.frame_size or None
        resampler = av.AudioResampler(
            format=stream.codec_context.format, layout=spec.layout, rate=spec.rate, frame_size=frame_size
        )
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = source_rate
        frame.pts = 0
        pts = 0
        for source in (frame, None):
            for resampled in resampler.resample(source):
                resampled.pts = pts
                pts += resampled.samples
                out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))


def two_dictations(first: npt.NDArray[np.int16], second: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    """Two dictations with 1.5 s of silence between: a recording a window can be cut inside."""
    gap = np.zeros(int(1.5 * SOURCE_RATE), dtype=np.int16)
    return np.concatenate([first, gap, second])


def main() -> None:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    files: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        voices = {d.id: synthesize(d, Path(tmp)) for d in DICTATIONS}
        for index, d in enumerate(DICTATIONS):
            for spec in CONTAINERS:
                if spec.ext in LOSSLESS and index > 0:
                    continue
                name = f"{d.id}.{spec.ext}"
                encode(voices[d.id], spec, HERE / name)
                files[name] = {
                    "dictations": [d.id],
                    "codec": spec.codec,
                    "sample_rate": spec.rate,
                    "channels": 1 if spec.layout == "mono" else 2,
                    "duration": round(len(voices[d.id]) / SOURCE_RATE, 3),
                }
        both = two_dictations(voices["chest_pain"], voices["renal"])
        encode(both, CONTAINERS[4], HERE / "two_dictations.ogg")
        files["two_dictations.ogg"] = {
            "dictations": ["chest_pain", "renal"],
            "codec": "libopus",
            "sample_rate": 48_000,
            "channels": 1,
            "duration": round(len(both) / SOURCE_RATE, 3),
        }
    expected = {
        "generator": "espeak-ng " + espeak_version(),
        "dictations": {
            d.id: {"voice": d.voice, "speed": d.speed, "spoken": d.spoken, "reference": d.reference}
            for d in DICTATIONS
        },
        "files": files,
    }
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    total = sum((HERE / name).stat().st_size for name in files)
    print(f"wrote {len(files)} files, {total / 1024:.0f} KiB")


def espeak_version() -> str:
    out = subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True).stdout
    words = out.split()
    return words[3] if len(words) > 3 else out.strip()


if __name__ == "__main__":
    main()
