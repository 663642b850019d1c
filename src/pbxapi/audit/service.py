"""Recording audit events, and reading them.

`record(...)` adds one row to the session of the write it records: committed with the
write, rolled back with it. Changes are computed from two `snapshot`s of the record in
wire field names. Secret fields (SIP username and password, a phone's customConfig, an
employee's password) are snapshotted as `Secret`s, which compare by value but are never
written: the row says only `{"changed": true}` for them. A `Secret` cannot be serialised,
so a secret that slipped past this would fail the write rather than be stored.

A write that changes other records besides its target (an extension's delete unassigns its
phones) records an UPDATE event for each of them too, with `record_changes`: one INSERT
for all, however many there are.
"""

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.orm import Session

from pbxapi.audit import repository
from pbxapi.auth.caller import Caller
from pbxapi.auth.scope import CustomerScope
from pbxapi.db.tables import AuditEvent
from pbxapi.ids import new_id

if TYPE_CHECKING:  # the schemas import this module's enums
    from pbxapi.audit.schemas import AuditQuery


class ResourceType(enum.StrEnum):
    SIP_PHONE = "sipphone"
    EXTENSION = "extension"
    EMPLOYEE = "employee"
    CUSTOMER = "customer"
    SIP_PHONE_MODEL = "sipphonemodel"


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESET_CREDENTIALS = "reset_credentials"
    # a WebRTC phone made or handed over (its credentials are in the answer)
    WEBRTC = "webrtc"
    # SIP credentials displayed: GET /pbx/sipphone/ID, a list page with full=true
    SHOW_CREDENTIALS = "show_credentials"
    CREATE_TOKEN = "create_token"  # noqa: S105 - an action name
    DELETE_TOKEN = "delete_token"  # noqa: S105 - an action name


class Secret:
    """A secret field's value in a snapshot: compared, never recorded."""

    __slots__ = ("_value",)

    def __init__(self, value: Any):
        self._value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret(...)"


def snapshot(
    record: object, fields: Mapping[str, str], secrets: Iterable[str] = ()
) -> dict[str, Any]:
    """{wire field: value} of a record, read through {wire field: attribute}; the
    fields named in `secrets` are wrapped so that only a change of them is recorded (a
    null one is plain null: that it is unset is no secret, and no change when it stays so)."""
    secret = set(secrets)
    values = {}
    for wire, attribute in fields.items():
        value = getattr(record, attribute)
        values[wire] = Secret(value) if wire in secret and value is not None else _plain(value)
    return values


def _plain(value: Any) -> Any:
    """A JSON value: dates as ISO 8601 UTC to the second, enums by value, copies of lists."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def changes_between(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """{field: {"old": v, "new": v}} for the fields that differ; a field missing on one side
    (create, delete) or null there is left out of that side. Secrets: {"changed": true}."""
    before, after = before or {}, after or {}
    changes = {}
    for field in [*before, *(field for field in after if field not in before)]:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if isinstance(old, Secret) or isinstance(new, Secret):
            changes[field] = {"changed": True}
            continue
        change = {}
        if old is not None:
            change["old"] = old
        if new is not None:
            change["new"] = new
        changes[field] = change
    return changes


def _actor_columns(actor: Caller | None) -> dict[str, Any]:
    return {
        "actor_employee_id": actor.employee_id if actor else None,
        "actor_customer_id": actor.customer_id if actor else None,
        "actor_access_level": actor.access_level.value if actor else None,
        "actor_token_kind": actor.token_kind if actor else None,
    }


def record(
    session: Session,
    actor: Caller | None,
    *,
    customer_id: str,
    resource_type: ResourceType,
    resource_id: str | None,
    action: Action,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    shown_ids: Sequence[str] | None = None,
    client_address: str | None = None,
) -> AuditEvent:
    """Add one audit event to `session`; it is written by the caller's commit, with the
    write it records, or not at all. `actor` None is the system itself (a phone fetching
    its configuration, the SIP server). `before`/`after` are snapshots (None: the record
    did not exist); `shown_ids` the records a list displayed credentials of;
    `client_address` where a system event came from (a phone fetching its configuration)."""
    has_changes = before is not None or after is not None
    event = AuditEvent(
        id=new_id(),
        customer_id=customer_id,
        occurred_at=datetime.now(UTC),
        **_actor_columns(actor),
        resource_type=ResourceType(resource_type).value,
        resource_id=resource_id,
        action=Action(action).value,
        changes=changes_between(before, after) if has_changes else None,
        shown_ids=list(shown_ids) if shown_ids is not None else None,
        client_address=client_address,
    )
    repository.add_event(session, event)
    return event


class Change(NamedTuple):
    """A record that a write changed besides its target: snapshots of the fields changed."""

    customer_id: str
    resource_id: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


def record_changes(
    session: Session, actor: Caller | None, resource_type: ResourceType, changes: Iterable[Change]
) -> int:
    """An UPDATE event for each changed record, by the write's actor, inserted now in one
    statement (in the write's transaction: committed or rolled back with it). Returns how
    many."""
    now = datetime.now(UTC)
    actor_columns = _actor_columns(actor)
    rows = [
        {
            "id": new_id(),
            "customer_id": change.customer_id,
            "occurred_at": now,
            **actor_columns,
            "resource_type": ResourceType(resource_type).value,
            "resource_id": change.resource_id,
            "action": Action.UPDATE.value,
            "changes": changes_between(change.before, change.after),
            "shown_ids": None,
            "client_address": None,
        }
        for change in changes
    ]
    repository.insert_events(session, rows)
    return len(rows)


def record_write(
    session: Session,
    actor: Caller | None,
    resource_type: ResourceType,
    target: Any,
    action: Action,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """`record` for a tenant-owned record: its id and customer are taken from `target`."""
    return record(
        session, actor, customer_id=target.customer_id, resource_type=resource_type,
        resource_id=target.id, action=action, before=before, after=after,
    )  # fmt: skip


def list_events(
    session: Session, scope: CustomerScope, query: "AuditQuery"
) -> tuple[int, list[AuditEvent]]:
    """(total, the page) of a customer's events (`query.customer`: one the scope reaches,
    None: the caller's own), newest first."""
    return repository.events_page(
        session, scope.resolve(query.customer),
        resource_type=query.resourceType.value if query.resourceType is not None else None,
        resource_id=query.resourceId,
        action=query.action.value if query.action is not None else None,
        offset=query.offset, limit=query.limit,
    )  # fmt: skip
