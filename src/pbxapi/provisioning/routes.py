"""HTTP layer of provisioning: a phone GETs its file by name; everything else is 404."""

from fastapi import APIRouter, Request, Response

from pbxapi import audit
from pbxapi.api.deps import SessionDep, SettingsDep
from pbxapi.audit import Action, ResourceType
from pbxapi.errors import NotFound
from pbxapi.provisioning import service

router = APIRouter()

# One answer for every refusal, whatever the reason (no such file name, no such MAC, a
# model we do not provision, an address the IP rule refuses): it must not tell a prober
# which MACs exist.
NOT_FOUND_MESSAGE = "not found"


@router.get("/{path:path}")
def configuration(path: str, request: Request, session: SessionDep, settings: SettingsDep):
    # The TCP peer. Behind a reverse proxy, run with --forwarded-allow-ips so that uvicorn
    # puts the proxy's X-Forwarded-For here; never trust that header from anyone else.
    client_address = request.client.host if request.client else ""
    configuration = service.configuration_for(
        session,
        settings,
        path,
        client_address,
        request.headers.get("user-agent"),
        request.app.state.country_of,
    )
    if configuration is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    # SIP credentials were just handed out: recorded in this transaction, by the phones'
    # ids and the address (never the body).
    phone_ids = list(configuration.phone_ids)
    audit.record(
        session, None, customer_id=configuration.customer_id,
        resource_type=ResourceType.SIP_PHONE,
        resource_id=phone_ids[0] if len(phone_ids) == 1 else None,
        action=Action.SHOW_CREDENTIALS,
        shown_ids=phone_ids if len(phone_ids) > 1 else None, client_address=client_address,
    )  # fmt: skip
    session.commit()
    return Response(
        configuration.body,
        media_type=configuration.media_type,
        # Credentials: no cache on the way may keep a copy.
        headers={"Cache-Control": "no-store"},
    )
