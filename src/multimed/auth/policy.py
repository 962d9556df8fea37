"""What each role may do: the single source of truth for permissions (API.md, Roles)."""

from __future__ import annotations

import enum

from multimed.auth.models import Role


class Permission(enum.StrEnum):
    READ_SELF = "read_self"
    READ_PATIENTS = "read_patients"
    LOOKUP_BY_MRN = "lookup_by_mrn"
    READ_FILES = "read_files"
    UPLOAD = "upload"
    DOWNLOAD_ORIGINAL = "download_original"
    SUMMARIZE = "summarize"
    READ_CLINICAL = "read_clinical"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"  # the organization's own configuration (its SMTP server)
    READ_AUDIT = "read_audit"
    ANONYMIZE_TEST = "anonymize_test"


_CLINICAL_READ = {
    Permission.READ_SELF,
    Permission.READ_PATIENTS,
    Permission.READ_FILES,
    Permission.READ_CLINICAL,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.CLINICIAN: frozenset(
        _CLINICAL_READ
        | {
            Permission.LOOKUP_BY_MRN,
            Permission.UPLOAD,
            Permission.DOWNLOAD_ORIGINAL,
            Permission.SUMMARIZE,
            Permission.ANONYMIZE_TEST,
        }
    ),
    Role.ANALYST: frozenset(_CLINICAL_READ | {Permission.ANONYMIZE_TEST}),
    Role.AUDITOR: frozenset({Permission.READ_SELF, Permission.READ_AUDIT}),
}


def allows(role: Role, permission: Permission) -> bool:
    """Whether a role holds a permission."""
    return permission in ROLE_PERMISSIONS[role]
