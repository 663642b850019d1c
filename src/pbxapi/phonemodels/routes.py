"""HTTP layer of the SIP phone model catalogue."""

from fastapi import APIRouter

from pbxapi.api.deps import CallerDep, allowed_for
from pbxapi.api.resource_routes import ResourceRoutes
from pbxapi.auth.policy import Resource
from pbxapi.phonemodels import schemas, service

router = APIRouter(prefix="/pbx/sipphonemodels", tags=["SIP phone models"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.PHONE_MODEL)

# The catalogue is global: reading it takes no caller; a write is recorded as the caller's.
routes = ResourceRoutes(
    router, may, CallerDep, name="sip_phone_model", model=schemas.SipPhoneModelFull,
    to_wire=service.to_wire_full, reads_with_context=False,
)  # fmt: skip
routes.list(
    service.list_models, schemas.SipPhoneModelQuery, schemas.SipPhoneModelList,
    items="sipPhoneModels", brief=service.to_wire,
    summary="List the SIP phone model catalogue", errors=(400, 401, 403),
    doc="""Ordered by brand, model, id. Filter terms are matched against brand, brandName,
    model and description.""",
)  # fmt: skip
routes.get(service.get_model, summary="Get a SIP phone model (every field)")
routes.create(
    service.create_model, schemas.SipPhoneModelCreate,
    summary="Add a model to the catalogue", errors=(400, 401, 403, 409),
)  # fmt: skip
routes.update(
    service.update_model, schemas.SipPhoneModelUpdate,
    summary="Change a model (any subset of its fields)",
)  # fmt: skip
routes.delete(service.delete_model, summary="Remove a model no SIP phone uses")
