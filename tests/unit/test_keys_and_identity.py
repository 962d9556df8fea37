"""Secrets handling and the patient pseudonym."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest

from multimed.core.errors import ConfigurationError
from multimed.core.keys import encode_key, key_id, load_secrets
from multimed.core.settings import Settings
from multimed.patients.errors import InvalidMrn
from multimed.patients.service import normalize_mrn, patient_token


def test_dev_generates_keys_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(env="dev", data_dir=tmp_path)

    first, second = load_secrets(settings), load_secrets(settings)

    assert first == second
    for name in ("master.key", "jwt.key"):
        assert stat.S_IMODE((tmp_path / "keys" / name).stat().st_mode) == 0o600


@pytest.mark.parametrize("env", ["prod", "test"])
def test_outside_dev_keys_are_required(tmp_path: Path, env: str) -> None:
    with pytest.raises(ConfigurationError, match="MULTIMED_MASTER_KEY and MULTIMED_JWT_SECRET are required"):
        load_secrets(Settings(env=env, data_dir=tmp_path))  # type: ignore[arg-type]
    assert not (tmp_path / "keys").exists()


def test_short_keys_are_refused(tmp_path: Path) -> None:
    settings = Settings(
        env="prod", data_dir=tmp_path, master_key=encode_key(b"short"), jwt_secret=encode_key(b"x" * 32)
    )
    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        load_secrets(settings)


def test_retired_keys_stay_available(tmp_path: Path) -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    settings = Settings(
        env="prod",
        data_dir=tmp_path,
        master_key=encode_key(new),
        retired_master_keys=encode_key(old),
        jwt_secret=encode_key(secrets.token_bytes(32)),
    )

    ring = load_secrets(settings).master

    assert ring.active_id == key_id(new)
    assert set(ring.keys) == {key_id(new), key_id(old)}


@pytest.mark.parametrize(
    ("raw", "normalized"), [("00123-45", "0012345"), (" ab 12.3/4 ", "AB1234"), ("x", "X")]
)
def test_mrn_normalization(raw: str, normalized: str) -> None:
    assert normalize_mrn(raw) == normalized


@pytest.mark.parametrize("raw", ["", "   ", "12#4", "Ünï", "1" * 65])
def test_bad_mrns_are_refused_without_echo(raw: str) -> None:
    with pytest.raises(InvalidMrn) as caught:
        normalize_mrn(raw)
    assert raw.strip() not in caught.value.message or not raw.strip()


def test_token_is_keyed_and_stable(tmp_path: Path) -> None:
    ring = load_secrets(Settings(env="dev", data_dir=tmp_path)).master
    other = load_secrets(Settings(env="dev", data_dir=tmp_path / "other")).master

    assert patient_token("000-123", ring) == patient_token("000123", ring)
    assert patient_token("000123", ring) != patient_token("000123", other)
    assert len(patient_token("000123", ring)) == 64
