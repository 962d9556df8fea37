"""Upload a scanned lab report, extract and de-identify it, read the text back."""

from __future__ import annotations

import uuid

import httpx
import pytest

from api.graphql_client import gql
from factories.files import dicom_bytes
from factories.pdfs import LAB_LINES, scanned_page, scanned_pdf
from factories.uploads import upload
from factories.users import make_org
from multimed.auth.models import Role
from multimed.extraction.positions import Position, locate
from multimed.graphql.relay import to_global_id
from multimed.pipelines.extract_pdf import extract_pdf
from multimed.pipelines.sources import WrongKind
from multimed.runtime import Runtime


async def test_scanned_report_is_extracted_deidentified_and_positioned(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    org = await make_org(runtime)
    uploaded = await upload(client, org, "00123456", "labs.pdf", scanned_pdf([scanned_page(LAB_LINES)]))

    row = await extract_pdf(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)
    body = await gql(
        client,
        "query($id: ID!) { file(id: $id) { text deidentification { method entityCounts { type count } } } }",
        {"id": to_global_id("MedicalFile", uploaded["file_id"])},
        headers=org.headers(Role.ANALYST),
    )

    text = body["data"]["file"]["text"]
    assert text == row.text
    for secret in ("John", "Smith", "00123456", "01/15"):
        assert secret not in text
    for kept in ("Potassium", "6.8", "(3.5-5.1)", "HH", "139", "2023"):
        assert kept in text
    positions = [Position(**{k: v for k, v in p.items() if k != "box"}) for p in row.positions]
    at = locate(positions, text.index("6.8"))
    assert at is not None
    assert at.page == 1
    assert at.source == "ocr"
    counts = {c["type"]: c["count"] for c in body["data"]["file"]["deidentification"]["entityCounts"]}
    assert counts.get("PATIENT", 0) >= 1
    assert counts.get("MRN", 0) >= 1


async def test_non_pdf_is_refused(client: httpx.AsyncClient, runtime: Runtime) -> None:
    org = await make_org(runtime)
    uploaded = await upload(client, org, "X1", "a.dcm", dicom_bytes())

    with pytest.raises(WrongKind):
        await extract_pdf(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)
