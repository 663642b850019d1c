"""HTTP layer of the SIP phone resource: parameters in, wire objects out."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Response
from pydantic import Field

from pbxapi.api.deps import ScopeDep, SessionDep, SettingsDep, allowed_for
from pbxapi.api.params import CustomerParam, FilterParam, Offset, QueryBool, limit_param
from pbxapi.api.responses import json_response
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth import policy
from pbxapi.auth.policy import Resource
from pbxapi.db.textsearch import split_terms
from pbxapi.errors import Conflict
from pbxapi.sipphones import inputs, present, queries, service, sipcontrol
from pbxapi.sipphones.schemas import SipPhoneFull, SipPhoneList, WebRtcPhone

router = APIRouter(prefix="/pbx/sipphone", tags=["SIP phones"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.SIP_PHONE)
webrtc_may = allowed_for(Resource.WEBRTC_PHONE)

SipPhoneLimit = limit_param(maximum=1000, default=50)


@router.get(
    "",
    response_model=SipPhoneList,
    summary="List a customer's SIP phones",
    responses=error_responses(400, 401, 403, 404, 500),
)
def list_sip_phones(
    session: SessionDep,
    caller: may.list,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: SipPhoneLimit = 50,
    filter: FilterParam = None,  # the documented parameter name
    full: Annotated[QueryBool, Field(description="True to include all settings.")] = False,
    available: Annotated[
        QueryBool, Field(description="True to list only phones not assigned to an extension.")
    ] = False,
    customer: CustomerParam = None,
) -> Response:
    """Filter terms are matched against macAddress, ip.address, handsetAddress, extension
    number, direct number, employee name and notes. With `full=true` each phone carries
    every setting; its SIP `password` is shown to MANAGER and above only."""
    query = queries.PhoneListQuery(
        customer_id=scope.resolve(customer),
        offset=offset,
        limit=limit,
        terms=tuple(split_terms(filter)),
        available=available,
        full=full,
    )
    page = queries.list_phones(session, query)
    rows, registrations = page.rows, page.registrations
    if full:
        panels = page.side_panels
        show_password = policy.sees_sip_passwords(caller.access_level)
        phones = [
            present.full(row, registrations.get(row.id), panels[row.id], show_password)
            for row in rows
        ]
        # One audit event for the page, naming its phones.
        service.show_credentials(
            session, scope, [row.id for row in rows], query.customer_id, one=False
        )
    else:
        phones = [present.normal(row, registrations.get(row.id)) for row in rows]
    return json_response(
        {"offset": offset, "limit": limit, "total": page.total, "sipPhones": phones}
    )


# Declared before /{id}: "webrtc" would otherwise be taken for an id, and GET or DELETE of
# it answered 400 for a malformed id where 405 (Allow: POST) is right.
@router.api_route("/webrtc", methods=["GET", "DELETE"], include_in_schema=False)
def webrtc_other_methods() -> None:
    raise HTTPException(405, "Method Not Allowed")


@router.post(
    "/webrtc",
    response_model=WebRtcPhone,
    response_model_exclude_none=True,
    summary="Create or update the caller's WebRTC phone",
    responses=error_responses(400, 401, 403, 409),
)
def webrtc_phone(
    session: SessionDep,
    _: webrtc_may.update,
    scope: ScopeDep,
    settings: SettingsDep,
    body: inputs.WebRtcRequest,
) -> WebRtcPhone:
    """The phone is found by `instanceId` on the caller's own extension, or created there.
    v2 clients get one `server`; older clients a list of `servers`."""
    phone, extension = service.webrtc_phone(session, scope, body)
    servers = settings.webrtc_server_list
    return WebRtcPhone(
        id=phone.id,
        server=servers[0] if body.v2 else None,
        servers=None if body.v2 else servers,
        username=phone.sip_username,
        password=phone.sip_password,
        extensionNumber=extension.number,
        extensionName=extension.name,
    )


@router.get(
    "/{id}",
    response_model=SipPhoneFull,
    summary="Get a SIP phone (the full object)",
    responses=error_responses(400, 401, 403, 404),
)
def get_sip_phone(session: SessionDep, _: may.read, scope: ScopeDep, id: IdIn) -> dict:
    """Its SIP `password` is shown to MANAGER and above only. The display of the
    credentials is recorded in the audit log."""
    phone = service.load_phone(session, scope, id)
    answer = service.full_object(session, scope, phone)
    service.show_credentials(session, scope, [phone.id], phone.customer_id, one=True)
    return answer


@router.post(
    "",
    response_model=SipPhoneFull,
    summary="Create a SIP phone",
    responses=error_responses(400, 401, 403, 404, 409),
)
def create_sip_phone(
    session: SessionDep, _: may.create, scope: ScopeDep, body: inputs.SipPhoneCreate
) -> dict:
    """SIP `username` and `password` are generated. On a DECT base (a model with a handset
    capacity above 1) phones sharing the MAC are its handsets, indexed from 0."""
    return service.full_object(session, scope, service.create_phone(session, scope, body))


@router.post(
    "/{id}",
    response_model=SipPhoneFull,
    summary="Change a SIP phone (any subset of its writable fields)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_sip_phone(
    session: SessionDep, _: may.update, scope: ScopeDep, id: IdIn, body: inputs.SipPhoneUpdate
) -> dict:
    return service.full_object(session, scope, service.update_phone(session, scope, id, body))


@router.delete(
    "/{id}",
    response_model=Success,
    summary="Delete a SIP phone",
    responses=error_responses(400, 401, 403, 404),
)
def delete_sip_phone(session: SessionDep, _: may.delete, scope: ScopeDep, id: IdIn) -> Success:
    service.delete_phone(session, scope, id)
    return Success()


@router.get(
    "/{id}/resetcredentials",
    response_model=SipPhoneFull,
    summary="Give the phone a new SIP username and password",
    responses=error_responses(400, 401, 403, 404),
)
def reset_credentials(session: SessionDep, _: may.act, scope: ScopeDep, id: IdIn) -> dict:
    """The old credentials stop working at once."""
    return service.full_object(session, scope, service.reset_credentials(session, scope, id))


def _check_sync(session, scope, settings, phone_id: str, reboot: bool) -> Success:
    phone = service.load_phone(session, scope, phone_id)
    registration = service.registration_of(session, phone)
    if registration is None:
        raise Conflict("the phone is not registered", field="online", code="online")
    # The wait for the phone (seconds, when it does not answer) must not hold a pooled
    # connection: a few slow phones would otherwise starve every other request.
    session.close()
    sipcontrol.send_check_sync(settings, phone.sip_username, registration, reboot)
    return Success()


_CHECK_SYNC_RESPONSES = {
    **error_responses(400, 401, 403, 404, 503),
    409: {
        "model": error_responses(409)[409]["model"],
        "description": "`online`: the phone is not registered, or its registered contact "
        "did not accept the NOTIFY.",
    },
}


def _check_sync_route(action: str, summary: str, reboot: bool) -> None:
    @router.get(
        f"/{{id}}/{action}",
        response_model=Success,
        summary=summary,
        name=action,
        responses=_CHECK_SYNC_RESPONSES,
    )
    def check_sync(
        session: SessionDep, _: may.act, scope: ScopeDep, settings: SettingsDep, id: IdIn
    ) -> Success:
        """Sent through the SIP server to the phone's registered contact; success means
        the phone accepted it."""
        return _check_sync(session, scope, settings, id, reboot)


_check_sync_route("reboot", "Reboot the phone (a check-sync NOTIFY with reboot=true)", True)
_check_sync_route(
    "configreload", "Make the phone fetch its configuration again (a check-sync NOTIFY)", False
)
