"""Writes the synthetic de-identification corpus: every PHI span and every must-keep clinical span annotated.

    .venv/bin/python benchmarks/deid_corpus/generate.py             # notes.jsonl (tuning set)
    .venv/bin/python benchmarks/deid_corpus/generate.py --holdout   # notes_holdout.jsonl (other seed, names,
                                                                    # places and extra templates)

Deterministic for a seed. Each line: {"id", "type", "text", "phi": [{"start","end","type"}],
"keep": [{"start","end","label"}]}.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slots import Profile
from templates import HOLDOUT, TUNING

HERE = Path(__file__).resolve().parent
_SLOT = re.compile(r"\{(\w+)\}")


def render(template: str, profile: Profile) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Fill a template; spans are recorded while the text is built: exact by construction."""
    parts: list[str] = []
    phi: list[dict[str, Any]] = []
    keep: list[dict[str, Any]] = []
    length = 0
    pos = 0
    for match in _SLOT.finditer(template):
        literal = template[pos : match.start()]
        parts.append(literal)
        length += len(literal)
        for text, kind, value in profile.slot(match.group(1)):
            if kind == "phi":
                phi.append({"start": length, "end": length + len(text), "type": value})
            elif kind == "keep":
                keep.append({"start": length, "end": length + len(text), "label": value})
            parts.append(text)
            length += len(text)
        pos = match.end()
    parts.append(template[pos:])
    return "".join(parts), phi, keep


def generate(*, seed: int, count: int, holdout: bool) -> list[dict[str, Any]]:
    """`count` notes; the held-out set mixes tuning templates with templates never used for tuning."""
    rng = random.Random(seed)
    records = []
    for i in range(count):
        pool = HOLDOUT if holdout and i % 5 < 2 else TUNING
        note_type, template = pool[rng.randrange(len(pool))]
        text, phi, keep = render(template, Profile(rng, holdout))
        records.append(
            {
                "id": f"{'holdout' if holdout else 'tune'}-{i:04d}",
                "type": note_type,
                "text": text,
                "phi": phi,
                "keep": keep,
            }
        )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="write the held-out set")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else (97_531 if args.holdout else 20_261_128)
    count = args.count if args.count is not None else (200 if args.holdout else 320)
    out = args.out or HERE / ("notes_holdout.jsonl" if args.holdout else "notes.jsonl")
    records = generate(seed=seed, count=count, holdout=args.holdout)
    with out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    phi = sum(len(r["phi"]) for r in records)
    keep = sum(len(r["keep"]) for r in records)
    print(f"wrote {len(records)} notes ({phi} PHI spans, {keep} keep spans) to {out}")


if __name__ == "__main__":
    main()
