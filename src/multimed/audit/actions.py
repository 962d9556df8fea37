"""The closed set of audited actions and outcomes."""

import enum


class Action(enum.StrEnum):
    LOGIN = "auth.login"
    TOKEN_REFRESH = "auth.refresh"
    TOKEN_REUSE = "auth.refresh_reuse"
    UPLOAD = "file.upload"
    DOWNLOAD_ORIGINAL = "file.download_original"
    PERMISSION_DENIED = "access.denied"
    USER_CREATE = "admin.user_create"
    BOOTSTRAP = "admin.bootstrap"
    RELEASE_BLOCKED = "deid.release_blocked"
    ANONYMIZE_TEST = "deid.anonymize_test"
    SUMMARY_REQUEST = "summary.request"
    SMTP_CONFIGURE = "admin.smtp_configure"
    NOTIFY = "notification.send"


class Outcome(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"
    DENIED = "denied"
