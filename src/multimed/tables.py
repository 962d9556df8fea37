"""Imports every table so `metadata` is complete for Alembic and schema checks."""

from multimed.audit.models import AuditEvent
from multimed.auth.models import Organization, RefreshToken, User
from multimed.core.db import metadata
from multimed.deid.models import DeidReport, Surrogate
from multimed.extraction.models import DicomSummaryRow, ExtractedText
from multimed.files.models import MedicalFile
from multimed.jobs.models import Job
from multimed.patients.models import Patient

__all__ = [
    "AuditEvent",
    "DeidReport",
    "DicomSummaryRow",
    "ExtractedText",
    "Job",
    "MedicalFile",
    "Organization",
    "Patient",
    "RefreshToken",
    "Surrogate",
    "User",
    "metadata",
]
