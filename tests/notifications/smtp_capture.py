"""Real SMTP servers on loopback for the notification tests (aiosmtpd), plain or STARTTLS with a
self-signed certificate made here, optionally requiring AUTH."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from factories.network import free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> Message:
        return message_from_bytes(self.raw)

    @property
    def body(self) -> str:
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode()


@dataclass
class Mailbox:
    """What one server received, and the credentials it accepts (None = no AUTH offered)."""

    credentials: tuple[str, str] | None = None
    messages: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        login = session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content), login)
        )
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if self.credentials is None or not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (data.login.decode(), data.password.decode()) == self.credentials
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok, auth_data=data.login if ok else None)


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller


def start_server(
    *, credentials: tuple[str, str] | None = None, cert: tuple[Path, Path] | None = None
) -> SmtpServer:
    """A running server on a free loopback port; with `cert`, STARTTLS is offered and required."""
    mailbox = Mailbox(credentials=credentials)
    kwargs: dict[str, Any] = {}
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs.update(tls_context=context, require_starttls=True)
    if credentials is not None:
        kwargs.update(authenticator=mailbox.authenticate)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return SmtpServer(port, mailbox, controller)
