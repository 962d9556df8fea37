"""node(id): any object by global id, within the caller's organization and permissions."""

from __future__ import annotations

import uuid

import strawberry

from multimed.auth import service as auth_service
from multimed.auth.policy import Permission, allows
from multimed.files import service as files_service
from multimed.findings import service as findings_service
from multimed.graphql.context import Info
from multimed.graphql.files.types import MedicalFileType
from multimed.graphql.findings.types import FindingType
from multimed.graphql.jobs.types import JobType
from multimed.graphql.notifications.types import NotificationType
from multimed.graphql.patients.types import PatientType
from multimed.graphql.permissions import needs
from multimed.graphql.relay import Node, from_global_id
from multimed.graphql.summaries.types import SummaryType
from multimed.graphql.users.types import UserType
from multimed.jobs import service as jobs_service
from multimed.notifications import service as notifications_service
from multimed.patients import service as patients_service
from multimed.summaries import service as summaries_service

# Which permission reading each node type needs; types not listed are not reachable through node().
_NEEDS = {
    "Patient": Permission.READ_PATIENTS,
    "MedicalFile": Permission.READ_FILES,
    "Job": Permission.READ_FILES,
    "User": Permission.READ_SELF,
    "Summary": Permission.READ_CLINICAL,
    "Finding": Permission.READ_CLINICAL,
    "Notification": Permission.READ_SELF,
}


@strawberry.type
class NodeQueries:
    @strawberry.field(extensions=needs(Permission.READ_SELF))
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        ctx = info.context
        type_name, raw = from_global_id(id)
        permission = _NEEDS.get(type_name)
        if permission is None or not allows(ctx.user.role, permission):
            return None
        try:
            key = uuid.UUID(raw)
        except ValueError:
            return None
        session, org = await ctx.session(), ctx.user.organization_id
        if type_name == "Patient":
            patient = await patients_service.get(session=session, organization_id=org, patient_id=key)
            return PatientType.from_model(patient) if patient else None
        if type_name == "MedicalFile":
            file = await files_service.get(session=session, organization_id=org, file_id=key)
            return MedicalFileType.from_model(file) if file else None
        if type_name == "Summary":
            summary = await summaries_service.get(session=session, organization_id=org, summary_id=key)
            return SummaryType.from_model(summary) if summary else None
        if type_name == "Finding":
            finding = await findings_service.get(session=session, organization_id=org, finding_id=key)
            return FindingType.from_model(finding) if finding else None
        if type_name == "Notification":
            note = await notifications_service.get(
                session=session, organization_id=org, user_id=ctx.user.user_id, notification_id=key
            )
            return NotificationType.from_model(note) if note else None
        if type_name == "Job":
            job = await jobs_service.get(session=session, organization_id=org, job_id=key)
            return JobType.from_model(job) if job else None
        user = await auth_service.get_user(session=session, user_id=key)
        visible = user is not None and user.organization_id == org
        return UserType.from_model(user) if user and visible else None
