"""Master and JWT keys: loaded from settings, generated once into data_dir/keys in dev only."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from multimed.core.errors import ConfigurationError
from multimed.core.settings import Settings

KEY_BYTES = 32


def _decode(value: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value.strip() + "=" * (-len(value.strip()) % 4))
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{what} is not valid base64") from exc
    if len(raw) < KEY_BYTES:
        raise ConfigurationError(f"{what} must hold at least {KEY_BYTES} bytes")
    return raw


def encode_key(raw: bytes) -> str:
    """Urlsafe base64 text of a key, as the settings expect it."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_id(raw: bytes) -> str:
    """A short, stable, non-secret name for a key (kept next to what it wrapped or signed)."""
    return hashlib.sha256(b"multimed-key-id\x00" + raw).hexdigest()[:16]


@dataclass(frozen=True)
class MasterKeyring:
    """The active master key plus retired ones that may still unwrap old data keys."""

    active_id: str
    keys: dict[str, bytes]

    def derive(self, purpose: str, kid: str | None = None) -> bytes:
        """A 32-byte subkey for one purpose (HKDF-SHA256), from the active key or a named one."""
        master = self.keys[kid or self.active_id]
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(master)


@dataclass(frozen=True)
class SigningKey:
    """The HMAC key that signs access tokens, named by its key id."""

    kid: str
    secret: bytes


@dataclass(frozen=True)
class Secrets:
    master: MasterKeyring
    jwt: SigningKey


def _read_or_create(path: Path, create: bool) -> str | None:
    if path.exists():
        return path.read_text().strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = encode_key(secrets.token_bytes(KEY_BYTES))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def load_secrets(settings: Settings) -> Secrets:
    """Secrets from settings; in dev, missing ones are generated once into data_dir/keys (mode 0600)."""
    master_text = settings.master_key.get_secret_value() if settings.master_key else None
    jwt_text = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    if master_text is None:
        master_text = _read_or_create(settings.keys_dir / "master.key", create=settings.is_dev)
    if jwt_text is None:
        jwt_text = _read_or_create(settings.keys_dir / "jwt.key", create=settings.is_dev)
    if master_text is None or jwt_text is None:
        raise ConfigurationError(
            "MULTIMED_MASTER_KEY and MULTIMED_JWT_SECRET are required outside dev "
            "(generate them with `multimed keys generate`)"
        )
    master = _decode(master_text, "master key")
    keys = {key_id(master): master}
    if settings.retired_master_keys:
        for item in settings.retired_master_keys.get_secret_value().split(","):
            if item.strip():
                old = _decode(item, "retired master key")
                keys[key_id(old)] = old
    jwt_raw = _decode(jwt_text, "JWT secret")
    return Secrets(
        master=MasterKeyring(active_id=key_id(master), keys=keys), jwt=SigningKey(key_id(jwt_raw), jwt_raw)
    )
