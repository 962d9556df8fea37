"""Expected failures of notification settings; messages name the field, never its value."""

from __future__ import annotations

from multimed.core.errors import DomainError


class InvalidSmtpSettings(DomainError):
    code = "invalid_smtp_settings"
    status = 400


class InvalidEmailAddress(DomainError):
    code = "invalid_email_address"
    status = 400

    def __init__(self, field: str = "email") -> None:
        super().__init__(f"{field} is not a valid email address")
