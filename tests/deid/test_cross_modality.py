"""One patient, two modalities: the same surrogate and the same date shift in text and DICOM."""

from __future__ import annotations

import uuid

from pydicom import dcmread
from pydicom.data import get_testdata_file

from factories.users import make_org
from fakes.phi import ListDetector
from multimed.core.db import transaction
from multimed.deid import service as deid_service
from multimed.deid.dicom import DicomOptions
from multimed.deid.policy import PolicyName, load_policy
from multimed.deid.service import DeidKeys
from multimed.ml.phi.base import PhiType
from multimed.patients import service as patients_service
from multimed.runtime import Runtime

LIMITED = load_policy(PolicyName.LIMITED)
KEYS = DeidKeys(b"s" * 32, b"d" * 32, b"u" * 32)


async def test_text_and_dicom_share_surrogate_and_shift(runtime: Runtime) -> None:
    org = await make_org(runtime)
    async with transaction(runtime.sessions) as session:
        patient = await patients_service.get_or_create(
            session=session, organization_id=org.id, token=uuid.uuid4().hex * 2
        )
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.PatientName = "Smith^John"
    ds.StudyDate = "20230115"
    detector = ListDetector({"John Smith": PhiType.PATIENT, "01/15/2023": PhiType.DATE})

    async with transaction(runtime.sessions) as session:
        text = await deid_service.deidentify_patient_text(
            session=session,
            patient=patient,
            text="John Smith scanned on 01/15/2023.",
            detector=detector,
            policy=LIMITED,
            keys=KEYS,
        )
    async with transaction(runtime.sessions) as session:
        await deid_service.deidentify_patient_dicom(
            session=session,
            patient=patient,
            dataset=ds,
            options=DicomOptions(retain_long_modified_dates=True),
            policy=LIMITED,
            keys=KEYS,
        )

    shifted = deid_service.patient_date_shift(patient, LIMITED, KEYS.dates)
    assert shifted is not None
    iso = text.text.split("scanned on ")[1].rstrip(".")
    assert text.text.startswith("[PATIENT_1] scanned on ")
    assert ds.StudyDate == iso.replace("-", "")
    assert ds.StudyDate != "20230115"
    assert str(ds.PatientName) == "PATIENT_1"
    assert ds.PatientID == patient.token
