"""Unexpected errors are masked for clients and logged without their message."""

from __future__ import annotations

import logging

import httpx
import pytest

from api.graphql_client import gql
from factories.files import pdf_bytes
from factories.users import make_org
from multimed.auth.models import Role
from multimed.observability.logging import JsonFormatter
from multimed.runtime import Runtime

SECRET = "Patient John Smith MRN 998877"


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError(SECRET)


async def test_graphql_masks_unexpected_errors(
    client: httpx.AsyncClient,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    org = await make_org(runtime)
    monkeypatch.setattr("multimed.auth.service.get_user_or_raise", _boom)

    with caplog.at_level(logging.ERROR):
        body = await gql(client, "{ me { username } }", headers=org.headers(Role.ADMIN))

    assert body["errors"][0]["message"] == "Unexpected error."
    assert SECRET not in str(body)
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "RuntimeError" in logged
    assert SECRET not in logged


async def test_rest_masks_unexpected_errors(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from multimed.app import create_app

    org = await make_org(runtime)
    monkeypatch.setattr("multimed.files.service.record", _boom)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime), raise_app_exceptions=False)

    with caplog.at_level(logging.ERROR):
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post(
                "/upload",
                headers=org.headers(Role.CLINICIAN),
                data={"patient_mrn": "MASK-1"},
                files={"file": ("a.pdf", pdf_bytes())},
            )

    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "unexpected error; it has been logged with the request id",
        }
    }
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert SECRET not in logged
