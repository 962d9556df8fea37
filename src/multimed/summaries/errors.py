"""Errors of the summaries domain."""

from __future__ import annotations

from multimed.core.errors import DomainError, NotFound


class SummaryNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("summary not found", code="summary_not_found")


class NothingToSummarize(DomainError):
    status = 422

    def __init__(self) -> None:
        super().__init__("the patient has no files to summarize", code="nothing_to_summarize")


class UnknownFiles(DomainError):
    """Some requested file ids are not files of this patient (the count only: ids are not echoed)."""

    status = 422

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} of the requested files are not files of this patient", code="unknown_files"
        )


class FilesNotProcessed(DomainError):
    """A summary waits for its files: some have not finished processing."""

    status = 409

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} of the files have not been processed yet", code="files_not_processed")


class FilesNotAnalyzed(DomainError):
    """Files a summary must state were not analyzed (their processing failed or was cancelled)."""

    status = 409

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} of the files could not be analyzed (their processing failed or was cancelled); "
            "upload them again or summarize without them",
            code="files_not_analyzed",
        )
