"""Extensions: the rules (statements: repository.py). The customer comes through
CustomerScope."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.caller import Caller
from pbxapi.auth.policy import Operation, Resource
from pbxapi.auth.scope import CustomerScope
from pbxapi.db.integrity import commit
from pbxapi.db.tables import Extension
from pbxapi.errors import AccessDenied, BadRequest, Conflict, NotFound
from pbxapi.extensions import repository, schemas
from pbxapi.ids import new_id


def list_extensions(
    session: Session, scope: CustomerScope, query: schemas.ExtensionQuery
) -> tuple[int, list[Extension]]:
    """(total, the page) of the extensions of the customer asked for (the caller's own by
    default), only the employee's if one is given or the caller may see only its own."""
    customer_id = scope.resolve(query.customer)
    employee = query.employee
    if policy.own_records_only(scope.caller.access_level, Resource.EXTENSION, Operation.LIST):
        if employee not in (None, scope.caller.employee_id):
            raise AccessDenied("you may list your own extensions only", field="employee")
        employee = scope.caller.employee_id
    return repository.extensions_page(
        session, customer_id, employee_id=employee, terms=query.terms, sort=query.sort,
        offset=query.offset, limit=query.limit,
    )  # fmt: skip


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
    if not repository.employee_exists(session, customer_id, employee_id):
        raise NotFound("no such employee in this customer", field="employee")


def _check_number_free(
    session: Session, customer_id: str, number: str, except_id: str | None = None
) -> None:
    if repository.extension_number_taken(session, customer_id, number, except_id):
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
    repository.add_extension(session, extension)
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
    repository.delete_extension(session, extension)
    commit(session)


def _watches(softkey: dict, extension_id: str) -> bool:
    return softkey["function"] == "BLF" and (softkey.get("value") or "").lower() == extension_id


def _release_phones(session: Session, scope: CustomerScope, extension: Extension) -> None:
    """Before the extension goes: its phones stay, unassigned (they show up with
    available=true), and BLF keys watching it, which would point nowhere, go with it.
    Each phone changed is recorded in the audit log. An extension may be watched by
    thousands of phones: they are read in one statement (locked, so that no key added
    meanwhile is lost), written in two batches at most, and recorded in one INSERT."""
    affected = repository.phones_mentioning_extension(session, extension.customer_id, extension.id)
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
        # one run of writes per kind: each kind writes the same columns
        repository.update_phones(session, unassigned + watching)
    audit.record_changes(session, scope.caller, ResourceType.SIP_PHONE, changes)
