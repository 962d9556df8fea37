"""Upload and file failures; messages name the rule broken, never the content."""

from multimed.core.errors import DomainError, NotFound


class UnsupportedFileType(DomainError):
    code = "unsupported_file_type"
    status = 415


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413

    def __init__(self, kind: str, limit: int) -> None:
        super().__init__(f"{kind} files may be at most {limit} bytes")
        self.limit = limit


class FileNotFound(NotFound):
    code = "file_not_found"

    def __init__(self) -> None:
        super().__init__("file not found")


class DeidentifiedUnavailable(NotFound):
    code = "deidentified_unavailable"

    def __init__(self) -> None:
        super().__init__("the de-identified variant of this file has not been released yet")
