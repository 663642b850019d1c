"""Statements of access: the caller of a token, the customer tree walked for a caller's
reach, tokens, and the employees and customers the command line and the demo look up or
make."""

from datetime import datetime
from typing import TypeVar

from sqlalchemy import CTE, Row, Select, bindparam, delete, literal, select
from sqlalchemy.orm import Session

from pbxapi.db.tables import ApiToken, Customer, Employee

Record = TypeVar("Record")
# A SELECT of customer ids (one column, `id`), to be used inside another statement.
CustomerIds = Select

_tokens, _employees, _customers = ApiToken.__table__, Employee.__table__, Customer.__table__

# Built once, of the tables' own columns: every request runs it, and a statement of mapped
# attributes, built per call, cost 150 us of Python on SQLite where this one takes 20.
_CALLER_OF_TOKEN = (
    select(
        _tokens.c.id,
        _tokens.c.kind,
        _tokens.c.expires_at,
        _employees.c.id,
        _employees.c.customer_id,
        _employees.c.access_level,
        _employees.c.state,
        _customers.c.state,
    )
    .join_from(
        _tokens,
        _employees,
        (_employees.c.customer_id == _tokens.c.customer_id)
        & (_employees.c.id == _tokens.c.employee_id),
    )
    .join(_customers, _customers.c.id == _employees.c.customer_id)
    .where(_tokens.c.token_hash == bindparam("token_hash"))
)

# Core, built once: every ADMIN request naming a customer runs it (an ORM get cost 88 us of
# Python per call on SQLite, this 26).
_CUSTOMER_EXISTS = select(literal(1)).where(_customers.c.id == bindparam("id"))


# -- the caller ----------------------------------------------------------------------------


def caller_of_token(session: Session, token_hash: str) -> Row | None:
    """(token id, token kind, expires_at, employee id, customer id, access level, employee
    state, customer state) of the token with this digest; None for an unknown token."""
    return session.execute(_CALLER_OF_TOKEN, {"token_hash": token_hash}).one_or_none()


# -- the customer tree ---------------------------------------------------------------------


def customer_exists(session: Session, customer_id: str) -> bool:
    return session.execute(_CUSTOMER_EXISTS, {"id": customer_id}).first() is not None


def record_by_id(session: Session, table: type[Record], record_id: str) -> Record | None:
    """The record of this mapped class with this primary key, or None."""
    return session.get(table, record_id)


def ancestry(customer_id: str, steps: int) -> CTE:
    """(id, parent_reseller_id, depth) from the customer up towards its top-level
    customer, at most `steps` steps up (the bound also stops a walk on a cycle)."""
    chain = (
        select(Customer.id, Customer.parent_reseller_id, literal(0).label("depth"))
        .where(Customer.id == customer_id)
        .cte("chain", recursive=True)
    )
    parent = select(
        Customer.id, Customer.parent_reseller_id, (chain.c.depth + 1).label("depth")
    ).join(chain, Customer.id == chain.c.parent_reseller_id)
    return chain.union_all(parent.where(chain.c.depth < steps))


def is_in_ancestry(session: Session, customer_id: str, ancestor_id: str, steps: int) -> bool:
    """Whether `ancestor_id` is the customer or one of its parents, at most `steps` steps
    up: a walk up from the customer towards the root."""
    chain = ancestry(customer_id, steps)
    found = session.execute(
        select(literal(1)).select_from(chain).where(chain.c.id == ancestor_id)
    ).first()
    return found is not None


def ids_of_every_customer() -> CustomerIds:
    """A SELECT of every customer's id."""
    return select(Customer.id)


def ids_of_customer(customer_id: str) -> CustomerIds:
    """A SELECT of this one id, as `id`."""
    return select(literal(customer_id).label("id"))


def subtree(customer_id: str, steps: int) -> CTE:
    """(id, depth) of the customer and every customer below it through parentReseller
    links, at most `steps` steps down (the bound also stops a walk on a cycle)."""
    tree = (
        select(Customer.id, literal(0).label("depth"))
        .where(Customer.id == customer_id)
        .cte("tree", recursive=True)
    )
    children = select(Customer.id, (tree.c.depth + 1).label("depth")).join(
        tree, Customer.parent_reseller_id == tree.c.id
    )
    return tree.union_all(children.where(tree.c.depth < steps))


def ids_of_subtree(customer_id: str, steps: int) -> CustomerIds:
    """A SELECT of the ids of `subtree(customer_id, steps)`."""
    return select(subtree(customer_id, steps).c.id)


# -- tokens --------------------------------------------------------------------------------


def delete_expired_tokens(
    session: Session, customer_id: str, employee_id: str, now: datetime
) -> None:
    """Deletes the employee's tokens that expired before `now`."""
    session.execute(
        delete(ApiToken).where(
            ApiToken.customer_id == customer_id,
            ApiToken.employee_id == employee_id,
            ApiToken.expires_at < now,
        )
    )


def add_token(session: Session, token: ApiToken) -> None:
    session.add(token)


# -- accounts of the command line and the demo ---------------------------------------------


def employee_by_id(session: Session, employee_id: str) -> Employee | None:
    return session.get(Employee, employee_id)


def employee_by_email(session: Session, email_address: str) -> Employee | None:
    return session.scalars(select(Employee).where(Employee.email_address == email_address)).first()


def first_top_level_customer(session: Session) -> Customer | None:
    """The top-level customer (no parent reseller) with the lowest id, if any."""
    return session.scalars(
        select(Customer).where(Customer.parent_reseller_id.is_(None)).order_by(Customer.id)
    ).first()


def add_customer(session: Session, customer: Customer) -> None:
    session.add(customer)


def add_employee(session: Session, employee: Employee) -> None:
    session.add(employee)
