"""De-identification failures: reasons and counts, never the identifying values."""

from __future__ import annotations

from multimed.core.errors import DomainError


class ReleaseBlocked(DomainError):
    """The release gate found identifiers left after de-identification: nothing is released."""

    code = "deidentification_incomplete"
    status = 422
    # The audit event of the refusal is kept; nothing identifying was written before it.
    keep_writes = True

    def __init__(self, counts: dict[str, int]) -> None:
        summary = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
        super().__init__(
            f"identifiers remained after de-identification ({summary}); the artifact was not released"
        )
        self.counts = counts


class TextTooLong(DomainError):
    code = "text_too_long"
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"text may be at most {limit} characters")
