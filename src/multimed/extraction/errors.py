"""Why a document could not be read; messages name the rule, never the content."""

from multimed.core.errors import DomainError


class UnreadableDocument(DomainError):
    status = 422


class PdfEncrypted(UnreadableDocument):
    code = "pdf_encrypted"

    def __init__(self) -> None:
        super().__init__("the PDF is password-protected; upload it without a password")


class PdfCorrupt(UnreadableDocument):
    code = "pdf_corrupt"

    def __init__(self) -> None:
        super().__init__("the PDF is damaged and cannot be read")


class PdfHasJavaScript(UnreadableDocument):
    code = "pdf_javascript"

    def __init__(self) -> None:
        super().__init__("the PDF carries JavaScript, which is refused")


class PdfTooManyPages(UnreadableDocument):
    code = "pdf_too_many_pages"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the PDF has more than {limit} pages")
