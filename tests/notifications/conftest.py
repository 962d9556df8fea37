"""Real SMTP servers on loopback, and a scene per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from notification_scene import Scene, make_scene
from smtp_capture import SmtpServer, start_server

from factories.network import self_signed
from factories.users import Org, make_org
from multimed.runtime import Runtime


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def plain_smtp() -> Iterator[SmtpServer]:
    server = start_server()
    yield server
    server.controller.stop()


@pytest.fixture
def tls_smtp(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    server = start_server(credentials=("relay-user", "relay pass phrase"), cert=certificate)
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
async def shared_org(runtime: Runtime) -> Org:
    """One organization per module: making users hashes passwords, seconds on a loaded machine."""
    return await make_org(runtime)


@pytest.fixture
async def scene(runtime: Runtime, shared_org: Org) -> Scene:
    """The module's organization, for tests that do not configure it."""
    return await make_scene(runtime, org=shared_org)


@pytest.fixture
async def own_scene(runtime: Runtime) -> Scene:
    """A new organization, for tests that configure its SMTP server."""
    return await make_scene(runtime)
