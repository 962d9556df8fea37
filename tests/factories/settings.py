"""Settings of a test runtime: fresh keys, a known admin password, no jobs run by the shared runtime.

Imported by tests/conftest.py and by tests that build a runtime of their own (a module named `conftest`
is ambiguous: every test folder with fixtures has one).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from multimed.core.keys import encode_key
from multimed.core.settings import Settings

if TYPE_CHECKING:
    from multimed.runtime import Runtime

ADMIN_PASSWORD = "admin-password-for-tests"


def make_settings(data_dir: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "data_dir": data_dir,
        "database_url": database_url,
        "master_key": encode_key(secrets.token_bytes(32)),
        "jwt_secret": encode_key(secrets.token_bytes(32)),
        "admin_password": ADMIN_PASSWORD,
        "log_json": True,
        "login_attempts_per_minute": 1000,
        # The shared runtime runs no jobs (an API-only process): uploads in unrelated tests stay QUEUED.
        # Tests of the runner build their own queue.
        "job_concurrency": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def server_env(runtime: Runtime, data_dir: Path) -> dict[str, str]:
    """The environment of a `multimed serve` subprocess sharing the runtime's database and keys."""
    s = runtime.settings
    assert s.master_key is not None
    assert s.jwt_secret is not None
    return {
        **os.environ,
        "MULTIMED_ENV": "test",
        "MULTIMED_DATABASE_URL": runtime.database_url,
        "MULTIMED_DATA_DIR": str(data_dir),
        "MULTIMED_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "MULTIMED_MASTER_KEY": s.master_key.get_secret_value(),
        "MULTIMED_JWT_SECRET": s.jwt_secret.get_secret_value(),
    }
