"""PS3.15 Annex E Table E.1-1 as data: which action applies to a tag under a set of options."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from pydicom.datadict import tag_for_keyword

TABLE_FILE = "dicom-ps3.15-confidentiality-profile.json"
SUPPLEMENT_FILE = "supplementary-rules.json"
TABLE_SOURCE = "PS3.15 E.1-1 2025-01-28"  # innolitics/dicom-standard snapshot; see data/README.md

# The table's option columns, keyed by the DicomOptions field that switches each one on.
OPTION_COLUMNS: Mapping[str, str] = {
    "retain_long_full_dates": "rtnLongFullDatesOpt",
    "retain_long_modified_dates": "rtnLongModifDatesOpt",
    "clean_descriptors": "cleanDescOpt",
    "retain_uids": "rtnUIDsOpt",
    "retain_device_identity": "rtnDevIdOpt",
    "retain_patient_characteristics": "rtnPatCharsOpt",
    "retain_institution_identity": "rtnInstIdOpt",
    "retain_safe_private": "rtnSafePrivOpt",
    "clean_graphics": "cleanGraphOpt",
    "clean_structured_content": "cleanStructContOpt",
}
_DATE_COLUMNS = frozenset({"rtnLongFullDatesOpt", "rtnLongModifDatesOpt"})

# Compound codes (X/Z, X/D, X/Z/D, X/Z/U*) mean "the strictest the IOD allows". We have no IOD type
# information, so removal wins wherever the compound permits it -- except for these attributes, which
# are Type 1 or 2 in nearly every composite IOD and which downstream readers need to keep a file valid
# and linkable (study/series grouping, the pseudonymous patient). For them X is never chosen: they stay
# present, emptied (Z) or dummied (D), and the UIDs are replaced (U) rather than dropped.
KEEP_PRESENT_KEYWORDS = (
    "PatientName",
    "PatientID",
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "SOPClassUID",
    "StudyDate",
    "StudyTime",
    "Modality",
    "AccessionNumber",
    "ReferringPhysicianName",
    "StudyID",
)
KEEP_PRESENT_TAGS = frozenset(tag_for_keyword(k) or 0 for k in KEEP_PRESENT_KEYWORDS)


@dataclass(frozen=True)
class DicomOptions:
    """The PS3.15 Annex E options a caller asks for; all off is the Basic Profile."""

    retain_long_full_dates: bool = False
    retain_long_modified_dates: bool = False
    clean_descriptors: bool = False
    retain_uids: bool = False
    retain_device_identity: bool = False
    retain_patient_characteristics: bool = False
    retain_institution_identity: bool = False
    retain_safe_private: bool = False
    clean_graphics: bool = False
    clean_structured_content: bool = False


def effective_options(options: DicomOptions, *, date_shift: int | None, can_clean_text: bool) -> DicomOptions:
    """The options that can actually be honoured for this patient and cleaner."""
    changes: dict[str, bool] = {}
    if date_shift is None:
        # Safe Harbor keeps no dates: both longitudinal options fall back to the Basic Profile.
        changes.update(retain_long_full_dates=False, retain_long_modified_dates=False)
    elif options.retain_long_modified_dates:
        changes["retain_long_full_dates"] = False
    if not can_clean_text:
        # Without a text cleaner C cannot be done, so these options fall back to the basic action.
        changes.update(clean_descriptors=False, clean_graphics=False, clean_structured_content=False)
    return dataclasses.replace(options, **changes)


class Resolution(NamedTuple):
    """The action for one tag: `action` under the options, `basic` the fallback when C cannot be done."""

    action: str  # one of X Z D U K C
    basic: str  # the Basic Profile action with compounds resolved (never C)
    temporal: bool  # the row carries the longitudinal-date options: dates govern it, nothing else


@dataclass(frozen=True)
class Row:
    """One table row: the basic action and the per-option overrides."""

    tag: str
    name: str
    basic: str
    overrides: Mapping[str, str]

    @property
    def temporal(self) -> bool:
        """Whether the date options apply to this row."""
        return "rtnLongModifDatesOpt" in self.overrides


def resolve_compound(code: str, *, keep_present: bool) -> str:
    """Reduce X/Z/D-style codes to one action: X when allowed, else Z/D -> D, never X for keep-present."""
    parts = [p.rstrip("*") for p in code.split("/")]
    if keep_present:
        parts = [p for p in parts if p != "X"] or ["Z"]
    if len(parts) == 1:
        return parts[0]
    if "X" in parts:
        return "X"
    if "U" in parts:
        return "U"
    # Z/D: a dummy is as free of identity as an empty value and stays valid if the IOD makes it Type 1.
    return "D" if "D" in parts else parts[0]


def resolve_row(row: Row, tag: int, options: DicomOptions) -> Resolution:
    """The effective action for one row under the options."""
    keep_present = tag in KEEP_PRESENT_TAGS
    basic = resolve_compound(row.basic, keep_present=keep_present)
    if row.temporal:
        # Only the date options decide temporal rows, so e.g. Retain Device Identity never keeps a real
        # calibration date; when both date options are on, shifting (the stricter) wins.
        if options.retain_long_modified_dates:
            return Resolution("C", basic, True)
        if options.retain_long_full_dates:
            return Resolution("K", basic, True)
        return Resolution(basic, basic, True)
    chosen = [
        row.overrides[col]
        for name, col in OPTION_COLUMNS.items()
        if col not in _DATE_COLUMNS and col in row.overrides and getattr(options, name)
    ]
    # The caller opted in to retain: keeping beats cleaning when two options disagree.
    if "K" in chosen:
        return Resolution("K", basic, False)
    if "C" in chosen:
        return Resolution("C", basic, False)
    return Resolution(basic, basic, False)


_EXACT = re.compile(r"\(([0-9A-F]{4}),([0-9A-F]{4})\)")
_MASK = re.compile(r"\(([0-9A-FX]{4}),([0-9A-FX]{4})\)")


def _mask_of(tag: str) -> tuple[int, int] | None:
    """(mask, value) for a table tag with X wildcards, e.g. (60XX,4000) -> (0xFF00FFFF, 0x60004000)."""
    match = _MASK.fullmatch(tag.upper())
    if match is None:
        return None
    digits = match[1] + match[2]
    mask = int("".join("0" if c == "X" else "F" for c in digits), 16)
    value = int(digits.replace("X", "0"), 16)
    return mask, value


class Rules:
    """The table resolved under one set of options: exact tags first, then the masks."""

    def __init__(self, exact: dict[int, Resolution], masks: list[tuple[int, int, Resolution]]) -> None:
        self._exact = exact
        self._masks = masks

    def get(self, tag: int) -> Resolution | None:
        """The resolution for a tag, None when the table does not list it."""
        found = self._exact.get(tag)
        if found is not None:
            return found
        for mask, value, resolution in self._masks:
            if tag & mask == value:
                return resolution
        return None


class Profile:
    """The loaded table (plus our supplementary rows) and the private-attributes row."""

    def __init__(self, rows: Iterable[Row], *, version: str) -> None:
        self.version = version
        self._exact: dict[int, Row] = {}
        self._masks: list[tuple[int, int, Row]] = []
        self.private_row: Row | None = None
        for row in rows:
            exact = _EXACT.fullmatch(row.tag.upper())
            if exact is not None:
                self._exact[int(exact[1] + exact[2], 16)] = row
            elif (mask := _mask_of(row.tag)) is not None:
                self._masks.append((mask[0], mask[1], row))
            elif "ODD" in row.tag.upper():
                self.private_row = row
            else:
                raise ValueError(f"unrecognised tag pattern in profile table: {row.tag!r}")
        self._rules: dict[DicomOptions, Rules] = {}

    def __len__(self) -> int:
        return len(self._exact) + len(self._masks) + (self.private_row is not None)

    def rules(self, options: DicomOptions) -> Rules:
        """The table resolved for these options (computed once per options value)."""
        cached = self._rules.get(options)
        if cached is None:
            exact = {tag: resolve_row(row, tag, options) for tag, row in self._exact.items()}
            # Masks resolve with tag 0: no keep-present attribute sits in a masked group.
            masks = [(m, v, resolve_row(row, 0, options)) for m, v, row in self._masks]
            cached = self._rules[options] = Rules(exact, masks)
        return cached

    def resolve(self, tag: int, options: DicomOptions) -> Resolution | None:
        """The effective action for a tag, None when the table does not list it."""
        return self.rules(options).get(tag)

    def listed_tags(self) -> frozenset[int]:
        """Every exact tag the table (and supplement) lists."""
        return frozenset(self._exact)

    def row(self, tag: int) -> Row | None:
        """The table row for a tag (exact, then masks)."""
        if tag in self._exact:
            return self._exact[tag]
        return next((row for m, v, row in self._masks if tag & m == v), None)


def _row(raw: Mapping[str, Any]) -> Row:
    overrides = {col: str(raw[col]) for col in OPTION_COLUMNS.values() if col in raw}
    return Row(
        tag=str(raw["tag"]), name=str(raw["name"]), basic=str(raw["basicProfile"]), overrides=overrides
    )


@lru_cache(maxsize=1)
def load_profile() -> Profile:
    """The packaged table plus supplementary rows; read once per process."""
    table_bytes = resources.files("multimed.deid").joinpath("data", TABLE_FILE).read_bytes()
    supplement_bytes = resources.files("multimed.deid.dicom").joinpath(SUPPLEMENT_FILE).read_bytes()
    table = [_row(r) for r in json.loads(table_bytes)]
    supplement = [_row(r) for r in json.loads(supplement_bytes)["rows"]]
    listed = {r.tag for r in table}
    clash = [r.tag for r in supplement if r.tag in listed]
    if clash:
        raise ValueError(f"supplementary rules repeat table rows: {clash}")
    digest = hashlib.sha256(table_bytes + supplement_bytes).hexdigest()[:12]
    return Profile([*table, *supplement], version=f"{TABLE_SOURCE} sha256:{digest}")
