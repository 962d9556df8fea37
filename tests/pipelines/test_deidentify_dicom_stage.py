"""Upload a DICOM, run the DE-IDENTIFY stage, download the released variant."""

from __future__ import annotations

import io
import uuid

import httpx
import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file

from api.graphql_client import gql
from factories.uploads import upload
from factories.users import make_org
from multimed.auth.models import Role
from multimed.deid.dicom import residual_phi
from multimed.graphql.relay import to_global_id
from multimed.pipelines.deidentify_dicom import deidentify_dicom, dicom_options
from multimed.pipelines.sources import WrongKind
from multimed.runtime import Runtime


def _dicom() -> bytes:
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.PatientName = "Smith^John"
    ds.PatientID = "MRN12345"
    ds.InstitutionName = "Mercy General Hospital"
    ds.StudyDescription = "CT chest for John Smith"
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


async def test_dicom_is_deidentified_and_released(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "dicom_options", ["retain_long_modified_dates"])
    org = await make_org(runtime)
    headers = org.headers(Role.CLINICIAN)
    uploaded = await upload(client, org, "MRN12345", "ct.dcm", _dicom())
    before = await client.get(f"/files/{uploaded['file_id']}/content?variant=deidentified", headers=headers)

    report = await deidentify_dicom(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)
    released = await client.get(
        f"/files/{uploaded['file_id']}/content?variant=deidentified", headers=org.headers(Role.ANALYST)
    )
    details = await gql(
        client,
        "query($id: ID!) { file(id: $id) { deidentification { method detector "
        "profileOptions entityCounts { type count } dicomActions { type count } pixelBoxes } "
        "dicom { modality studyDescription rows columns frames parameters pixelStats { min max } "
        "previewUrl } } }",
        {"id": to_global_id("MedicalFile", uploaded["file_id"])},
        headers=org.headers(Role.ANALYST),
    )

    assert before.status_code == 404
    assert before.json()["error"]["code"] == "deidentified_unavailable"
    assert released.status_code == 200
    ds = dcmread(io.BytesIO(released.content))
    assert ds.PatientID == uploaded["patient_token"]
    assert str(ds.PatientName) == "PATIENT_1"
    assert "InstitutionName" not in ds
    assert residual_phi(ds, original_identifiers=["Smith", "John", "MRN12345"]) == []
    assert ds.PatientIdentityRemoved == "YES"
    assert report.dicom_actions["uid_replaced"] > 0
    info = details["data"]["file"]["deidentification"]
    assert info["method"].startswith("SAFE_HARBOR.v1; PS3.15")
    assert info["detector"].startswith("presidio")  # it read the pixels' burned-in text
    assert report.pixel_boxes == 0
    assert {"type": "private_removed", "count": 179} in info["dicomActions"]
    dicom = details["data"]["file"]["dicom"]
    assert dicom["modality"] == "CT"
    assert (dicom["rows"], dicom["columns"], dicom["frames"]) == (128, 128, 1)
    assert "John" not in str(dicom)
    assert dicom["pixelStats"]["max"] > dicom["pixelStats"]["min"]
    png = await client.get(dicom["previewUrl"], headers=org.headers(Role.ANALYST))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")


async def test_pdf_is_refused_by_the_dicom_stage(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from factories.files import pdf_bytes

    org = await make_org(runtime)
    uploaded = await upload(client, org, "P1", "a.pdf", pdf_bytes())

    with pytest.raises(WrongKind):
        await deidentify_dicom(runtime, file_id=uuid.UUID(uploaded["file_id"]), organization_id=org.id)


def test_unknown_dicom_option_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="unknown DICOM options"):
        dicom_options(["retain_everything"])
