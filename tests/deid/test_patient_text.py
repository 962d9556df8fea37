"""Patient text: surrogates stable across files, fail-closed release with an audited count."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from factories.users import make_org
from fakes.phi import ListDetector, ShyDetector
from multimed.audit.models import AuditEvent
from multimed.core.db import transaction
from multimed.deid import service as deid_service
from multimed.deid.errors import ReleaseBlocked
from multimed.deid.models import Surrogate
from multimed.deid.policy import PolicyName, load_policy
from multimed.deid.service import DeidKeys
from multimed.ml.phi.base import PhiType
from multimed.patients import service as patients_service
from multimed.patients.models import Patient
from multimed.runtime import Runtime

SAFE = load_policy(PolicyName.SAFE_HARBOR)
DETECTOR = ListDetector(
    {
        "John Smith": PhiType.PATIENT,
        "Dr. Lee": PhiType.CLINICIAN,
        "Mary Smith": PhiType.RELATIVE,
        "555-867-5309": PhiType.PHONE,
    }
)


async def _patient(runtime: Runtime) -> Patient:
    org = await make_org(runtime)
    async with transaction(runtime.sessions) as session:
        return await patients_service.get_or_create(
            session=session, organization_id=org.id, token=uuid.uuid4().hex * 2
        )


async def _run(runtime: Runtime, patient: Patient, text: str, detector: ListDetector) -> str:
    async with transaction(runtime.sessions) as session:
        result = await deid_service.deidentify_patient_text(
            session=session,
            patient=patient,
            text=text,
            detector=detector,
            policy=SAFE,
            keys=DeidKeys(b"s" * 32, b"d" * 32, b"u" * 32),
        )
    return result.text


async def test_surrogates_are_stable_across_two_files(runtime: Runtime) -> None:
    patient = await _patient(runtime)

    lab = await _run(runtime, patient, "Dr. Lee reviewed labs of John Smith.", DETECTOR)
    note = await _run(runtime, patient, "Mary Smith called; John Smith improving per Dr. Lee.", DETECTOR)

    assert lab == "[CLINICIAN_1] reviewed labs of [PATIENT_2]."
    assert note == "[RELATIVE_3] called; [PATIENT_2] improving per [CLINICIAN_1]."


async def test_other_patients_number_independently(runtime: Runtime) -> None:
    first, second = await _patient(runtime), await _patient(runtime)

    await _run(runtime, first, "Dr. Lee saw John Smith.", DETECTOR)
    other = await _run(runtime, second, "John Smith, seen by Dr. Lee.", DETECTOR)

    assert other == "[PATIENT_1], seen by [CLINICIAN_2]."


async def test_residual_phi_blocks_release_and_stores_nothing(runtime: Runtime) -> None:
    patient = await _patient(runtime)
    detector = ShyDetector({"John Smith": PhiType.PATIENT}, weak={"A-99-1234": PhiType.MRN})

    with pytest.raises(ReleaseBlocked) as blocked:
        await _run(runtime, patient, "John Smith, chart A-99-1234.", detector)

    assert blocked.value.counts == {"MRN": 1}
    assert "A-99" not in blocked.value.message
    async with runtime.sessions() as session:
        stored = (await session.execute(select(Surrogate).where(Surrogate.patient_id == patient.id))).all()
        events = (
            await session.execute(select(AuditEvent).where(AuditEvent.target_id == str(patient.id)))
        ).scalars()
        details = [e.details for e in events if e.action == "deid.release_blocked"]
    assert stored == []
    assert details == [{"residual_mrn": 1}]
