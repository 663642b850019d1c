"""Customers: the rules (statements: repository.py). Reach is decided by CustomerScope.

Customers form a tree through `parentReseller`. The rules that keep it a tree live
here: a new parent must not be the customer itself or one of its descendants, and no
customer sits deeper than MAX_RESELLER_DEPTH below its top-level customer, because
CustomerScope's walks stop at that depth (a deeper customer would fall out of reach,
and the cycle check below relies on reaching the top within the bound).
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.scope import MAX_RESELLER_DEPTH, CustomerScope
from pbxapi.customers import repository, schemas
from pbxapi.db.integrity import commit
from pbxapi.db.tables import Customer
from pbxapi.errors import AccessDenied, BadRequest, Conflict, NotFound
from pbxapi.ids import new_id

PARENT = "parentReseller"


_AUDITED = {"name": "name", PARENT: "parent_reseller_id", "state": "state"}


def _events_owner(customer_id: str, parent_id: str | None) -> str:
    """A customer's events belong to the reseller above it, who manages it (and still
    reads them once it is deleted); a top-level customer's to itself."""
    return parent_id or customer_id


def _record(session: Session, scope: CustomerScope, customer: Customer, action: Action,
            before: dict | None = None) -> None:  # fmt: skip
    after = None if action is Action.DELETE else audit.snapshot(customer, _AUDITED)
    owners = [_events_owner(customer.id, customer.parent_reseller_id)]
    if before is not None and after is not None:
        # A move is recorded for the reseller it leaves too, which managed it until now
        # and would otherwise see it vanish from its log without a trace.
        owners.append(_events_owner(customer.id, before[PARENT]))
    for owner in dict.fromkeys(owners):
        audit.record(
            session, scope.caller, customer_id=owner, resource_type=ResourceType.CUSTOMER,
            resource_id=customer.id, action=action, before=before, after=after,
        )  # fmt: skip


def list_customers(
    session: Session, scope: CustomerScope, query: schemas.CustomerQuery
) -> tuple[int, list[Customer]]:
    """(total, the page) of the customers the caller reaches."""
    return repository.customers_page(
        session, scope.reachable_customer_ids(), terms=query.terms, offset=query.offset,
        limit=query.limit,
    )  # fmt: skip


def get_customer(session: Session, scope: CustomerScope, customer_id: str) -> Customer:
    """The customer if the caller reaches it; 404 otherwise (existence not revealed)."""
    return scope.load(Customer, customer_id, "customer")


def _check_parent(
    session: Session, scope: CustomerScope, parent_id: str | None, moving: Customer | None
) -> None:
    """A customer may hang below `parent_id` (None: at the top). `moving` is the customer
    being moved (None on create): it must not end up below itself."""
    if parent_id is None:
        if not policy.may_make_top_level_customers(scope.caller.access_level):
            raise AccessDenied("only an ADMIN makes top-level customers", field=PARENT)
        return  # at the top nothing is above, and nothing below gets deeper
    # Out of reach is 403 whether or not it exists; only an ADMIN learns it does not.
    if not scope.reaches(parent_id):
        raise AccessDenied("parentReseller is outside your access", field=PARENT)
    ancestry = repository.ancestry_of(session, parent_id)
    if not ancestry:
        raise NotFound("parentReseller: no such customer", field=PARENT)
    if moving is not None and any(row_id == moving.id for row_id, _, _ in ancestry):
        raise Conflict(
            "parentReseller cannot be the customer itself or a customer below it",
            field=PARENT,
            code=PARENT,
        )
    _, top_parent, parent_depth = ancestry[-1]
    if top_parent is not None:  # the walk ended before the top: already too deep
        parent_depth = MAX_RESELLER_DEPTH + 1
    height = repository.subtree_height(session, moving.id) if moving is not None else 0
    if parent_depth + 1 + height > MAX_RESELLER_DEPTH:
        raise Conflict(
            f"customers nest at most {MAX_RESELLER_DEPTH} levels below a top-level customer",
            field=PARENT,
            code=PARENT,
        )


def create_customer(
    session: Session, scope: CustomerScope, body: schemas.CustomerCreate
) -> Customer:
    sent = body.sent()
    parent_id = sent[PARENT] if PARENT in sent else scope.caller.customer_id
    repository.lock_tree(session)
    _check_parent(session, scope, parent_id, moving=None)
    customer = Customer(
        id=new_id(),
        name=body.name,
        parent_reseller_id=parent_id,
        state=body.state,
        created_at=datetime.now(UTC),
    )
    repository.add_customer(session, customer)
    _record(session, scope, customer, Action.CREATE)
    commit(session)
    return customer


def update_customer(
    session: Session, scope: CustomerScope, customer_id: str, body: schemas.CustomerUpdate
) -> Customer:
    customer = get_customer(session, scope, customer_id)
    changes = body.sent()
    before = audit.snapshot(customer, _AUDITED)
    for field in ("name", "state"):
        if field in changes and changes[field] is None:
            raise BadRequest(f"{field} cannot be null", field=field)
    # Sending a field's current value is not a change (a client may send back what it read).
    if changes.get(PARENT, customer.parent_reseller_id) == customer.parent_reseller_id:
        changes.pop(PARENT, None)
    if changes.get("state", customer.state) == customer.state:
        changes.pop("state", None)
    if customer.id == scope.caller.customer_id:
        # Nobody moves or blocks their own customer out of the tree above it.
        for field in (PARENT, "state"):
            if field in changes:
                raise AccessDenied(f"you cannot change {field} of your own customer", field=field)
    if PARENT in changes:
        repository.lock_tree(session)
        _check_parent(session, scope, changes[PARENT], moving=customer)
        customer.parent_reseller_id = changes[PARENT]
    if "name" in changes:
        customer.name = changes["name"]
    if "state" in changes:
        customer.state = changes["state"]
    _record(session, scope, customer, Action.UPDATE, before)
    commit(session)
    return customer


def _remaining_records(session: Session, customer_id: str) -> list[str]:
    """Each kind of record the customer still has, as "what (count)"."""
    counts = repository.records_of(session, customer_id)
    return [f"{what} ({count})" for what, count in counts.items() if count]


def delete_customer(session: Session, scope: CustomerScope, customer_id: str) -> None:
    customer = get_customer(session, scope, customer_id)
    if customer.id == scope.caller.customer_id:
        raise AccessDenied("you cannot delete your own customer")
    # Locked like creations, so that no customer is created below it meanwhile.
    repository.lock_tree(session)
    remaining = _remaining_records(session, customer.id)
    if remaining:
        raise Conflict(
            "customer still has " + ", ".join(remaining) + "; remove them first", code="customer"
        )
    _record(session, scope, customer, Action.DELETE, audit.snapshot(customer, _AUDITED))
    repository.delete_customer(session, customer)
    commit(session)
