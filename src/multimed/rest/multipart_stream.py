"""A streaming multipart/form-data reader: the one file part is yielded as it arrives, never spooled."""

from __future__ import annotations

from collections.abc import AsyncIterator

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from multimed.core.errors import InvalidInput

MAX_FIELD_BYTES = 4096
MAX_FIELDS = 16


class MultipartStream:
    """Parses the request body incrementally; text fields are complete once `file_chunks` is exhausted."""

    def __init__(self, request: Request, file_field: str = "file") -> None:
        content_type, params = parse_options_header(request.headers.get("content-type", ""))
        boundary = params.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise InvalidInput("expected multipart/form-data with a boundary", code="bad_request")
        self._request = request
        self._file_field = file_field
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self._saw_file = False
        self._in_file = False
        self._name = ""
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._value = bytearray()
        self._out: list[bytes] = []
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field_cb,
                "on_header_value": self._header_value_cb,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def _part_begin(self) -> None:
        self._headers = {}
        self._value = bytearray()
        self._in_file = False

    def _header_field_cb(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_cb(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = b""
        self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == self._file_field:
            if self._saw_file:
                raise InvalidInput("send exactly one file per upload", code="bad_request")
            self._saw_file = True
            self._in_file = True
            raw = options.get(b"filename")
            self.filename = raw.decode("utf-8", "replace") if raw else None
        elif len(self.fields) >= MAX_FIELDS:
            raise InvalidInput("too many form fields", code="bad_request")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._out.append(data[start:end])
            return
        self._value.extend(data[start:end])
        if len(self._value) > MAX_FIELD_BYTES:
            raise InvalidInput("a form field is too long", code="bad_request")

    def _part_end(self) -> None:
        if not self._in_file:
            self.fields[self._name] = self._value.decode("utf-8", "replace")
        self._in_file = False

    async def file_chunks(self) -> AsyncIterator[bytes]:
        """The file part's bytes as they arrive; InvalidInput when the body is malformed or has no file."""
        try:
            async for chunk in self._request.stream():
                self._parser.write(chunk)
                if self._out:
                    data = b"".join(self._out) if len(self._out) > 1 else self._out[0]
                    self._out.clear()
                    yield data
            self._parser.finalize()
        except FormParserError as exc:
            raise InvalidInput("malformed multipart body", code="bad_request") from exc
        if self._out:
            yield b"".join(self._out)
            self._out.clear()
        if not self._saw_file:
            raise InvalidInput(f"multipart field '{self._file_field}' is required", code="bad_request")
