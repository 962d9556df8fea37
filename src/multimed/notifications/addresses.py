"""Email addresses: the one check every address we send from or to passes."""

from __future__ import annotations

import re

from multimed.notifications.errors import InvalidEmailAddress

# Deliberately narrow: no display names, quotes, commas or line breaks, so no address can inject a header
# or add a recipient.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_LENGTH = 254


def checked_address(value: str, field: str = "email") -> str:
    """The address, trimmed, or InvalidEmailAddress."""
    address = value.strip()
    if len(address) > MAX_LENGTH or not _ADDRESS.match(address):
        raise InvalidEmailAddress(field)
    return address
