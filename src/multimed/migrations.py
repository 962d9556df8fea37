"""Alembic migrations applied from code (`multimed db upgrade` and the embedded start)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from alembic import command
from alembic.config import Config


def migrations_dir() -> Path:
    """The alembic/ folder: MULTIMED_MIGRATIONS_DIR, else the one beside the source tree."""
    configured = os.environ.get("MULTIMED_MIGRATIONS_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "alembic"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our scripts and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["url"] = url
    return cfg


def upgrade_sync(url: str, revision: str = "head") -> None:
    """Apply migrations up to a revision (runs its own event loop)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations from async code: Alembic's env runs its own loop, so it gets a thread."""
    await asyncio.to_thread(upgrade_sync, url, revision)
