"""Where the committed speech fixtures are and what was said in each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


def reference_of(expected: dict[str, Any], name: str) -> str:
    """The written reference of everything said in fixture file `name` (from expected.json)."""
    return " ".join(expected["dictations"][d]["reference"] for d in expected["files"][name]["dictations"])
