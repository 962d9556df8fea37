"""patient, patients."""

from __future__ import annotations

import strawberry

from multimed.auth.policy import Permission
from multimed.graphql.context import Info
from multimed.graphql.pagination import page_size
from multimed.graphql.patients.types import PatientType, patient_cursor
from multimed.graphql.permissions import Requires, needs
from multimed.graphql.relay import Connection, page_connection
from multimed.patients import service as patients_service


@strawberry.type
class PatientQueries:
    @strawberry.field(
        description="A patient by token, or by MRN (keyed-hashed on the server, never stored).",
        extensions=needs(Permission.READ_PATIENTS, Requires(Permission.LOOKUP_BY_MRN, when_argument="mrn")),
    )
    async def patient(
        self, info: Info, token: str | None = None, mrn: str | None = None
    ) -> PatientType | None:
        ctx = info.context
        if mrn is not None:
            token = patients_service.patient_token(mrn, ctx.runtime.secrets.master)
        if token is None:
            return None
        patient = await patients_service.get_by_token(
            session=await ctx.session(), organization_id=ctx.user.organization_id, token=token
        )
        return PatientType.from_model(patient) if patient else None

    @strawberry.field(extensions=needs(Permission.READ_PATIENTS))
    async def patients(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PatientType]:
        ctx = info.context
        page = await patients_service.list_patients(
            session=await ctx.session(),
            organization_id=ctx.user.organization_id,
            first=page_size(info, first),
            after=after,
        )
        return page_connection(page, encode=PatientType.from_model, key=patient_cursor)
