"""HTTP layer of the SIP phone resource: parameters in, wire objects out."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from pbxapi.api.deps import ScopeDep, SessionDep, Viewer
from pbxapi.api.params import CustomerParam, FilterParam, Offset, QueryBool, limit_param
from pbxapi.api.schemas import error_responses
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.textsearch import split_terms
from pbxapi.sipphones import present, queries
from pbxapi.sipphones.schemas import SipPhoneList

router = APIRouter(prefix="/pbx/sipphone", tags=["SIP phones"])

SipPhoneLimit = limit_param(maximum=1000, default=50)


@router.get(
    "",
    response_model=SipPhoneList,
    summary="List a customer's SIP phones",
    responses=error_responses(400, 401, 403, 404, 500),
)
def list_sip_phones(
    session: SessionDep,
    caller: Viewer,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: SipPhoneLimit = 50,
    filter: FilterParam = None,  # the documented parameter name
    full: Annotated[QueryBool, Field(description="True to include all settings.")] = False,
    available: Annotated[
        QueryBool, Field(description="True to list only phones not assigned to an extension.")
    ] = False,
    customer: CustomerParam = None,
) -> SipPhoneList:
    """Filter terms are matched against macAddress, ip.address, handsetAddress, extension
    number, direct number, employee name and notes. With `full=true` each phone carries
    every setting; its SIP `password` is shown to MANAGER and above only."""
    query = queries.PhoneListQuery(
        customer_id=scope.resolve(customer),
        offset=offset,
        limit=limit,
        terms=tuple(split_terms(filter)),
        available=available,
    )
    total, rows = queries.list_phones(session, query)
    registrations = queries.registrations_of(session, [row.SipPhone.sip_username for row in rows])
    if full:
        panels = queries.side_panels_of(session, query.customer_id, [r.SipPhone.id for r in rows])
        show_password = caller.access_level.at_least(AccessLevel.MANAGER)
        phones = [
            present.full(
                row.SipPhone,
                registrations.get(row.SipPhone.sip_username),
                panels[row.SipPhone.id],
                show_password,
            )
            for row in rows
        ]
    else:
        phones = [
            present.normal(*row, registrations.get(row.SipPhone.sip_username)) for row in rows
        ]
    return SipPhoneList(offset=offset, limit=limit, total=total, sipPhones=phones)
