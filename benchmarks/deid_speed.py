"""PHI detection speed: notes per second, our detector against Presidio's default analyzer, same notes.

    .venv/bin/python benchmarks/deid_speed.py [--notes 200] [--set tuning|holdout]

Both detectors are built first and warmed up on a few notes; each then makes one timed pass over the notes.
Target: ours >= 1.0x Presidio's default. Always exits 0 (a benchmark, not a test); prints PASS/FAIL.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from deid_eval import SETS, load, our_detector, presidio_default


def timed_pass(detect: Callable[[str], object], texts: list[str]) -> float:
    """Seconds for one pass over the texts."""
    started = time.perf_counter()
    for text in texts:
        detect(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--set", choices=list(SETS), default="tuning")
    args = parser.parse_args()
    texts = [record["text"] for record in load(SETS[args.set])][: args.notes]
    chars = sum(len(t) for t in texts)
    detectors = {"ours": our_detector(), "presidio default": presidio_default()}
    for detect in detectors.values():
        for text in texts[:5]:
            detect(text)
    rates = {}
    print(f"{len(texts)} notes, {chars / len(texts):.0f} characters on average")
    print(f"{'detector':20}{'seconds':>10}{'notes/s':>10}{'ms/note':>10}")
    for name, detect in detectors.items():
        seconds = timed_pass(detect, texts)
        rates[name] = len(texts) / seconds
        print(f"{name:20}{seconds:>10.2f}{rates[name]:>10.1f}{1000 * seconds / len(texts):>10.1f}")
    ratio = rates["ours"] / rates["presidio default"]
    print(f"ratio ours / presidio default: {ratio:.2f}x")
    print(f"  {'PASS' if ratio >= 1.0 else 'FAIL'}  ours >= 1.0x presidio default")


if __name__ == "__main__":
    main()
