"""/openapi.json: a well-formed OpenAPI 3.1 document that matches the app's routes and its real answers."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route

from factories.users import PASSWORD, make_org
from multimed.app import create_app
from multimed.auth.models import Role
from multimed.rest.openapi import build_openapi
from multimed.runtime import Runtime

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_openapi(server_url="http://testserver")


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> object:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for one of the document's schemas; its `#/components/...` references resolve."""
    return Draft202012Validator({**schema, "components": document["components"]})


def _response_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    response = document["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = _resolve(document, response["$ref"])
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


async def test_served_without_authentication(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["openapi"] == "3.1.0"
    assert body["servers"] == [{"url": "http://127.0.0.1:8000"}]  # MULTIMED_PUBLIC_URL


def test_structure(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert {"title", "version"} <= set(document["info"])
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from POST /auth/token or the GraphQL `login` mutation.",
    }
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            assert method in METHODS
            operation_ids.append(operation["operationId"])
            assert operation["responses"], f"{method} {path} has no responses"
            for status in operation["responses"]:
                assert re.fullmatch(r"[1-5]\d\d", status)
            for requirement in operation.get("security", document["security"]):
                assert set(requirement) <= set(document["components"]["securitySchemes"])
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), f"{method} {path}"
    assert len(operation_ids) == len(set(operation_ids))
    for ref in _refs(document):
        assert _resolve(document, ref) is not None, ref


def test_component_schemas_are_valid_json_schema(document: dict[str, Any]) -> None:
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_error_response_has_the_error_shape(document: dict[str, Any]) -> None:
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400 and "$ref" in response:
                    target = _resolve(document, response["$ref"])
                    assert target["content"]["application/json"]["schema"] == {  # type: ignore[index]
                        "$ref": "#/components/schemas/Error"
                    }
    error = _validator(document, {"$ref": "#/components/schemas/Error"})
    assert error.is_valid({"error": {"code": "not_found", "message": "no such file"}})
    assert not error.is_valid({"detail": "Not Found"})


def test_every_route_is_documented_and_every_documented_route_exists(
    runtime: Runtime, document: dict[str, Any]
) -> None:
    app = create_app(runtime=runtime)
    served = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path != "/graphql"
        for method in (route.methods or ())
        if method != "HEAD"  # Starlette adds HEAD to every GET
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}

    assert served == documented


async def test_secured_operations_answer_401_in_the_documented_shape(
    client: httpx.AsyncClient, document: dict[str, Any]
) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if operation.get("security", document["security"]) == []:
                continue
            assert "401" in operation["responses"], f"{method} {path}"
            url = re.sub(r"{\w+}", str(uuid.uuid4()), path)

            response = await client.request(method.upper(), url)

            assert response.status_code == 401, f"{method} {path}"
            _validator(document, _response_schema(document, path, method, 401)).validate(response.json())


async def test_real_answers_match_their_schemas(
    client: httpx.AsyncClient, runtime: Runtime, document: dict[str, Any]
) -> None:
    org = await make_org(runtime)
    username = org.users[Role.CLINICIAN].username

    health = await client.get("/health")
    token = await client.post("/auth/token", data={"username": username, "password": PASSWORD})
    refused = await client.post("/auth/token", data={"username": username, "password": "wrong"})
    malformed = await client.post("/summarize", content=b"[", headers=org.headers(Role.CLINICIAN))
    summarize = await client.post(
        "/summarize", json={"patient_token": "unknown"}, headers=org.headers(Role.CLINICIAN)
    )

    for path, method, response in (
        ("/health", "get", health),
        ("/auth/token", "post", token),
        ("/auth/token", "post", refused),
        ("/summarize", "post", malformed),
        ("/summarize", "post", summarize),
    ):
        schema = _response_schema(document, path, method, response.status_code)
        _validator(document, schema).validate(response.json())
    assert (token.status_code, refused.status_code, malformed.status_code) == (200, 401, 400)
    assert summarize.status_code == 404
