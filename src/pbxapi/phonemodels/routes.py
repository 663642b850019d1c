"""HTTP layer of the SIP phone model catalogue."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from pbxapi.api.deps import SessionDep, allowed_for
from pbxapi.api.params import FilterParam, Offset, QueryBool, limit_param
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.db.textsearch import split_terms
from pbxapi.phonemodels import schemas, service

router = APIRouter(prefix="/pbx/sipphonemodels", tags=["SIP phone models"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.PHONE_MODEL)

SipPhoneModelLimit = limit_param(maximum=500, default=50)


@router.get(
    "",
    response_model=schemas.SipPhoneModelList,
    summary="List the SIP phone model catalogue",
    responses=error_responses(400, 401, 403),
)
def list_sip_phone_models(
    session: SessionDep,
    _: may.list,
    offset: Offset = 0,
    limit: SipPhoneModelLimit = 50,
    filter: FilterParam = None,  # the documented parameter name
    full: Annotated[QueryBool, Field(description="True to include every field.")] = False,
) -> schemas.SipPhoneModelList:
    """Ordered by brand, model, id. Filter terms are matched against brand, brandName,
    model and description."""
    total, models = service.list_models(
        session, terms=split_terms(filter), full=full, offset=offset, limit=limit
    )
    return schemas.SipPhoneModelList(offset=offset, limit=limit, total=total, sipPhoneModels=models)


@router.get(
    "/{id}",
    response_model=schemas.SipPhoneModelFull,
    summary="Get a SIP phone model (every field)",
    responses=error_responses(400, 401, 403, 404),
)
def get_sip_phone_model(session: SessionDep, _: may.read, id: IdIn) -> schemas.SipPhoneModelFull:
    return service.to_wire_full(service.get_model(session, id))


@router.post(
    "",
    response_model=schemas.SipPhoneModelFull,
    summary="Add a model to the catalogue",
    responses=error_responses(400, 401, 403, 409),
)
def create_sip_phone_model(
    session: SessionDep, caller: may.create, body: schemas.SipPhoneModelCreate
) -> schemas.SipPhoneModelFull:
    return service.to_wire_full(service.create_model(session, caller, body))


@router.post(
    "/{id}",
    response_model=schemas.SipPhoneModelFull,
    summary="Change a model (any subset of its fields)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_sip_phone_model(
    session: SessionDep, caller: may.update, id: IdIn, body: schemas.SipPhoneModelUpdate
) -> schemas.SipPhoneModelFull:
    return service.to_wire_full(service.update_model(session, caller, id, body))


@router.delete(
    "/{id}",
    response_model=Success,
    summary="Remove a model no SIP phone uses",
    responses=error_responses(400, 401, 403, 404, 409),
)
def delete_sip_phone_model(session: SessionDep, caller: may.delete, id: IdIn) -> Success:
    service.delete_model(session, caller, id)
    return Success()
