"""The audit log's wire format."""

from datetime import datetime
from typing import Any

from pydantic import Field

from pbxapi.api.params import CustomerParam, PageQuery, limit_param
from pbxapi.api.schemas import IdIn, Page, WireModel
from pbxapi.audit.service import Action, ResourceType
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.tables import AuditEvent


class Actor(WireModel):
    employee: str | None = Field(description="Id of the employee who acted; null: the system.")
    customer: str | None = Field(description="The acting employee's customer.")
    accessLevel: AccessLevel | None
    via: str | None = Field(
        description="LOGIN (a login token) or API (a machine-to-machine token)."
    )
    address: str | None = Field(
        description="Where a system event came from (a phone fetching its configuration)."
    )


class AuditEventOut(WireModel):
    id: str = Field(alias="_id")
    customer: str = Field(description="The customer the record belongs to.")
    at: datetime = Field(description="When, in UTC.")
    actor: Actor
    resourceType: ResourceType
    resourceId: str | None = Field(description="null for a list page (see shownIds).")
    action: Action
    changes: dict[str, dict[str, Any]] | None = Field(
        description='field -> {"old", "new"} in wire names (a side missing: none/null); '
        'secrets (SIP username and password, customConfig, passwords) only {"changed": true}.'
    )
    shownIds: list[str] | None = Field(
        description="The phones a list page showed SIP credentials of."
    )


def to_wire(event: AuditEvent) -> AuditEventOut:
    """The event's wire object."""
    return AuditEventOut(
        id=event.id,
        customer=event.customer_id,
        at=event.occurred_at,
        actor=Actor(
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


class AuditEventList(Page):
    events: list[AuditEventOut]


class AuditQuery(PageQuery):
    limit: limit_param(maximum=500, default=100) = 100
    customer: CustomerParam = None
    resourceType: ResourceType | None = Field(None, description="Only this kind of record.")
    resourceId: IdIn | None = Field(None, description="Only events of this record.")
    action: Action | None = Field(None, description="Only this action.")
