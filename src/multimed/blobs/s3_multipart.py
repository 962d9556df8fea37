"""One S3 multipart upload: start, send parts in order, complete or abort."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef


class MultipartUpload:
    """Tracks the upload id and part ETags that completing an upload needs."""

    def __init__(self, s3: S3Client, bucket: str, object_key: str) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._key = object_key
        self._upload_id: str | None = None
        self._parts: list[CompletedPartTypeDef] = []

    @property
    def started(self) -> bool:
        """Whether the server knows this upload (and so must see a complete or an abort)."""
        return self._upload_id is not None

    def _id(self) -> str:
        if self._upload_id is None:
            raise RuntimeError("multipart upload used before start()")
        return self._upload_id

    async def start(self) -> None:
        """Open the upload on the server."""
        response = await self._s3.create_multipart_upload(Bucket=self._bucket, Key=self._key)
        self._upload_id = response["UploadId"]

    async def send(self, data: bytes) -> None:
        """Upload the next part (parts are numbered from 1 in call order)."""
        number = len(self._parts) + 1
        response = await self._s3.upload_part(
            Bucket=self._bucket, Key=self._key, UploadId=self._id(), PartNumber=number, Body=data
        )
        self._parts.append({"ETag": response["ETag"], "PartNumber": number})

    async def complete(self) -> None:
        """Assemble the uploaded parts into the object."""
        await self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._id(),
            MultipartUpload={"Parts": self._parts},
        )

    async def abort(self) -> None:
        """Discard the upload and every part stored for it."""
        await self._s3.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._id())
