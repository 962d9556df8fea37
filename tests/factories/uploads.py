"""Files uploaded over REST the way a clinician does it."""

from __future__ import annotations

from typing import Any

import httpx

from factories.users import Org
from multimed.auth.models import Role


async def upload(client: httpx.AsyncClient, org: Org, mrn: str, filename: str, data: bytes) -> dict[str, Any]:
    """POST /upload as the org's clinician; the 201 answer (file_id, patient_token, job_id, kind, ...).

    No `logical_name` is sent: the server names the logical file after the filename, so two uploads of one
    filename for one patient are two versions of one file.
    """
    response = await client.post(
        "/upload",
        headers=org.headers(Role.CLINICIAN),
        data={"patient_mrn": mrn},
        files={"file": (filename, data)},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
