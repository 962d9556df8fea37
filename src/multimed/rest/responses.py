"""Error bodies `{"error": {"code", "message"}}` and the handlers that produce them."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from multimed.core.errors import DomainError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the REST shim."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


# An answer given before the request body was read (a 401 from @protected on a large upload) leaves that
# body on the connection; uvicorn (0.54, httptools) then never starts the keep-alive timer and the connection
# stays open for good. Such answers close the connection instead (after reading a small unread body, so the
# close does not reset it: rest/unread_body.py).
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    response = error_response(exc.status, exc.code, exc.message)
    if request.method in _BODY_METHODS:
        response.headers["Connection"] = "close"
    return response


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    # Logged by type only: the message of an unexpected error may quote input.
    log.error("unhandled error", exc_info=exc, extra={"route": request.url.path.split("/")[1:2]})
    return error_response(500, "internal_error", "unexpected error; it has been logged with the request id")
