"""HTTP layer of the extension resource."""

from fastapi import APIRouter

from pbxapi.api.deps import ScopeDep, allowed_for
from pbxapi.api.resource_routes import ResourceRoutes
from pbxapi.auth.policy import Resource
from pbxapi.extensions import schemas, service

router = APIRouter(prefix="/pbx/extension", tags=["Extensions"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.EXTENSION)

routes = ResourceRoutes(
    router, may, ScopeDep, name="extension", model=schemas.Extension, to_wire=schemas.to_wire
)
routes.list(
    service.list_extensions, schemas.ExtensionQuery, schemas.ExtensionList, items="extensions",
    summary="List a customer's extensions", doc="PERSONAL callers see their own extensions only.",
)  # fmt: skip
routes.get(service.get_extension, summary="Get an extension")
routes.create(service.create_extension, schemas.ExtensionCreate, summary="Create an extension")
routes.update(
    service.update_extension, schemas.ExtensionUpdate,
    summary="Change an extension (any subset of its fields)",
)  # fmt: skip
routes.delete(
    service.delete_extension,
    summary="Delete an extension; its phones become unassigned",
    errors=(400, 401, 403, 404),
)
