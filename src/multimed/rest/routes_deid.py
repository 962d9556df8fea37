"""POST /anonymize/test: de-identify a text and show what was replaced."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from multimed.auth.policy import Permission
from multimed.auth.principal import Principal
from multimed.core.errors import InvalidInput
from multimed.deid import service as deid_service
from multimed.deid.text import DeidentifiedText
from multimed.rest.protected import protected
from multimed.runtime import Runtime


def anonymized_body(result: DeidentifiedText) -> dict[str, object]:
    """The REST shape: offsets are positions in the returned (de-identified) text."""
    return {
        "text": result.text,
        "entities": [
            {
                "type": r.type.value,
                "start": r.start,
                "end": r.end,
                "score": round(r.score, 3),
                "original_start": r.original_start,
                "original_end": r.original_end,
            }
            for r in result.replacements
        ],
    }


@protected(Permission.ANONYMIZE_TEST)
async def anonymize_test(request: Request, runtime: Runtime, principal: Principal) -> Response:
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise InvalidInput('body must be JSON: {"text": "..."}', code="bad_request") from exc
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise InvalidInput("field 'text' (a string) is required", code="bad_request")
    detector = await runtime.phi_detector()
    result = await asyncio.to_thread(
        deid_service.anonymize_test, text, detector=detector, policy=runtime.deid_policy
    )
    return JSONResponse(anonymized_body(result))


routes = [Route("/anonymize/test", anonymize_test, methods=["POST"])]
