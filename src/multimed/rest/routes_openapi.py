"""GET /openapi.json: the REST shim's OpenAPI 3.1 document (public: it describes, it holds no data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from multimed.rest.openapi import build_openapi
from multimed.runtime import Runtime


async def openapi(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    document = getattr(request.app.state, "openapi", None)
    if document is None:  # built once per app, on first request
        document = build_openapi(server_url=runtime.settings.public_url)
        request.app.state.openapi = document
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})


routes = [Route("/openapi.json", openapi, methods=["GET"])]
