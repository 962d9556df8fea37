"""The analyte dictionary (data/analytes.csv): names, LOINC codes, units, panels and printed aliases."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from multimed.findings.labs.csvdata import packaged_rows
from multimed.findings.labs.units import conversions

_SEPARATORS = re.compile(r"[\s,.\-]+")
_PARENTHETICAL = re.compile(r"\([^)]*\)")
# An alias of one or two letters is only itself in the case written: "pt" is a patient, "na" not available.
_SHORT_LETTERS = 2


def alias_key(text: str) -> str:
    """The comparable form of a printed name: no case, no spaces, commas, periods or hyphens, and a zero
    read as the letter O ("C02", "p02": no alias has a zero)."""
    return _SEPARATORS.sub("", text).lower().replace("0", "o")


@dataclass(frozen=True)
class Analyte:
    name: str
    code: str
    unit: str
    panel: str
    aliases: tuple[str, ...]
    related_codes: tuple[str, ...]
    variant_of: str | None
    variant_units: tuple[str, ...]


@dataclass(frozen=True)
class AliasMatch:
    """An analyte name found in a line; `weak` when it was a one- or two-letter abbreviation, `misread` when
    no alias spells it and OCR's confusions do (ocr_names.py): such a name needs its unit to confirm it;
    `unreadable` when nothing spells it and only a printed critical flag made it a result
    (unidentified.py)."""

    analyte: Analyte
    start: int
    end: int
    weak: bool
    misread: bool = False
    unreadable: bool = False


def _is_short(alias: str) -> bool:
    return sum(char.isalpha() for char in alias) <= _SHORT_LETTERS


def _alias_pattern(alias: str) -> str:
    pieces = [re.escape(piece).replace("O", "[O0]") for piece in _SEPARATORS.split(alias) if piece]
    body = r"[\s,.\-]*".join(pieces)
    return body if _is_short(alias) else f"(?i:{body})"


@dataclass(frozen=True, eq=False)
class AnalyteDictionary:
    """Every analyte, findable by canonical name, LOINC code or any printed alias."""

    analytes: tuple[Analyte, ...]
    by_key: dict[str, Analyte]
    by_code: dict[str, Analyte]
    short_keys: frozenset[str]
    pattern: re.Pattern[str]
    first_letters: frozenset[
        str
    ]  # lower-cased first characters of all aliases: a cheap test before the pattern

    def get(self, name: str) -> Analyte:
        """The analyte with this canonical name (KeyError when there is none)."""
        found = self.by_key.get(alias_key(name))
        if found is None or found.name != name:
            raise KeyError(name)
        return found

    def match_at(self, text: str, position: int) -> AliasMatch | None:
        """The analyte whose alias starts exactly at `position`, the longest alias winning."""
        if position >= len(text) or text[position].lower() not in self.first_letters:
            return None
        match = self.pattern.match(text, position)
        if match is None:
            return None
        key = alias_key(match.group())
        return AliasMatch(
            analyte=self.by_key[key], start=match.start(), end=match.end(), weak=key in self.short_keys
        )

    def lookup(self, printed: str) -> Analyte | None:
        """The analyte a printed name or canonical name means, ignoring case and separators."""
        return self.by_key.get(alias_key(printed))

    def resolve(self, name: str) -> list[Analyte]:
        """The analytes a limits-file name means: the name, else without parentheses, else each "/" part."""
        whole = self.lookup(name)
        if whole is not None:
            return [whole]
        found: list[Analyte] = []
        for part in name.split("/"):
            analyte = self.lookup(part) or self.lookup(_PARENTHETICAL.sub(" ", part))
            if analyte is None:
                return []
            if analyte not in found:
                found.append(analyte)
        return found

    def variant(self, analyte: Analyte, unit: str | None) -> Analyte:
        """The analyte meant when `analyte` is printed in `unit` (troponin I in ng/L is the hs assay)."""
        if unit is None:
            return analyte
        family = [a for a in self.analytes if a.variant_of == analyte.name]
        for candidate in family:
            if unit in candidate.variant_units:
                return candidate
        if analyte.variant_of is not None and not conversions().can_convert(analyte.name, unit, analyte.unit):
            parent = self.get(analyte.variant_of)
            if conversions().can_convert(parent.name, unit, parent.unit):
                return parent
        return analyte


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@functools.cache
def analyte_dictionary() -> AnalyteDictionary:
    """The packaged analyte dictionary, read once; a duplicate alias is a data error."""
    analytes: list[Analyte] = []
    by_key: dict[str, Analyte] = {}
    by_code: dict[str, Analyte] = {}
    short_keys: set[str] = set()
    patterns: list[str] = []
    for row in packaged_rows("analytes.csv"):
        analyte = Analyte(
            name=row.get("name"),
            code=row.get("loinc"),
            unit=row.get("unit"),
            panel=row.get("panel"),
            aliases=_split(row.get("aliases")),
            related_codes=_split(row.get("related_loinc")),
            variant_of=row.get("variant_of") or None,
            variant_units=_split(row.get("variant_units")),
        )
        analytes.append(analyte)
        for code in (analyte.code, *analyte.related_codes):
            if code in by_code:
                raise ValueError(f"analytes.csv line {row.line}: LOINC {code} is listed twice")
            by_code[code] = analyte
        for alias in (analyte.name, *analyte.aliases):
            if "0" in alias:
                raise ValueError(f"analytes.csv line {row.line}: alias {alias!r} has a zero, read as O")
            key = alias_key(alias)
            if by_key.get(key, analyte) is not analyte:
                raise ValueError(
                    f"analytes.csv line {row.line}: alias {alias!r} already names another analyte"
                )
            by_key[key] = analyte
            if alias in analyte.aliases:
                patterns.append(alias)
                if _is_short(alias):
                    short_keys.add(key)
    alternatives = [_alias_pattern(alias) for alias in sorted(set(patterns), key=len, reverse=True)]
    pattern = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9])")
    return AnalyteDictionary(
        analytes=tuple(analytes),
        by_key=by_key,
        by_code=by_code,
        short_keys=frozenset(short_keys),
        pattern=pattern,
        first_letters=frozenset(alias[0].lower() for alias in patterns) | {"0"},
    )


@functools.cache
def name_words() -> dict[str, str]:
    """Words allowed after an analyte name ("name") and words that mark a dose line ("dose")."""
    return {row.get("word").lower(): row.get("role") for row in packaged_rows("name_words.csv")}
