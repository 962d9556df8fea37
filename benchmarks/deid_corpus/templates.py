"""The hand-written note templates, read from templates.txt (text, so long clinical lines stay as written).

TUNING templates are the ones the recognizers were tuned on; HOLDOUT templates are used only for the held-out
set, so a rule fitted to a template's wording shows up as a held-out miss.
"""

from __future__ import annotations

from pathlib import Path

_FILE = Path(__file__).resolve().parent / "templates.txt"


def _load() -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {"tuning": [], "holdout": []}
    lines = [line for line in _FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("# ")]
    blocks = "\n".join(lines).split("=== ")[1:]
    for block in blocks:
        header, _, body = block.partition("\n")
        note_type, kind = header.split()
        sets[kind].append((note_type, body.rstrip("\n") + "\n"))
    return sets


_SETS = _load()
TUNING: list[tuple[str, str]] = _SETS["tuning"]
HOLDOUT: list[tuple[str, str]] = _SETS["holdout"]
