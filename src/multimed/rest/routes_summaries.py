"""POST /summarize and GET /summaries/{id}: the same services and the same shape as GraphQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from multimed.auth.policy import Permission
from multimed.auth.principal import Principal
from multimed.core.db import transaction
from multimed.core.errors import InvalidInput
from multimed.observability.logging import request_id_var
from multimed.patients import service as patients_service
from multimed.rest.protected import protected
from multimed.runtime import Runtime
from multimed.summaries import service as summaries_service
from multimed.summaries.coverage import UncoveredFile
from multimed.summaries.models import Summary
from multimed.summaries.requests import request_summary

MAX_BODY = 64 * 1024


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise InvalidInput("request body too large", code="bad_request", status=413)
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise InvalidInput("request body is not JSON", code="bad_request") from exc
    if not isinstance(data, dict):
        raise InvalidInput("request body must be a JSON object", code="bad_request")
    return data


def _uuids(values: object) -> list[uuid.UUID] | None:
    if values is None:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput("file_ids must be a list of file ids", code="bad_request")
    try:
        return [uuid.UUID(v) for v in values]
    except ValueError as exc:
        raise InvalidInput("file_ids holds a malformed id", code="invalid_id") from exc


@protected(Permission.SUMMARIZE)
async def summarize(request: Request, runtime: Runtime, principal: Principal) -> Response:
    data = await _json_body(request)
    token = data.get("patient_token")
    if not isinstance(token, str) or not token:
        raise InvalidInput("patient_token is required", code="bad_request")
    file_ids = _uuids(data.get("file_ids"))
    async with transaction(runtime.sessions) as session:
        job = await request_summary(
            session=session,
            principal=principal,
            patient_token=token,
            file_ids=file_ids,
            request_id=request_id_var.get(),
        )
    await runtime.jobs.enqueue(job)
    return JSONResponse({"job_id": str(job.id)}, status_code=202)


def _uncovered_json(gap: UncoveredFile) -> dict[str, Any]:
    """GraphQL's UncoveredFile in snake_case; `file` becomes the raw `file_id`, as in citations."""
    return {
        "name": gap.name,
        "reason": gap.reason.value,
        "error_code": gap.error_code,
        "file_id": str(gap.file_id),
    }


def summary_json(summary: Summary, patient_token: str) -> dict[str, Any]:
    """The summary in API.md's shape (snake_case for REST)."""
    return {
        "id": str(summary.id),
        "patient_token": patient_token,
        "version": summary.version,
        "created_at": summary.created_at.isoformat(),
        "has_critical": summary.has_critical,
        "text": summary.text,
        "html": summary.html,
        "summarizer": summary.summarizer,
        "sources": summary.source_file_ids,
        # Read through UncoveredFile as GraphQL does, so both APIs name the same gaps the same way.
        "uncovered_files": [_uncovered_json(UncoveredFile.from_json(u)) for u in summary.uncovered_files],
        "sections": [
            {
                "title": section["title"],
                "statements": [
                    {
                        "text": st["text"],
                        "severity": st["severity"],
                        "finding_ids": st.get("findingIds", []),
                        "citations": [
                            {
                                "file_id": c["fileId"],
                                "version": c["version"],
                                "page": c.get("page"),
                                "start_seconds": c.get("startSeconds"),
                                "end_seconds": c.get("endSeconds"),
                                "char_start": c.get("charStart"),
                                "char_end": c.get("charEnd"),
                                "quote": c["quote"],
                            }
                            for c in st["citations"]
                        ],
                    }
                    for st in section["statements"]
                ],
            }
            for section in summary.sections
        ],
    }


@protected(Permission.READ_CLINICAL)
async def get_summary(request: Request, runtime: Runtime, principal: Principal) -> Response:
    try:
        summary_id = uuid.UUID(request.path_params["summary_id"])
    except ValueError as exc:
        raise InvalidInput("malformed summary id", code="invalid_id") from exc
    async with runtime.sessions() as session:
        summary = await summaries_service.get_or_raise(
            session=session, organization_id=principal.organization_id, summary_id=summary_id
        )
        patient = await patients_service.get_or_raise(
            session=session, organization_id=principal.organization_id, patient_id=summary.patient_id
        )
    return JSONResponse(summary_json(summary, patient.token))


routes = [
    Route("/summarize", summarize, methods=["POST"]),
    Route("/summaries/{summary_id}", get_summary, methods=["GET"]),
]
