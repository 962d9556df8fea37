"""The OpenAPI 3.1 document of the REST shim, built from Python structures (GraphQL has its own SDL).

Shapes are written once here, next to one helper per response kind, so the document cannot drift into
hand-edited JSON; tests check it against the app's routes in both directions and validate real answers
against the schemas it declares.
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

from multimed.summaries.coverage import GapReason

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Schema], required: list[str] | None = None, **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": required or list(properties), **extra}


def _nullable(type_: str, **extra: Any) -> Schema:
    return {"type": [type_, "null"], **extra}


STRING: Schema = {"type": "string"}
UUID: Schema = {"type": "string", "format": "uuid"}

ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "Malformed request (bad JSON, missing field, malformed id)."),
    "401": ("Unauthorized", "No token, or a bad or expired one (`WWW-Authenticate: Bearer`)."),
    "403": ("Forbidden", "The caller's role may not do this, or the object is in another organization."),
    "404": ("NotFound", "No such object in the caller's organization."),
    "409": ("Conflict", "The object is not in a state that allows this yet (e.g. files still processing)."),
    "413": ("TooLarge", "Over the size limit; nothing was kept."),
    "415": ("UnsupportedMediaType", "The content is not a PDF, DICOM or audio file (sniffed, not named)."),
    "422": ("Unprocessable", "Well-formed but invalid content (e.g. nothing to summarize)."),
    "429": ("RateLimited", "Too many attempts; try again later."),
    "503": ("Unavailable", "A dependency (database, blob store, queue) is down."),
}


def _errors(*statuses: str) -> dict[str, Any]:
    return {status: {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"} for status in statuses}


def _json(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _binary(
    description: str, media_types: list[str], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            media: {"schema": {"type": "string", "contentMediaType": media}} for media in media_types
        },
        **({"headers": headers} if headers else {}),
    }


def _json_body(schema_name: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": _ref(schema_name)}}}


SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
PUBLIC: list[dict[str, list[str]]] = []


def _path_id(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.", "schema": UUID}


SCHEMAS: dict[str, Schema] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "code": {**STRING, "description": "Stable, snake_case; switch on this."},
                    "message": {**STRING, "description": "For people; never holds patient data."},
                }
            )
        },
        description="The one error shape of the REST shim.",
    ),
    "Health": _obj({"status": {"const": "ok"}}),
    "Readiness": _obj(
        {
            "status": {"enum": ["ready", "unavailable"]},
            "checks": {
                "type": "object",
                "description": "database, blob_store, redis (when configured): ok | unavailable; "
                "phi_detector: loaded | not_loaded (models load on first use and do not make the service "
                "unready).",
                "additionalProperties": STRING,
            },
        }
    ),
    "TokenForm": _obj({"username": STRING, "password": {**STRING, "format": "password"}}),
    "Token": _obj(
        {
            "access_token": {**STRING, "description": "A JWT for `Authorization: Bearer`."},
            "token_type": {"const": "bearer"},
            "expires_in": {"type": "integer", "description": "Seconds the access token is valid."},
            "refresh_token": {**STRING, "description": "For the GraphQL `refreshToken` mutation."},
        }
    ),
    "UploadForm": _obj(
        {
            "file": {"type": "string", "contentMediaType": "application/octet-stream"},
            "patient_mrn": {**STRING, "description": "Keyed-hashed on the server, never stored."},
            "logical_name": {**STRING, "description": "Same patient and name = the next version."},
        },
        required=["file", "patient_mrn"],
    ),
    "Upload": _obj(
        {
            "file_id": UUID,
            "patient_token": STRING,
            "kind": {"enum": ["PDF", "DICOM", "AUDIO"]},
            "version": {"type": "integer", "minimum": 1},
            "sha256": {**STRING, "pattern": "^[0-9a-f]{64}$"},
            "size_bytes": {"type": "integer", "minimum": 0},
            "job_id": UUID,
            "display_name": STRING,
        }
    ),
    "SummarizeRequest": _obj(
        {
            "patient_token": STRING,
            "file_ids": {
                "type": "array",
                "items": UUID,
                "description": "Default: the latest version of every file of the patient.",
            },
        },
        required=["patient_token"],
    ),
    "JobAccepted": _obj({"job_id": UUID}),
    "Citation": _obj(
        {
            "file_id": UUID,
            "version": {"type": "integer"},
            "page": _nullable("integer"),
            "start_seconds": _nullable("number"),
            "end_seconds": _nullable("number"),
            "char_start": _nullable("integer"),
            "char_end": _nullable("integer"),
            "quote": {**STRING, "description": "The file's de-identified text at [char_start, char_end)."},
        }
    ),
    "Statement": _obj(
        {
            "text": STRING,
            "severity": {"enum": ["CRITICAL", "ABNORMAL", "NORMAL"]},
            "finding_ids": {"type": "array", "items": STRING},
            "citations": {"type": "array", "items": _ref("Citation")},
        }
    ),
    "Section": _obj({"title": STRING, "statements": {"type": "array", "items": _ref("Statement")}}),
    "UncoveredFile": _obj(
        {
            "name": {**STRING, "description": "The file's neutral display name."},
            "reason": {
                "enum": [reason.value for reason in GapReason],
                "description": "From the file's newest processing job: FAILED, CANCELLED, PROCESSING (queued "
                "or running still) or NOT_ANALYZED (no job says why).",
            },
            "error_code": _nullable("string", description="The failed job's error code."),
            "file_id": {**UUID, "description": "The file version left out."},
        },
        description="A file version a summary leaves out: it was not analyzed, so its findings are missing.",
    ),
    "Summary": _obj(
        {
            "id": UUID,
            "patient_token": STRING,
            "version": {"type": "integer"},
            "created_at": {**STRING, "format": "date-time"},
            "has_critical": {"type": "boolean"},
            "text": STRING,
            "html": {**STRING, "description": "Critical statements in red, abnormal in amber."},
            "summarizer": STRING,
            "sources": {"type": "array", "items": UUID, "description": "The file versions it covers."},
            "uncovered_files": {
                "type": "array",
                "items": _ref("UncoveredFile"),
                "description": "The patient's file versions it leaves out because they were not analyzed "
                "(also named first in `text` and `html`); empty when it covers every file it was asked to.",
            },
            "sections": {"type": "array", "items": _ref("Section")},
        },
        description="De-identified; every statement cites its sources.",
    ),
    "AnonymizeRequest": _obj({"text": STRING}),
    "Entity": _obj(
        {
            "type": STRING,
            "start": {"type": "integer", "description": "Offset in the de-identified text."},
            "end": {"type": "integer"},
            "score": {"type": "number"},
            "original_start": {"type": "integer", "description": "Offset in the submitted text."},
            "original_end": {"type": "integer"},
        }
    ),
    "AnonymizedText": _obj({"text": STRING, "entities": {"type": "array", "items": _ref("Entity")}}),
}

PATHS: dict[str, dict[str, Any]] = {
    "/health": {
        "get": {
            "operationId": "health",
            "summary": "Liveness: 200 while the process lives.",
            "tags": ["operations"],
            "security": PUBLIC,
            "responses": {"200": _json("Alive.", _ref("Health"))},
        }
    },
    "/health/ready": {
        "get": {
            "operationId": "ready",
            "summary": "Readiness: the state of the database, blob store, Redis and models.",
            "tags": ["operations"],
            "security": PUBLIC,
            "responses": {
                "200": _json("Ready.", _ref("Readiness")),
                "503": _json("A dependency is down.", _ref("Readiness")),
            },
        }
    },
    "/metrics": {
        "get": {
            "operationId": "metrics",
            "summary": "Prometheus metrics (no patient data in names or labels).",
            "tags": ["operations"],
            "security": PUBLIC,
            "responses": {
                "200": {
                    "description": "Prometheus text exposition format 0.0.4.",
                    "content": {"text/plain": {"schema": STRING}},
                }
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "tags": ["operations"],
            "security": PUBLIC,
            "responses": {"200": _json("OpenAPI 3.1.", {"type": "object"})},
        }
    },
    "/auth/token": {
        "post": {
            "operationId": "token",
            "summary": "Exchange a username and password for an access and a refresh token.",
            "description": "Form fields, like OAuth2's password grant; attempts are rate-limited per user.",
            "tags": ["auth"],
            "security": PUBLIC,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _ref("TokenForm")},
                    "multipart/form-data": {"schema": _ref("TokenForm")},
                },
            },
            "responses": {"200": _json("Tokens.", _ref("Token")), **_errors("400", "401", "429")},
        }
    },
    "/upload": {
        "post": {
            "operationId": "upload",
            "summary": "Upload a PDF, DICOM or audio file for a patient; starts its processing job.",
            "description": "Streamed: the body is parsed as it arrives and never spooled. The kind is "
            "sniffed from the content; the size limit per kind is enforced while streaming (a 413 keeps "
            "nothing).",
            "tags": ["files"],
            "security": SECURED,
            "requestBody": {
                "required": True,
                "content": {"multipart/form-data": {"schema": _ref("UploadForm")}},
            },
            "responses": {
                "201": _json("Stored; the processing job is queued.", _ref("Upload")),
                **_errors("400", "401", "403", "413", "415", "422"),
            },
        }
    },
    "/files/{file_id}/content": {
        "get": {
            "operationId": "fileContent",
            "summary": "The file's bytes: the original (CLINICIAN, ADMIN; audited) or the de-identified one.",
            "tags": ["files"],
            "security": SECURED,
            "parameters": [
                _path_id("file_id", "file"),
                {
                    "name": "variant",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["original", "deidentified"], "default": "original"},
                },
            ],
            "responses": {
                "200": _binary(
                    "The bytes, as an attachment.",
                    ["application/pdf", "application/dicom", "audio/*", "application/octet-stream"],
                    headers={
                        "Content-Disposition": {"schema": STRING},
                        "X-Content-SHA256": {
                            "description": "The original's SHA-256 (original variant only).",
                            "schema": STRING,
                        },
                    },
                ),
                **_errors("400", "401", "403", "404"),
            },
        }
    },
    "/files/{file_id}/preview": {
        "get": {
            "operationId": "filePreview",
            "summary": "The PNG preview of a de-identified DICOM file.",
            "tags": ["files"],
            "security": SECURED,
            "parameters": [_path_id("file_id", "file")],
            "responses": {"200": _binary("PNG.", ["image/png"]), **_errors("400", "401", "403", "404")},
        }
    },
    "/summarize": {
        "post": {
            "operationId": "summarize",
            "summary": "Start the patient's summary job (it waits for the files it covers).",
            "tags": ["summaries"],
            "security": SECURED,
            "requestBody": _json_body("SummarizeRequest"),
            "responses": {
                "202": _json("The SUMMARIZE job is queued.", _ref("JobAccepted")),
                **_errors("400", "401", "403", "404", "409", "413", "422"),
            },
        }
    },
    "/summaries/{summary_id}": {
        "get": {
            "operationId": "summary",
            "summary": "A summary, in the same shape as GraphQL's (snake_case).",
            "tags": ["summaries"],
            "security": SECURED,
            "parameters": [_path_id("summary_id", "summary")],
            "responses": {
                "200": _json("The summary.", _ref("Summary")),
                **_errors("400", "401", "403", "404"),
            },
        }
    },
    "/anonymize/test": {
        "post": {
            "operationId": "anonymizeTest",
            "summary": "De-identify a text by the configured policy; show the replacements, store nothing.",
            "tags": ["deidentification"],
            "security": SECURED,
            "requestBody": _json_body("AnonymizeRequest"),
            "responses": {
                "200": _json("The de-identified text and its replacements.", _ref("AnonymizedText")),
                **_errors("400", "401", "403", "413"),
            },
        }
    },
}


def _version() -> str:
    try:
        return metadata.version("multimed-fusion")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def build_openapi(*, server_url: str | None = None) -> dict[str, Any]:
    """The document; a fresh structure each call, so a caller may change its copy."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "MultiMed Fusion REST shim",
            "version": _version(),
            "description": "Health, metrics, tokens, uploads, downloads, summaries and the anonymization "
            "test. Everything else is GraphQL at /graphql (SDL: schema.graphql). Errors are "
            '`{"error": {"code", "message"}}` and never carry patient data.',
        },
        "security": SECURED,
        "tags": [{"name": name} for name in ("auth", "files", "summaries", "deidentification", "operations")],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An access token from POST /auth/token or the GraphQL `login` mutation.",
                }
            },
            "schemas": SCHEMAS,
            "responses": {
                name: _json(description, _ref("Error")) for name, description in ERROR_RESPONSES.values()
            },
        },
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    # A deep copy through JSON: the module-level structures stay untouched by callers.
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied
