"""Statements of employees, of their tokens and of the extensions they leave behind."""

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pbxapi.db.paging import search_page
from pbxapi.db.tables import ApiToken, Employee, Extension
from pbxapi.db.uniqueness import value_taken

SEARCHED_COLUMNS = (Employee.name, Employee.email_address, Employee.title, Employee.department)


def employees_page(
    session: Session, customer_id: str, *, terms: Sequence[str], offset: int, limit: int
) -> tuple[int, list[Employee]]:
    """(total, the page's employees) of the customer's employees matching every term in
    their name, e-mail address, title or department, in id order (creation order: paging
    by offset never repeats or skips an employee)."""
    total, rows = search_page(
        session, select(Employee), Employee.id,
        where=[Employee.customer_id == customer_id], terms=terms, searched=SEARCHED_COLUMNS,
        offset=offset, limit=limit,
    )  # fmt: skip
    return total, [row.Employee for row in rows]


def email_address_taken(session: Session, email: str, except_id: str | None = None) -> bool:
    """True if another employee (not `except_id`) has the address, in any customer: the
    address is the login name, unique across the system."""
    return value_taken(session, Employee.id, Employee.email_address == email, except_id=except_id)


def add_employee(session: Session, employee: Employee) -> None:
    """Add a new employee to the session (inserted by its commit)."""
    session.add(employee)


def delete_employee(session: Session, employee: Employee) -> None:
    """Mark the employee deleted in the session (deleted by its commit)."""
    session.delete(employee)


def delete_tokens(
    session: Session,
    customer_id: str,
    employee_id: str,
    *,
    kind: str | None = None,
    keep: str | None = None,
) -> None:
    """Delete the employee's tokens (only those of `kind`, if given), but the token of id
    `keep`."""
    statement = delete(ApiToken).where(
        ApiToken.customer_id == customer_id, ApiToken.employee_id == employee_id
    )
    if kind is not None:
        statement = statement.where(ApiToken.kind == kind)
    if keep is not None:
        statement = statement.where(ApiToken.id != keep)
    session.execute(statement)


def delete_token(session: Session, customer_id: str, employee_id: str, token_hash: str) -> bool:
    """Delete the employee's token of that hash; True if there was one."""
    deleted = session.execute(
        delete(ApiToken).where(
            ApiToken.customer_id == customer_id,
            ApiToken.employee_id == employee_id,
            ApiToken.token_hash == token_hash,
        )
    )
    return deleted.rowcount != 0


def release_extensions(session: Session, customer_id: str, employee_id: str) -> Sequence[str]:
    """Take the employee off its extensions, in one statement; the ids of those extensions."""
    return session.scalars(
        update(Extension)
        .where(Extension.customer_id == customer_id, Extension.employee_id == employee_id)
        .values(employee_id=None)
        .returning(Extension.id)
    ).all()
