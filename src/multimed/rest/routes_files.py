"""POST /upload (streamed multipart) and GET /files/{id}/content."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from multimed.auth.policy import Permission
from multimed.auth.principal import Principal
from multimed.core.db import transaction
from multimed.core.errors import DomainError, InvalidInput
from multimed.extraction import service as extraction_service
from multimed.files import service as files_service
from multimed.files.errors import DeidentifiedUnavailable
from multimed.files.models import FileKind, MedicalFile
from multimed.observability.logging import request_id_var
from multimed.rest.multipart_stream import MultipartStream
from multimed.rest.protected import protected
from multimed.runtime import Runtime


async def upload_and_record(
    runtime: Runtime, principal: Principal, stream: MultipartStream
) -> files_service.UploadResult:
    """Stage the streamed file, then record it; on any failure the staged blob is removed."""
    settings = runtime.settings
    staged = await files_service.stage(
        store=runtime.blobs,
        source=stream.file_chunks(),
        limit_for=lambda kind: settings.max_bytes_for(kind.value),
    )
    runtime.metrics.upload_bytes.labels(staged.sniffed.kind.value).inc(staged.blob.size)
    try:
        mrn = stream.fields.get("patient_mrn", "")
        if not mrn.strip():
            raise InvalidInput("form field 'patient_mrn' is required", code="bad_request")
        async with transaction(runtime.sessions) as session:
            return await files_service.record(
                session=session,
                staged=staged,
                principal=principal,
                keyring=runtime.secrets.master,
                patient_mrn=mrn,
                logical_name=stream.fields.get("logical_name") or None,
                original_filename=stream.filename,
                request_id=request_id_var.get(),
            )
    except BaseException:
        await files_service.discard(store=runtime.blobs, staged=staged)
        raise


@protected(Permission.UPLOAD)
async def upload(request: Request, runtime: Runtime, principal: Principal) -> Response:
    try:
        result = await upload_and_record(runtime, principal, MultipartStream(request))
    except DomainError as exc:
        runtime.metrics.uploads.labels(exc.code).inc()
        raise
    runtime.metrics.uploads.labels("ok").inc()
    await runtime.jobs.enqueue(result.job)  # only now: the job row is committed
    file = result.file
    return JSONResponse(
        {
            "file_id": str(file.id),
            "patient_token": result.patient.token,
            "kind": file.kind,
            "version": file.version,
            "sha256": file.sha256,
            "size_bytes": file.size_bytes,
            "job_id": str(result.job.id),
            "display_name": files_service.display_name(file),
        },
        status_code=201,
    )


def _file_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["file_id"])
    except ValueError as exc:
        raise InvalidInput("file id must be a UUID", code="bad_request") from exc


def _download(file: MedicalFile, body: AsyncIterator[bytes], content_type: str, suffix: str) -> Response:
    extension = {FileKind.PDF: "pdf", FileKind.DICOM: "dcm"}.get(FileKind(file.kind), "audio")
    return StreamingResponse(
        body,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.id}{suffix}.{extension}"',
            "Cache-Control": "no-store",
        },
    )


@protected(Permission.DOWNLOAD_ORIGINAL)
async def original_content(request: Request, runtime: Runtime, principal: Principal) -> Response:
    async with transaction(runtime.sessions) as session:
        file, body = await files_service.open_original(
            session=session,
            store=runtime.blobs,
            principal=principal,
            file_id=_file_id(request),
            request_id=request_id_var.get(),
        )
    response = _download(file, body, file.content_type, "")
    response.headers["X-Content-SHA256"] = file.sha256
    return response


@protected(Permission.READ_FILES)
async def deidentified_content(request: Request, runtime: Runtime, principal: Principal) -> Response:
    async with runtime.sessions() as session:
        file, body = await files_service.open_deidentified(
            session=session, store=runtime.blobs, principal=principal, file_id=_file_id(request)
        )
    return _download(file, body, file.deid_content_type or file.content_type, ".deid")


@protected(Permission.READ_FILES)
async def preview(request: Request, runtime: Runtime, principal: Principal) -> Response:
    """GET /files/{id}/preview: the PNG preview of a de-identified DICOM file."""
    async with runtime.sessions() as session:
        file = await files_service.get_or_raise(
            session=session, organization_id=principal.organization_id, file_id=_file_id(request)
        )
        row = (await extraction_service.dicom_summaries_for_files(session=session, file_ids=[file.id])).get(
            file.id
        )
    if row is None or not row.preview_blob_key or not row.preview_wrapped_key or not row.preview_key_id:
        raise DeidentifiedUnavailable()
    body = runtime.blobs.open(
        row.preview_blob_key, wrapped_key=row.preview_wrapped_key, key_id=row.preview_key_id
    )
    return StreamingResponse(body, media_type="image/png", headers={"Cache-Control": "no-store"})


async def content(request: Request) -> Response:
    """GET /files/{id}/content?variant=original|deidentified (default original)."""
    variant = request.query_params.get("variant", "original")
    if variant == "original":
        return await original_content(request)
    if variant == "deidentified":
        return await deidentified_content(request)
    raise InvalidInput("variant must be 'original' or 'deidentified'", code="bad_request")


routes = [
    Route("/upload", upload, methods=["POST"]),
    Route("/files/{file_id}/content", content, methods=["GET"]),
    Route("/files/{file_id}/preview", preview, methods=["GET"]),
]
