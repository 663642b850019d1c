"""Customers: the rules and the queries. Reach is decided by CustomerScope.

Customers form a tree through `parentReseller`. The rules that keep it a tree live
here: a new parent must not be the customer itself or one of its descendants, and no
customer sits deeper than MAX_RESELLER_DEPTH below its top-level customer, because
CustomerScope's walks stop at that depth (a deeper customer would fall out of reach,
and the cycle check below relies on reaching the top within the bound).
"""

from datetime import UTC, datetime

from sqlalchemy import func, literal, select, text
from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.repository import ancestry
from pbxapi.auth.scope import MAX_RESELLER_DEPTH, CustomerScope
from pbxapi.customers import schemas
from pbxapi.db.integrity import commit
from pbxapi.db.paging import paginate
from pbxapi.db.tables import Customer, Employee, Extension, SipPhone
from pbxapi.db.textsearch import every_term_in_some_column
from pbxapi.errors import AccessDenied, BadRequest, Conflict, NotFound
from pbxapi.ids import new_id

PARENT = "parentReseller"
# Any constant will do: it names the one advisory lock that tree changes take.
TREE_LOCK_KEY = 0x5042_5843  # "PBXC"


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


def to_wire(customer: Customer) -> schemas.Customer:
    return schemas.Customer(
        id=customer.id,
        name=customer.name,
        parentReseller=customer.parent_reseller_id,
        state=customer.state,
    )


def list_customers(
    session: Session, scope: CustomerScope, *, terms: list[str], offset: int, limit: int
) -> tuple[int, list[schemas.Customer]]:
    conditions = [Customer.id.in_(scope.reachable_customer_ids())]
    if terms:
        conditions.append(every_term_in_some_column(terms, (Customer.name,)))
    page = select(Customer).where(*conditions).order_by(Customer.id)
    count = select(Customer.id).where(*conditions)
    total, rows = paginate(session, page, count, offset, limit)
    return total, [to_wire(row.Customer) for row in rows]


def get_customer(session: Session, scope: CustomerScope, customer_id: str) -> Customer:
    """The customer if the caller reaches it; 404 otherwise (existence not revealed)."""
    return scope.load(Customer, customer_id, "customer")


def _lock_tree(session: Session) -> None:
    """Serialize changes to the tree on PostgreSQL: two concurrent moves could each pass
    the cycle check and together form a cycle. Released when the transaction ends.
    (SQLite allows one writer at a time anyway.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TREE_LOCK_KEY})


def _ancestry(session: Session, customer_id: str) -> list[tuple[str, str | None, int]]:
    """(id, parent id, depth) from the customer up towards its top-level customer,
    at most MAX_RESELLER_DEPTH + 1 steps; empty when the customer does not exist."""
    chain = ancestry(customer_id, MAX_RESELLER_DEPTH + 1)
    rows = session.execute(select(chain).order_by(chain.c.depth)).all()
    return [tuple(row) for row in rows]


def _subtree_height(session: Session, customer_id: str) -> int:
    """How many levels of customers hang below this one (0 for a customer without
    children), counted to at most MAX_RESELLER_DEPTH + 1."""
    tree = (
        select(Customer.id, literal(0).label("depth"))
        .where(Customer.id == customer_id)
        .cte("subtree", recursive=True)
    )
    children = select(Customer.id, (tree.c.depth + 1).label("depth")).join(
        tree, Customer.parent_reseller_id == tree.c.id
    )
    tree = tree.union_all(children.where(tree.c.depth <= MAX_RESELLER_DEPTH))
    return session.execute(select(func.max(tree.c.depth))).scalar_one() or 0


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
    ancestry = _ancestry(session, parent_id)
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
    height = _subtree_height(session, moving.id) if moving is not None else 0
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
    _lock_tree(session)
    _check_parent(session, scope, parent_id, moving=None)
    customer = Customer(
        id=new_id(),
        name=body.name,
        parent_reseller_id=parent_id,
        state=body.state,
        created_at=datetime.now(UTC),
    )
    session.add(customer)
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
        _lock_tree(session)
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
    counted = {
        "SIP phones": select(func.count()).where(SipPhone.customer_id == customer_id),
        "extensions": select(func.count()).where(Extension.customer_id == customer_id),
        "employees": select(func.count()).where(Employee.customer_id == customer_id),
        "customers below it": select(func.count()).where(
            Customer.parent_reseller_id == customer_id
        ),
    }
    columns = (query.scalar_subquery() for query in counted.values())
    counts = session.execute(select(*columns)).one()
    return [f"{what} ({count})" for what, count in zip(counted, counts, strict=True) if count]


def delete_customer(session: Session, scope: CustomerScope, customer_id: str) -> None:
    customer = get_customer(session, scope, customer_id)
    if customer.id == scope.caller.customer_id:
        raise AccessDenied("you cannot delete your own customer")
    # Locked like creations, so that no customer is created below it meanwhile.
    _lock_tree(session)
    remaining = _remaining_records(session, customer.id)
    if remaining:
        raise Conflict(
            "customer still has " + ", ".join(remaining) + "; remove them first", code="customer"
        )
    _record(session, scope, customer, Action.DELETE, audit.snapshot(customer, _AUDITED))
    session.delete(customer)
    commit(session)
