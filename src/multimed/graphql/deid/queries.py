"""anonymizeText: the anonymization test."""

from __future__ import annotations

import asyncio

import strawberry

from multimed.auth.policy import Permission
from multimed.deid import service as deid_service
from multimed.graphql.context import Info
from multimed.graphql.deid.types import AnonymizedText
from multimed.graphql.permissions import needs


@strawberry.type
class DeidQueries:
    @strawberry.field(
        description="De-identify a text with the configured policy; nothing is stored.",
        extensions=needs(Permission.ANONYMIZE_TEST),
    )
    async def anonymize_text(self, info: Info, text: str) -> AnonymizedText:
        runtime = info.context.runtime
        detector = await runtime.phi_detector()
        result = await asyncio.to_thread(
            deid_service.anonymize_test, text, detector=detector, policy=runtime.deid_policy
        )
        return AnonymizedText.from_result(result)
