"""REST upload: streaming, sniffing, limits, versions, download."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import func, select

from factories.files import dicom_bytes, pdf_bytes, wav_bytes
from factories.users import make_org
from multimed.auth.models import Role
from multimed.files.models import MedicalFile
from multimed.jobs.models import Job
from multimed.runtime import Runtime


def blob_files(runtime: Runtime) -> set[str]:
    root = runtime.settings.data_dir / "blobs"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def count_files(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(MedicalFile))).scalar_one())


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    filename: str = "x.bin",
    mrn: str = "MRN-0001",
    logical_name: str | None = None,
) -> httpx.Response:
    data = {"patient_mrn": mrn}
    if logical_name:
        data["logical_name"] = logical_name
    return await client.post("/upload", headers=headers, data=data, files={"file": (filename, content)})


async def test_pdf_upload_creates_file_job_and_patient(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    content = pdf_bytes()

    response = await upload(client, org.headers(Role.CLINICIAN), content, filename="Smith_John_labs.pdf")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "PDF"
    assert body["version"] == 1
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size_bytes"] == len(content)
    assert len(body["patient_token"]) == 64
    assert "Smith" not in response.text
    async with runtime.sessions() as session:
        job = (await session.execute(select(Job).where(Job.file_id == body["file_id"]))).scalar_one()
        assert job.status == "QUEUED"
        assert job.kind == "PROCESS_FILE"


@pytest.mark.parametrize(
    ("content", "filename", "kind"),
    [
        (pdf_bytes(), "recording.wav", "PDF"),
        (wav_bytes(), "report.pdf", "AUDIO"),
        (dicom_bytes(), "scan.pdf", "DICOM"),
    ],
)
async def test_kind_comes_from_content_not_name(
    client: httpx.AsyncClient, runtime: Runtime, content: bytes, filename: str, kind: str
) -> None:
    org = await make_org(runtime)

    response = await upload(client, org.headers(Role.CLINICIAN), content, filename=filename)

    assert response.status_code == 201, response.text
    assert response.json()["kind"] == kind


async def test_unsupported_content_is_refused_and_leaves_nothing(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    before_blobs, before_rows = blob_files(runtime), await count_files(runtime)

    response = await upload(
        client, org.headers(Role.CLINICIAN), b"MZ\x90\x00" + b"\x00" * 600, filename="labs.pdf"
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"
    assert blob_files(runtime) == before_blobs
    assert await count_files(runtime) == before_rows


async def test_limit_is_enforced_mid_stream_and_leaves_nothing(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = await make_org(runtime)
    monkeypatch.setattr(runtime.settings, "max_pdf_bytes", 3 * 1024 * 1024)
    before_blobs, before_rows = blob_files(runtime), await count_files(runtime)

    response = await upload(client, org.headers(Role.CLINICIAN), pdf_bytes(padding=5 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "file_too_large",
        "message": f"PDF files may be at most {3 * 1024 * 1024} bytes",
    }
    assert blob_files(runtime) == before_blobs
    assert await count_files(runtime) == before_rows


async def test_missing_mrn_removes_staged_blob(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    before = blob_files(runtime)

    response = await client.post(
        "/upload", headers=org.headers(Role.CLINICIAN), files={"file": ("a.pdf", pdf_bytes())}
    )

    assert response.status_code == 400
    assert blob_files(runtime) == before


async def test_same_logical_name_makes_versions(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    headers = org.headers(Role.CLINICIAN)

    first = await upload(client, headers, pdf_bytes("K 4.0"), filename="labs.pdf", mrn="000123")
    second = await upload(client, headers, pdf_bytes("K 6.9"), filename="LABS.pdf", mrn="000-123")
    other = await upload(client, headers, pdf_bytes("Na 140"), filename="other.pdf", mrn="000123")

    assert [first.json()["version"], second.json()["version"], other.json()["version"]] == [1, 2, 1]
    assert first.json()["patient_token"] == second.json()["patient_token"]


async def test_original_download_roundtrips_and_is_audited(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    content = pdf_bytes(padding=3 * 1024 * 1024)
    file_id = (await upload(client, org.headers(Role.CLINICIAN), content)).json()["file_id"]

    response = await client.get(f"/files/{file_id}/content", headers=org.headers(Role.CLINICIAN))
    denied = await client.get(f"/files/{file_id}/content", headers=org.headers(Role.ANALYST))

    assert response.status_code == 200
    assert response.content == content
    assert denied.status_code == 403
