"""Uploads in two steps (stream to the store, then record), versions, listing and original download."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.auth.principal import Principal
from multimed.blobs.store import BlobStore, StoredBlob
from multimed.core.crypto import Sealer, keyed_hash
from multimed.core.keys import MasterKeyring
from multimed.core.pagination import Page, PageQueries
from multimed.files.errors import DeidentifiedUnavailable, FileNotFound, FileTooLarge
from multimed.files.models import FileKind, MedicalFile
from multimed.files.sniffing import SNIFF_BYTES, Sniffed, sniff
from multimed.jobs import service as jobs_service
from multimed.jobs.models import Job, JobKind
from multimed.patients import service as patients_service
from multimed.patients.models import Patient

LOGICAL_NAME_PURPOSE = "multimed/logical-name/v1"
FILENAME_PURPOSE = "multimed/original-filename/v1"


@dataclass(frozen=True)
class StagedUpload:
    """Bytes safely in the blob store, not yet recorded in the database."""

    blob: StoredBlob
    sniffed: Sniffed


@dataclass(frozen=True)
class UploadResult:
    file: MedicalFile
    job: Job
    patient: Patient


async def _limited(
    head: bytes,
    rest: AsyncIterator[bytes],
    limit: int,
    kind: FileKind,
    on_bytes: Callable[[int], None] | None,
) -> AsyncIterator[bytes]:
    seen = 0
    pending = [head]
    while True:
        if pending:
            chunk = pending.pop()
        else:
            try:
                chunk = await anext(rest)
            except StopAsyncIteration:
                return
        seen += len(chunk)
        if seen > limit:
            raise FileTooLarge(kind.value, limit)
        if on_bytes is not None:
            on_bytes(len(chunk))
        yield chunk


async def stage(
    *,
    store: BlobStore,
    source: AsyncIterator[bytes],
    limit_for: Callable[[FileKind], int],
    on_bytes: Callable[[int], None] | None = None,
) -> StagedUpload:
    """Sniff the kind from the first bytes, then stream to the store with the kind's size limit.

    Nothing is written for an unsupported type; a file over its limit is aborted mid-stream and removed.
    """
    head = b""
    async for chunk in source:
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    sniffed = sniff(head)
    blob = await store.put(_limited(head, source, limit_for(sniffed.kind), sniffed.kind, on_bytes))
    return StagedUpload(blob, sniffed)


def display_name(file: MedicalFile) -> str:
    """A neutral name: the uploaded filename may identify the patient, so it is never shown."""
    return f"{file.kind} file {file.id.hex[:8]} v{file.version}"


async def record(
    *,
    session: AsyncSession,
    staged: StagedUpload,
    principal: Principal,
    keyring: MasterKeyring,
    patient_mrn: str,
    logical_name: str | None,
    original_filename: str | None,
    request_id: str | None = None,
) -> UploadResult:
    """Record a staged upload: patient, next version of its logical file, processing job, audit event."""
    token = patients_service.patient_token(patient_mrn, keyring)
    patient = await patients_service.get_or_create(
        session=session, organization_id=principal.organization_id, token=token
    )
    # Serialize versioning per patient: concurrent uploads of one logical file get distinct versions.
    await session.execute(select(Patient.id).where(Patient.id == patient.id).with_for_update())
    name = (logical_name or original_filename or staged.blob.key).strip().lower()
    logical_key = keyed_hash(keyring.derive(LOGICAL_NAME_PURPOSE), token, name)
    latest = (
        await session.execute(
            select(func.max(MedicalFile.version)).where(
                MedicalFile.patient_id == patient.id, MedicalFile.logical_key == logical_key
            )
        )
    ).scalar_one()
    file = MedicalFile(
        organization_id=principal.organization_id,
        patient_id=patient.id,
        kind=staged.sniffed.kind.value,
        content_type=staged.sniffed.content_type,
        size_bytes=staged.blob.size,
        sha256=staged.blob.sha256,
        blob_key=staged.blob.key,
        wrapped_key=staged.blob.wrapped_key,
        key_id=staged.blob.key_id,
        version=(latest or 0) + 1,
        logical_key=logical_key,
        uploaded_by=principal.user_id,
    )
    if original_filename:
        file.original_name_enc = Sealer(keyring, FILENAME_PURPOSE).seal(original_filename, str(file.id))
    session.add(file)
    await session.flush()
    job = await jobs_service.create(
        session=session,
        organization_id=principal.organization_id,
        patient_id=patient.id,
        kind=JobKind.PROCESS_FILE,
        created_by=principal.user_id,
        file_id=file.id,
    )
    await audit_service.append(
        session=session,
        action=Action.UPLOAD,
        outcome=Outcome.OK,
        organization_id=principal.organization_id,
        actor_id=principal.user_id,
        target_type="file",
        target_id=file.id,
        request_id=request_id,
        details={
            "kind": file.kind,
            "size_bytes": file.size_bytes,
            "version": file.version,
            "job_id": str(job.id),
        },
    )
    return UploadResult(file, job, patient)


async def get(*, session: AsyncSession, organization_id: uuid.UUID, file_id: uuid.UUID) -> MedicalFile | None:
    """A file version of the organization."""
    file = await session.get(MedicalFile, file_id)
    return file if file is not None and file.organization_id == organization_id else None


async def get_or_raise(
    *, session: AsyncSession, organization_id: uuid.UUID, file_id: uuid.UUID
) -> MedicalFile:
    """A file version of the organization, or FileNotFound."""
    file = await get(session=session, organization_id=organization_id, file_id=file_id)
    if file is None:
        raise FileNotFound()
    return file


_FILE_PAGES = PageQueries(
    lambda present: _patient_files(
        bindparam("organization_id"), bindparam("patient_id"), latest_only="latest_only" in present
    ),
    at_col=MedicalFile.uploaded_at,
    id_col=MedicalFile.id,
    descending=True,
)


async def list_for_patient(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    patient_id: uuid.UUID,
    first: int,
    after: str | None,
    latest_only: bool = False,
) -> Page[MedicalFile]:
    """A page of a patient's files, newest first; optionally only the latest version of each."""
    values = {
        "organization_id": organization_id,
        "patient_id": patient_id,
        "latest_only": latest_only or None,
    }
    return await _FILE_PAGES.fetch(session, values, first=first, after=after)


def _patient_files(organization_id: Any, patient_id: Any, *, latest_only: bool) -> Any:
    """A patient's file versions; the ids are values or bound parameters."""
    query = select(MedicalFile).where(
        MedicalFile.organization_id == organization_id, MedicalFile.patient_id == patient_id
    )
    if latest_only:
        newest = (
            select(MedicalFile.logical_key, func.max(MedicalFile.version).label("v"))
            .where(MedicalFile.patient_id == patient_id)
            .group_by(MedicalFile.logical_key)
            .subquery()
        )
        query = query.join(
            newest,
            (col(MedicalFile.logical_key) == newest.c.logical_key) & (col(MedicalFile.version) == newest.c.v),
        )
    return query


async def latest_versions(
    *, session: AsyncSession, organization_id: uuid.UUID, patient_id: uuid.UUID
) -> list[MedicalFile]:
    """The latest version of each of a patient's logical files, oldest upload first."""
    query = _patient_files(organization_id, patient_id, latest_only=True).order_by(
        col(MedicalFile.uploaded_at), col(MedicalFile.id)
    )
    return list((await session.execute(query)).scalars().all())


async def by_ids(
    *, session: AsyncSession, organization_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
) -> list[MedicalFile]:
    """The organization's file versions among `file_ids` (others are simply absent), oldest upload first."""
    query = (
        select(MedicalFile)
        .where(MedicalFile.organization_id == organization_id, col(MedicalFile.id).in_(list(file_ids)))
        .order_by(col(MedicalFile.uploaded_at), col(MedicalFile.id))
    )
    return list((await session.execute(query)).scalars().all())


async def versions(*, session: AsyncSession, file: MedicalFile) -> list[MedicalFile]:
    """Every version of the file's logical file, oldest first."""
    query = (
        select(MedicalFile)
        .where(MedicalFile.patient_id == file.patient_id, MedicalFile.logical_key == file.logical_key)
        .order_by(MedicalFile.version)  # type: ignore[arg-type]
    )
    return list((await session.execute(query)).scalars().all())


async def open_original(
    *,
    session: AsyncSession,
    store: BlobStore,
    principal: Principal,
    file_id: uuid.UUID,
    request_id: str | None = None,
) -> tuple[MedicalFile, AsyncIterator[bytes]]:
    """The original bytes of a file version, decrypted as they stream; the download is audited."""
    file = await get_or_raise(session=session, organization_id=principal.organization_id, file_id=file_id)
    await audit_service.append(
        session=session,
        action=Action.DOWNLOAD_ORIGINAL,
        outcome=Outcome.OK,
        organization_id=principal.organization_id,
        actor_id=principal.user_id,
        target_type="file",
        target_id=file.id,
        request_id=request_id,
    )
    return file, store.open(file.blob_key, wrapped_key=file.wrapped_key, key_id=file.key_id)


async def discard(*, store: BlobStore, staged: StagedUpload) -> None:
    """Remove a staged blob whose recording failed, so nothing is left half-written."""
    await store.delete(staged.blob.key)


async def attach_deidentified(
    *, session: AsyncSession, file: MedicalFile, blob: StoredBlob, content_type: str
) -> MedicalFile:
    """Record the released de-identified variant of a file version."""
    file.deid_blob_key = blob.key
    file.deid_wrapped_key = blob.wrapped_key
    file.deid_key_id = blob.key_id
    file.deid_content_type = content_type
    session.add(file)
    await session.flush()
    return file


async def open_deidentified(
    *, session: AsyncSession, store: BlobStore, principal: Principal, file_id: uuid.UUID
) -> tuple[MedicalFile, AsyncIterator[bytes]]:
    """The de-identified bytes of a file version; DeidentifiedUnavailable until they are released."""
    file = await get_or_raise(session=session, organization_id=principal.organization_id, file_id=file_id)
    if file.deid_blob_key is None or file.deid_wrapped_key is None or file.deid_key_id is None:
        raise DeidentifiedUnavailable()
    return file, store.open(file.deid_blob_key, wrapped_key=file.deid_wrapped_key, key_id=file.deid_key_id)
