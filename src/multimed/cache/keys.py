"""Cache keys: organization, generation, role and query in clear; the arguments only as a keyed hash."""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from multimed.core.crypto import keyed_hash

KEY_PURPOSE = "multimed/query-cache/v1"


def _plain(value: object) -> str:
    """JSON for the argument types GraphQL hands us; aware datetimes in UTC, so one instant is one key."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else f"naive:{value.isoformat()}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot key a {type(value).__name__}")


def normalized_arguments(arguments: Mapping[str, object]) -> str:
    """Canonical JSON of the arguments: sorted keys, no whitespace, None kept (None is not absent)."""
    return json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=_plain)


def page_key_parts(
    *,
    secret: bytes,
    organization_id: uuid.UUID,
    role: str,
    query: str,
    arguments: Mapping[str, object],
) -> tuple[str, str]:
    """The key around its generation: `page:<organization>:` + generation + `:<role>:<query>:<HMAC>`.

    The arguments hold the patient token. It is itself a keyed pseudonym, but a key listing in Redis should
    not even link entries to patients, so the arguments are hashed under a key derived from the master key.
    """
    digest = keyed_hash(secret, query, normalized_arguments(arguments))
    return f"page:{organization_id}:", f":{role}:{query}:{digest}"
