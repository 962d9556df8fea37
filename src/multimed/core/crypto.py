"""Keyed hashing and small sealed values, built on subkeys of the master keyring."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from multimed.core.keys import MasterKeyring

NONCE_BYTES = 12


def keyed_hash(key: bytes, *parts: str) -> str:
    """HMAC-SHA256 over NUL-separated parts, hex; not reversible by enumeration without the key."""
    return hmac.new(key, "\x00".join(parts).encode(), hashlib.sha256).hexdigest()


class SealError(Exception):
    """A sealed value could not be opened (wrong key, altered, or wrong context)."""


class Sealer:
    """Encrypts short secrets (e.g. original filenames) bound to a context such as a row id."""

    def __init__(self, keyring: MasterKeyring, purpose: str) -> None:
        self._keyring = keyring
        self._purpose = purpose

    def seal(self, plaintext: str, context: str) -> bytes:
        """kid-length byte, kid, nonce, ciphertext."""
        kid = self._keyring.active_id.encode()
        nonce = os.urandom(NONCE_BYTES)
        body = AESGCM(self._keyring.derive(self._purpose)).encrypt(
            nonce, plaintext.encode(), context.encode()
        )
        return bytes([len(kid)]) + kid + nonce + body

    def open(self, sealed: bytes, context: str) -> str:
        """The plaintext, or SealError."""
        try:
            size = sealed[0]
            kid = sealed[1 : 1 + size].decode()
            nonce = sealed[1 + size : 1 + size + NONCE_BYTES]
            key = self._keyring.derive(self._purpose, kid)
            return AESGCM(key).decrypt(nonce, sealed[1 + size + NONCE_BYTES :], context.encode()).decode()
        except (IndexError, KeyError, UnicodeDecodeError, InvalidTag) as exc:
            raise SealError("sealed value cannot be opened") from exc
