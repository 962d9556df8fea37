"""Writing a synthesised dictation set: each reading as a 16 kHz FLAC file, and `manifest.json` describing
them (used by scripts/make_mbrola_dictations.py and scripts/make_piper_dictations.py; the manifest is what
benchmarks/transcribe.py reads)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from make_fixtures import Container, encode

FLAC = Container("flac", "flac", "flac", 16_000, "mono")


def store_reading(out: Path, reading: Any, samples: npt.NDArray[np.int16], rate: int) -> dict[str, Any]:
    """Encode one reading (a dataclass with `file` and `spoken`) as FLAC at `out / reading.file`; returns its
    manifest entry: the reading's fields but the spoken text, and its duration."""
    (out / reading.file).parent.mkdir(parents=True, exist_ok=True)
    encode(samples, FLAC, out / reading.file, source_rate=rate)
    fields = {k: v for k, v in dataclasses.asdict(reading).items() if k != "spoken"}
    return fields | {"file": reading.file, "duration": round(len(samples) / rate, 3)}


def write_manifest(out: Path, generator: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    manifest = {"generator": generator, "readings": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_named_sets(
    parser: argparse.ArgumentParser,
    out: Path,
    names: str,
    known: Iterable[str],
    write_sets: Callable[[Path, list[str]], dict[str, Any]],
) -> None:
    """A script's `--out DIR --sets a,b`: the sets written by `write_sets`, or the parser's error for an
    unknown name."""
    chosen, known = names.split(","), list(known)
    unknown = [n for n in chosen if n not in known]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(known)}")
    manifest = write_sets(out, chosen)
    seconds = sum(r["duration"] for r in manifest["readings"])
    print(f"wrote {len(manifest['readings'])} readings ({seconds / 60:.1f} min) to {out}")
