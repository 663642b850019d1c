"""HTTP layer of the audit log."""

from typing import Annotated

from fastapi import APIRouter, Query

from pbxapi.api.deps import ScopeDep, SessionDep, allowed_for
from pbxapi.api.params import CustomerParam, Offset, limit_param
from pbxapi.api.schemas import error_responses
from pbxapi.audit import schemas, service
from pbxapi.audit.service import Action, ResourceType
from pbxapi.auth.policy import Resource
from pbxapi.db.tables import AuditEvent
from pbxapi.ids import ID_PATTERN, normalize_id

router = APIRouter(prefix="/audit", tags=["Audit log"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.AUDIT_LOG)

AuditLimit = limit_param(maximum=500, default=100)


def to_wire(event: AuditEvent) -> schemas.AuditEventOut:
    return schemas.AuditEventOut(
        id=event.id,
        customer=event.customer_id,
        at=event.occurred_at,
        actor=schemas.Actor(
            employee=event.actor_employee_id,
            customer=event.actor_customer_id,
            accessLevel=event.actor_access_level,
            via=event.actor_token_kind,
            address=event.client_address,
        ),
        resourceType=event.resource_type,
        resourceId=event.resource_id,
        action=event.action,
        changes=event.changes,
        shownIds=event.shown_ids,
    )


@router.get(
    "",
    response_model=schemas.AuditEventList,
    summary="A customer's audit log, newest first",
    responses=error_responses(400, 401, 403, 404),
)
def list_audit_events(
    session: SessionDep,
    _: may.list,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: AuditLimit = 100,
    customer: CustomerParam = None,
    resourceType: Annotated[
        ResourceType | None, Query(description="Only this kind of record.")
    ] = None,
    resourceId: Annotated[
        str | None, Query(pattern=ID_PATTERN, description="Only events of this record.")
    ] = None,
    action: Annotated[Action | None, Query(description="Only this action.")] = None,
) -> schemas.AuditEventList:
    """OWNER and above, for the customers they reach (resellers: those below them too).
    Every write, and every display of SIP credentials, with who, when, which record and
    what changed; never a secret."""
    total, events = service.list_events(
        session, scope, customer=customer, resource_type=resourceType,
        resource_id=normalize_id(resourceId) if resourceId else None, action=action,
        offset=offset, limit=limit,
    )  # fmt: skip
    return schemas.AuditEventList(
        offset=offset, limit=limit, total=total, events=[to_wire(event) for event in events]
    )
