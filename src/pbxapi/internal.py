"""Endpoints for our own SIP server, not for API clients (left out of the OpenAPI
description). Each request must carry the shared secret (PBXAPI_INTERNAL_SECRET) in
`X-Pbxapi-Internal-Secret`; without a configured secret every request is refused."""

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import StringConstraints

from pbxapi.api.deps import SessionDep, SettingsDep
from pbxapi.api.schemas import Success, WriteModel
from pbxapi.config import Settings
from pbxapi.errors import AccessDenied, CredentialsInvalid
from pbxapi.sipphones.registration import admit_registration


async def require_internal_secret(
    settings: SettingsDep,
    secret: Annotated[str | None, Header(alias="X-Pbxapi-Internal-Secret")] = None,
) -> None:
    if not _secret_matches(settings, secret):
        raise CredentialsInvalid("internal endpoint: missing or wrong shared secret")


def _secret_matches(settings: Settings, secret: str | None) -> bool:
    if not settings.internal_secret or secret is None:
        return False
    return hmac.compare_digest(settings.internal_secret.encode(), secret.encode())


router = APIRouter(
    prefix="/internal", include_in_schema=False, dependencies=[Depends(require_internal_secret)]
)


class AdmissionRequest(WriteModel):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    address: Annotated[str, StringConstraints(min_length=1, max_length=64)]


@router.post("/sip/admission")
def sip_admission(session: SessionDep, body: AdmissionRequest) -> Success:
    """May the (already authenticated) phone register from `address`? 200: yes, and an
    OPEN phone is now LOCKED to it; 403: no, and nothing changed."""
    if not admit_registration(session, body.username, body.address):
        raise AccessDenied("the phone may not register from this address", field="address")
    return Success()
