"""Statements of customers and of their tree (through `parent_reseller_id`)."""

from collections.abc import Sequence

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from pbxapi.auth.repository import ancestry, subtree
from pbxapi.auth.scope import MAX_RESELLER_DEPTH
from pbxapi.db.paging import search_page
from pbxapi.db.tables import Customer, Employee, Extension, SipPhone

# Any constant will do: it names the one advisory lock that tree changes take.
TREE_LOCK_KEY = 0x5042_5843  # "PBXC"


def customers_page(
    session: Session, reachable_ids: Select, *, terms: Sequence[str], offset: int, limit: int
) -> tuple[int, list[Customer]]:
    """(total, the page's customers) of the customers among `reachable_ids` (a SELECT of
    ids) whose name holds every term, in id (creation) order."""
    total, rows = search_page(
        session, select(Customer), Customer.id,
        where=[Customer.id.in_(reachable_ids)], terms=terms, searched=(Customer.name,),
        offset=offset, limit=limit,
    )  # fmt: skip
    return total, [row.Customer for row in rows]


def add_customer(session: Session, customer: Customer) -> None:
    """Add a new customer to the session (inserted by its commit)."""
    session.add(customer)


def delete_customer(session: Session, customer: Customer) -> None:
    """Mark the customer deleted in the session (deleted by its commit)."""
    session.delete(customer)


def lock_tree(session: Session) -> None:
    """Serialize changes to the tree on PostgreSQL: two concurrent moves could each pass
    the cycle check and together form a cycle. Released when the transaction ends.
    (SQLite allows one writer at a time anyway.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TREE_LOCK_KEY})


def ancestry_of(session: Session, customer_id: str) -> list[tuple[str, str | None, int]]:
    """(id, parent id, depth) from the customer up towards its top-level customer,
    at most MAX_RESELLER_DEPTH + 1 steps; empty when the customer does not exist."""
    chain = ancestry(customer_id, MAX_RESELLER_DEPTH + 1)
    rows = session.execute(select(chain).order_by(chain.c.depth)).all()
    return [tuple(row) for row in rows]


def subtree_height(session: Session, customer_id: str) -> int:
    """How many levels of customers hang below this one (0 for a customer without
    children), counted to at most MAX_RESELLER_DEPTH + 1."""
    tree = subtree(customer_id, MAX_RESELLER_DEPTH + 1)
    return session.execute(select(func.max(tree.c.depth))).scalar_one() or 0


def records_of(session: Session, customer_id: str) -> dict[str, int]:
    """How many SIP phones, extensions, employees and customers below it the customer
    has, by those words, in one statement."""
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
    return dict(zip(counted, counts, strict=True))
