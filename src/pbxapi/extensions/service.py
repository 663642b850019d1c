"""Extensions: the rules and the queries. The customer comes through CustomerScope."""

from datetime import UTC, datetime

from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.caller import Caller
from pbxapi.auth.policy import Operation, Resource
from pbxapi.auth.scope import CustomerScope
from pbxapi.db.integrity import commit
from pbxapi.db.paging import paginate
from pbxapi.db.tables import Employee, Extension, SipPhone
from pbxapi.db.textsearch import every_term_in_some_column
from pbxapi.errors import AccessDenied, BadRequest, Conflict, NotFound
from pbxapi.extensions import schemas
from pbxapi.extensions.repository import SORT_KEYS
from pbxapi.ids import new_id


def to_wire(extension: Extension) -> schemas.Extension:
    return schemas.Extension(
        id=extension.id,
        customer=extension.customer_id,
        number=extension.number,
        name=extension.name,
        direct=extension.direct,
        employee=extension.employee_id,
        notes=extension.notes,
    )


def _with_employee(statement):
    return statement.outerjoin(
        Employee,
        (Employee.customer_id == Extension.customer_id) & (Employee.id == Extension.employee_id),
    )


def list_extensions(
    session: Session,
    scope: CustomerScope,
    *,
    customer: str | None,
    employee: str | None,
    terms: list[str],
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[schemas.Extension]]:
    customer_id = scope.resolve(customer)
    if policy.own_records_only(scope.caller.access_level, Resource.EXTENSION, Operation.LIST):
        if employee not in (None, scope.caller.employee_id):
            raise AccessDenied("you may list your own extensions only", field="employee")
        employee = scope.caller.employee_id
    conditions = [Extension.customer_id == customer_id]
    if employee is not None:
        conditions.append(Extension.employee_id == employee)
    if terms:
        columns = (Extension.number, Extension.name, Extension.direct, Employee.name)
        conditions.append(every_term_in_some_column(terms, columns))
    page = _with_employee(select(Extension)).where(*conditions)
    page = page.order_by(*SORT_KEYS[sort], Extension.id)
    count = _with_employee(select(Extension.id)).where(*conditions)
    total, rows = paginate(session, page, count, offset, limit)
    return total, [to_wire(row.Extension) for row in rows]


def get_extension(session: Session, scope: CustomerScope, extension_id: str) -> Extension:
    """The extension if the caller may see it; 404 otherwise (existence not revealed)."""
    extension = scope.load(Extension, extension_id, "extension")
    caller: Caller = scope.caller
    if policy.own_records_only(caller.access_level, Resource.EXTENSION, Operation.READ) and (
        extension.employee_id != caller.employee_id
    ):
        raise NotFound("extension not found")
    return extension


def _check_employee(session: Session, customer_id: str, employee_id: str | None) -> None:
    if employee_id is None:
        return
    found = session.execute(
        select(Employee.id).where(Employee.customer_id == customer_id, Employee.id == employee_id)
    ).first()
    if found is None:
        raise NotFound("no such employee in this customer", field="employee")


def _check_number_free(
    session: Session, customer_id: str, number: str, except_id: str | None = None
) -> None:
    statement = select(Extension.id).where(
        Extension.customer_id == customer_id, Extension.number == number
    )
    if except_id is not None:
        statement = statement.where(Extension.id != except_id)
    if session.execute(statement).first() is not None:
        raise Conflict("extension number already in use", field="number", code="number")


def create_extension(
    session: Session, scope: CustomerScope, body: schemas.ExtensionCreate
) -> Extension:
    customer_id = scope.resolve(body.customer)
    _check_employee(session, customer_id, body.employee)
    _check_number_free(session, customer_id, body.number)
    extension = Extension(
        id=new_id(),
        customer_id=customer_id,
        number=body.number,
        name=body.name,
        direct=body.direct,
        employee_id=body.employee,
        notes=body.notes,
    )
    session.add(extension)
    _record(session, scope, extension, Action.CREATE, after=_snapshot(extension))
    commit(session)
    return extension


_WIRE_TO_COLUMN = {
    "number": "number",
    "name": "name",
    "direct": "direct",
    "employee": "employee_id",
    "notes": "notes",
}


def _snapshot(extension: Extension) -> dict:
    return audit.snapshot(extension, _WIRE_TO_COLUMN)


def _record(
    session: Session, scope: CustomerScope, target, action: Action, before=None, after=None
):
    audit.record_write(
        session, scope.caller, ResourceType.EXTENSION, target, action, before=before, after=after
    )


def update_extension(
    session: Session, scope: CustomerScope, extension_id: str, body: schemas.ExtensionUpdate
) -> Extension:
    extension = get_extension(session, scope, extension_id)
    changes = body.sent()
    before = _snapshot(extension)
    for field in ("number", "name", "notes"):
        if field in changes and changes[field] is None:
            raise BadRequest(f"{field} cannot be null", field=field)
    if "employee" in changes:
        _check_employee(session, extension.customer_id, changes["employee"])
    if "number" in changes:
        _check_number_free(session, extension.customer_id, changes["number"], extension.id)
    for field, value in changes.items():
        setattr(extension, _WIRE_TO_COLUMN[field], value)
    _record(session, scope, extension, Action.UPDATE, before, _snapshot(extension))
    commit(session)
    return extension


def delete_extension(session: Session, scope: CustomerScope, extension_id: str) -> None:
    extension = get_extension(session, scope, extension_id)
    _release_phones(session, scope, extension)
    _record(session, scope, extension, Action.DELETE, before=_snapshot(extension))
    session.delete(extension)
    commit(session)


def _watches(softkey: dict, extension_id: str) -> bool:
    return softkey["function"] == "BLF" and (softkey.get("value") or "").lower() == extension_id


def _release_phones(session: Session, scope: CustomerScope, extension: Extension) -> None:
    """Before the extension goes: its phones stay, unassigned (they show up with
    available=true), and BLF keys watching it, which would point nowhere, go with it.
    Each phone changed is recorded in the audit log. An extension may be watched by
    thousands of phones: they are read in one statement (locked, so that no key added
    meanwhile is lost), written in two batches at most, and recorded in one INSERT."""
    affected = session.execute(
        select(SipPhone.id, SipPhone.customer_id, SipPhone.extension_id, SipPhone.softkeys)
        .where(
            SipPhone.customer_id == extension.customer_id,
            or_(
                SipPhone.extension_id == extension.id,
                # a BLF value is stored as sent, in any case; ids are lower case
                func.lower(cast(SipPhone.softkeys, String)).contains(extension.id),
            ),
        )
        .order_by(SipPhone.id)
        .with_for_update()
    ).all()
    saved_at = datetime.now(UTC).replace(microsecond=0)
    unassigned, watching, changes = [], [], []
    for phone in affected:
        softkeys = [key for key in phone.softkeys if not _watches(key, extension.id)]
        new_extension = None if phone.extension_id == extension.id else phone.extension_id
        if (new_extension, softkeys) == (phone.extension_id, phone.softkeys):
            continue  # the id was only mentioned (a label, another function's value)
        write = {"id": phone.id, "softkeys": softkeys, "config_saved_at": saved_at}
        if new_extension == phone.extension_id:
            # extension_id not written: even unchanged, it fires the search index trigger
            watching.append(write)
        else:
            unassigned.append({**write, "extension_id": new_extension})
        changes.append(audit.Change(
            phone.customer_id, phone.id,
            before={"extension": phone.extension_id, "softkeys": phone.softkeys},
            after={"extension": new_extension, "softkeys": softkeys},
        ))  # fmt: skip
    if unassigned or watching:
        # ORM bulk UPDATE by primary key: one executemany per run of rows writing the
        # same columns, so each kind of write is one run
        session.execute(update(SipPhone), unassigned + watching)
    audit.record_changes(session, scope.caller, ResourceType.SIP_PHONE, changes)
