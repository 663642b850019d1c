"""The audit log's wire format."""

from datetime import datetime
from typing import Any

from pydantic import Field

from pbxapi.api.schemas import WireModel
from pbxapi.audit.service import Action, ResourceType
from pbxapi.auth.levels import AccessLevel


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


class AuditEventList(WireModel):
    offset: int
    limit: int
    total: int
    events: list[AuditEventOut]
