"""Versioned de-identification policies, loaded from data files: which operator each PHI type gets."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from multimed.ml.phi.base import PhiType


class PolicyName(enum.StrEnum):
    SAFE_HARBOR = "SAFE_HARBOR"
    LIMITED = "LIMITED"


class Operator(enum.StrEnum):
    SURROGATE = "surrogate"  # [TYPE_n], stable per patient
    YEAR = "year"  # a date reduced to its year
    SHIFT = "shift"  # a date moved by the patient's offset
    AGE_90_PLUS = "age_90_plus"  # "90+"
    ZIP3 = "zip3"  # first three digits, or 000 for sparsely populated areas
    KEEP = "keep"


@dataclass(frozen=True)
class Policy:
    name: PolicyName
    version: str
    operators: dict[PhiType, Operator]
    restricted_zip3: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.name.value}.v{self.version}"

    def operator(self, phi_type: PhiType) -> Operator:
        """The operator for a type; a type the policy forgot is replaced by a surrogate (fail closed)."""
        return self.operators.get(phi_type, Operator.SURROGATE)


@cache
def load_policy(name: PolicyName, version: str = "1") -> Policy:
    """A policy from src/multimed/deid/data/policies/<NAME>.v<version>.json."""
    path = resources.files("multimed.deid").joinpath("data", "policies", f"{name.value}.v{version}.json")
    raw = json.loads(path.read_text())
    operators = {PhiType(k): Operator(v) for k, v in raw["operators"].items()}
    return Policy(PolicyName(raw["name"]), str(raw["version"]), operators, frozenset(raw["restricted_zip3"]))
