"""Imports every table so `metadata` is complete for Alembic and schema checks."""

from multimed.audit.models import AuditEvent
from multimed.auth.models import Organization, RefreshToken, User
from multimed.core.db import metadata
from multimed.deid.models import DeidReport, Surrogate
from multimed.extraction.models import DicomSummaryRow, ExtractedText
from multimed.files.models import MedicalFile
from multimed.findings.models import FileAnalysis, Finding
from multimed.jobs.models import Job
from multimed.notifications.models import Notification, NotificationAddress, OrganizationSmtp
from multimed.patients.models import Patient
from multimed.summaries.models import Summary, SummaryFinding

__all__ = [
    "AuditEvent",
    "DeidReport",
    "DicomSummaryRow",
    "ExtractedText",
    "FileAnalysis",
    "Finding",
    "Job",
    "MedicalFile",
    "Notification",
    "NotificationAddress",
    "Organization",
    "OrganizationSmtp",
    "Patient",
    "RefreshToken",
    "Summary",
    "SummaryFinding",
    "Surrogate",
    "User",
    "metadata",
]
