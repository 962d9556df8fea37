"""Red-flag condition rules read from data/red-flags.json and turned into medspaCy TargetRules."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from multimed.findings.draft import Severity

RULES_FILE = "red-flags.json"

# TargetMatcher labels: what a matched span is for.
RED_FLAG = "RED_FLAG"
COMPANION = "COMPANION"  # needed by a rule ("fever" for neck stiffness), never reported alone
SHADOW = "SHADOW"  # a longer harmless phrase ("heat stroke") that hides the red-flag word inside it


@dataclass(frozen=True)
class Outcome:
    """What a rule reports: name, SNOMED CT code (None when unknown), severity when current and affirmed."""

    name: str
    code: str | None
    severity: Severity


@dataclass(frozen=True)
class RedFlagRule:
    outcome: Outcome
    phrases: tuple[str, ...]
    regexes: tuple[str, ...]
    token_patterns: tuple[tuple[dict[str, Any], ...], ...]
    # A companion that must be affirmed in the same sentence; without it the rule reports `otherwise`.
    requires: str | None = None
    otherwise: Outcome | None = None


@dataclass(frozen=True)
class RuleBook:
    red_flags: tuple[RedFlagRule, ...]
    companions: dict[str, tuple[str, ...]]
    shadows: tuple[str, ...]


def _outcome(spec: dict[str, Any]) -> Outcome:
    return Outcome(name=spec["name"], code=spec.get("snomed") or None, severity=Severity(spec["severity"]))


def parse_rules(spec: dict[str, Any]) -> RuleBook:
    """The rule book from the parsed JSON; raises ValueError on a rule that could never match or report."""
    companions = {c["name"]: tuple(c["phrases"]) for c in spec.get("companions", [])}
    rules: list[RedFlagRule] = []
    for item in spec["red_flags"]:
        requires = item.get("requires")
        rule = RedFlagRule(
            outcome=_outcome(item),
            phrases=tuple(item.get("phrases", [])),
            regexes=tuple(item.get("regex", [])),
            token_patterns=tuple(tuple(pattern) for pattern in item.get("tokens", [])),
            requires=requires["companion"] if requires else None,
            otherwise=_outcome(requires["otherwise"]) if requires else None,
        )
        if not (rule.phrases or rule.regexes or rule.token_patterns):
            raise ValueError(f"{RULES_FILE}: rule {rule.outcome.name!r} has no pattern")
        if rule.requires is not None and rule.requires not in companions:
            raise ValueError(f"{RULES_FILE}: rule {rule.outcome.name!r} requires unknown {rule.requires!r}")
        rules.append(rule)
    return RuleBook(tuple(rules), companions, tuple(spec.get("shadows", {}).get("phrases", [])))


@functools.cache
def rule_book() -> RuleBook:
    """The packaged rules, read once per process."""
    text = resources.files(__package__).joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(json.loads(text))


def red_flag_names() -> list[str]:
    """Every finding name the rules can report, for callers and tests that enumerate them."""
    names: dict[str, None] = {}
    for rule in rule_book().red_flags:
        names[rule.outcome.name] = None
        if rule.otherwise is not None:
            names[rule.otherwise.name] = None
    return list(names)
