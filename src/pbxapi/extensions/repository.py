"""Statements of extensions."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, String, cast, func, or_, select, update
from sqlalchemy.orm import Session

from pbxapi.db.paging import search_page
from pbxapi.db.tables import Employee, Extension, SipPhone
from pbxapi.db.uniqueness import value_taken

# Digit strings sort as numbers: "20" before "100", and "007" as 7 (leading zeros do not
# count, then "007" before "7"). Nulls sort last on both databases (SQLite defaults to first).
_NUMBER_VALUE = func.ltrim(Extension.number, "0")
SORT_KEYS = {
    "number": (func.length(_NUMBER_VALUE), _NUMBER_VALUE, Extension.number),
    "name": (Extension.name,),
    "direct": (Extension.direct.asc().nulls_last(),),
    "employee": (Employee.name.asc().nulls_last(),),
}
SEARCHED_COLUMNS = (Extension.number, Extension.name, Extension.direct, Employee.name)


def _with_employee(statement: Select) -> Select:
    return statement.outerjoin(
        Employee,
        (Employee.customer_id == Extension.customer_id) & (Employee.id == Extension.employee_id),
    )


def extensions_page(
    session: Session,
    customer_id: str,
    *,
    employee_id: str | None,
    terms: Sequence[str],
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[Extension]]:
    """(total, the page's extensions) of the customer's extensions (only the employee's, if
    given) matching every term in their number, name, direct number or employee's name, in
    the order SORT_KEYS[sort] then id. The count keeps the join to the employee, which the
    terms may search."""
    where = [Extension.customer_id == customer_id]
    if employee_id is not None:
        where.append(Extension.employee_id == employee_id)
    total, rows = search_page(
        session, _with_employee(select(Extension)), Extension.id,
        where=where, terms=terms, searched=SEARCHED_COLUMNS, order_by=SORT_KEYS[sort],
        offset=offset, limit=limit,
    )  # fmt: skip
    return total, [row.Extension for row in rows]


def employee_exists(session: Session, customer_id: str, employee_id: str) -> bool:
    """True if the customer has an employee of that id."""
    found = session.execute(
        select(Employee.id).where(Employee.customer_id == customer_id, Employee.id == employee_id)
    ).first()
    return found is not None


def extension_number_taken(
    session: Session, customer_id: str, number: str, except_id: str | None = None
) -> bool:
    """True if another extension of the customer (not `except_id`) has that number."""
    return value_taken(
        session, Extension.id, Extension.customer_id == customer_id, Extension.number == number,
        except_id=except_id,
    )  # fmt: skip


def add_extension(session: Session, extension: Extension) -> None:
    """Add a new extension to the session (inserted by its commit)."""
    session.add(extension)


def delete_extension(session: Session, extension: Extension) -> None:
    """Mark the extension deleted in the session (deleted by its commit)."""
    session.delete(extension)


def phones_mentioning_extension(
    session: Session, customer_id: str, extension_id: str
) -> Sequence[Row]:
    """(id, customer_id, extension_id, softkeys) of the customer's phones assigned to the
    extension or whose softkeys mention its id, by id, locked until the transaction ends
    (so that no key added meanwhile is lost)."""
    return session.execute(
        select(SipPhone.id, SipPhone.customer_id, SipPhone.extension_id, SipPhone.softkeys)
        .where(
            SipPhone.customer_id == customer_id,
            or_(
                SipPhone.extension_id == extension_id,
                # a BLF value is stored as sent, in any case; ids are lower case
                func.lower(cast(SipPhone.softkeys, String)).contains(extension_id),
            ),
        )
        .order_by(SipPhone.id)
        .with_for_update()
    ).all()


def update_phones(session: Session, writes: list[dict]) -> None:
    """Write each dict's columns to the phone of its "id".

    ORM bulk UPDATE by primary key: one executemany per run of dicts writing the same
    columns, so the caller passes each kind of write as one run."""
    session.execute(update(SipPhone), writes)
