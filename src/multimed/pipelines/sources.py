"""What a stage starts from: one file version of an expected kind, and its original bytes."""

from __future__ import annotations

import uuid

from multimed.core.errors import DomainError
from multimed.files import service as files_service
from multimed.files.models import FileKind, MedicalFile
from multimed.runtime import Runtime


class WrongKind(DomainError):
    status = 422

    def __init__(self, expected: FileKind) -> None:
        super().__init__(f"the file is not a {expected.value} file", code=f"not_{expected.value.lower()}")


async def load_original(
    runtime: Runtime, *, file_id: uuid.UUID, organization_id: uuid.UUID, kind: FileKind
) -> tuple[MedicalFile, bytes]:
    """The file version and its decrypted original; WrongKind when it is not of `kind`."""
    async with runtime.sessions() as session:
        file = await files_service.get_or_raise(
            session=session, organization_id=organization_id, file_id=file_id
        )
    if FileKind(file.kind) is not kind:
        raise WrongKind(kind)
    chunks = [
        c async for c in runtime.blobs.open(file.blob_key, wrapped_key=file.wrapped_key, key_id=file.key_id)
    ]
    return file, b"".join(chunks)
