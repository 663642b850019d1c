"""HTTP layer of provisioning: a phone GETs its file by name; everything else is 404."""

from fastapi import APIRouter, Request, Response

from pbxapi.api.deps import SessionDep, SettingsDep
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
    # AUDIT: SIP credentials were just handed out. The audit log's record(...) belongs
    # here, in this transaction: configuration.customer_id, configuration.phone_ids,
    # client_address; never configuration.body.
    session.commit()
    return Response(
        configuration.body,
        media_type=configuration.media_type,
        # Credentials: no cache on the way may keep a copy.
        headers={"Cache-Control": "no-store"},
    )
