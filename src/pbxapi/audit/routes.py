"""HTTP layer of the audit log."""

from fastapi import APIRouter

from pbxapi.api.deps import ScopeDep, allowed_for
from pbxapi.api.resource_routes import ResourceRoutes
from pbxapi.audit import schemas, service
from pbxapi.auth.policy import Resource

router = APIRouter(prefix="/audit", tags=["Audit log"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.AUDIT_LOG)

routes = ResourceRoutes(router, may, ScopeDep, name="audit_event", to_wire=schemas.to_wire)
routes.list(
    service.list_events, schemas.AuditQuery, schemas.AuditEventList, items="events",
    summary="A customer's audit log, newest first",
    doc="""OWNER and above, for the customers they reach (resellers: those below them too).
    Every write, and every display of SIP credentials, with who, when, which record and
    what changed; never a secret.""",
)  # fmt: skip
