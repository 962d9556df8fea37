"""Regular expressions for vital signs, built from the wording in data/vital-patterns.json.

Each vital is one expression: label, separators and connector words ("BP was", "pulse of"), the number, an
optional unit and, for oxygen saturation, optional air/oxygen wording. Whitespace inside a match is spaces and
tabs only, so a match never runs into the next line of a note.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from multimed.findings.clinical.ocr_numbers import NUMBER

PATTERNS_FILE = "vital-patterns.json"

_SEPARATOR = r"[ \t]*(?:[:=|~\-][ \t]*){0,2}"
_BP_SLASH = r"[ \t]*(?:/|\\|(?i:over))[ \t]*"
# A date such as 12/05/2021 after a BP label is not a pressure.
_NOT_A_DATE = r"(?![ \t]*/[ \t]*[0-9])"


@dataclass(frozen=True)
class VitalPattern:
    """One compiled expression and what it needs besides a match to count."""

    key: str
    regex: re.Pattern[str]
    units: dict[str, re.Pattern[str]]
    weak_label: re.Pattern[str] | None
    unit_required: bool
    row_label: re.Pattern[str] | None = None


@dataclass(frozen=True)
class VitalPatterns:
    patterns: tuple[VitalPattern, ...]
    oxygen: dict[str, re.Pattern[str]]


def _alternatives(items: list[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


def _unit_group(units: dict[str, list[str]], required: bool) -> str:
    every = [regex for regexes in units.values() for regex in regexes]
    group = rf"[ \t]*(?P<unit>(?i:{_alternatives(every)}))(?![A-Za-z])"
    return group if required else f"(?:{group})?"


def _label_group(labels: list[str]) -> str:
    return rf"(?P<label>(?<![A-Za-z0-9])(?i:{_alternatives(labels)})(?![A-Za-z]))"


def _build(key: str, spec: dict[str, Any], connectors: str, oxygen: str) -> list[VitalPattern]:
    labels: list[str] = spec["labels"] + spec.get("weak_labels", []) + spec.get("row_labels", [])
    units: dict[str, list[str]] = spec["units"]
    required = bool(spec.get("unit_required", False))
    unit_matchers = {
        unit: re.compile(_alternatives(regexes), re.IGNORECASE) for unit, regexes in units.items()
    }
    weak = spec.get("weak_labels")
    weak_label = re.compile(_alternatives(weak), re.IGNORECASE) if weak else None
    rows = spec.get("row_labels")
    row_label = re.compile(_alternatives(rows), re.IGNORECASE) if rows else None
    lead = _label_group(labels) + _SEPARATOR + connectors
    if key == "blood_pressure":
        reading = rf"(?P<systolic>{NUMBER}){_BP_SLASH}(?P<diastolic>{NUMBER}){_NOT_A_DATE}"
        labelled = lead + reading + _unit_group(units, required)
        # A pressure printed with its unit needs no label ("160/95 mmHg" in a vitals row).
        bare = r"(?<![0-9/.])" + reading + _unit_group(units, True)
        return [
            VitalPattern(key, re.compile(labelled), unit_matchers, weak_label, required),
            VitalPattern(key, re.compile(bare), unit_matchers, weak_label, True),
        ]
    reading = rf"(?P<value>{NUMBER})(?:'?s(?![A-Za-z]))?"
    tail = oxygen if key in ("spo2", "sao2") else ""
    regex = re.compile(lead + reading + _unit_group(units, required) + tail)
    return [VitalPattern(key, regex, unit_matchers, weak_label, required, row_label)]


def compile_patterns(spec: dict[str, Any]) -> VitalPatterns:
    """All vitals' expressions from the parsed JSON document."""
    connectors = rf"(?:(?i:{_alternatives(spec['connectors'])})[ \t]+){{0,4}}"
    oxygen_spec: dict[str, Any] = dict(spec["oxygen"])
    lead = oxygen_spec.pop("lead")
    kinds: dict[str, list[str]] = oxygen_spec
    every = [regex for regexes in kinds.values() for regex in regexes]
    oxygen = rf"(?:{lead}(?P<oxygen>(?i:{_alternatives(every)}))(?![A-Za-z]))?"
    oxygen_kinds = {
        kind: re.compile(_alternatives(regexes), re.IGNORECASE) for kind, regexes in kinds.items()
    }
    patterns: list[VitalPattern] = []
    for key, vital in spec["vitals"].items():
        patterns.extend(_build(key, vital, connectors, oxygen))
    return VitalPatterns(tuple(patterns), oxygen_kinds)


@functools.cache
def vital_patterns() -> VitalPatterns:
    """The packaged wording, compiled once per process."""
    text = resources.files(__package__).joinpath("data", PATTERNS_FILE).read_text(encoding="utf-8")
    return compile_patterns(json.loads(text))
