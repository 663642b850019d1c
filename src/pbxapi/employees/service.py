"""Employees: the rules (statements: repository.py). The customer comes through CustomerScope.

Who may do what is auth/policy.py's (PERSONAL reads only itself, MANAGER and above manage
employees at or below their own level, granting at most their own level, everyone changes
their own name, language and password). Nobody changes their own state or deletes themself.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.caller import Caller
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import hash_password
from pbxapi.auth.policy import Operation, Resource
from pbxapi.auth.scope import CustomerScope
from pbxapi.auth.tokens import hash_token, issue_token
from pbxapi.db.integrity import commit
from pbxapi.db.tables import Employee
from pbxapi.employees import repository, schemas
from pbxapi.errors import AccessDenied, Conflict, NotFound
from pbxapi.ids import new_id

_WIRE_TO_COLUMN = {
    "name": "name",
    "emailAddress": "email_address",
    "accessLevel": "access_level",
    "state": "state",
    "title": "title",
    "department": "department",
    "language": "language",
}


# The password is recorded only as changed (its hash is a secret too).
_AUDITED = {**_WIRE_TO_COLUMN, "password": "password_hash"}


def _record(
    session: Session, scope: CustomerScope, target, action: Action, before=None, after=None
):
    audit.record_write(
        session, scope.caller, ResourceType.EMPLOYEE, target, action, before=before, after=after
    )


def _snapshot(employee: Employee) -> dict:
    return audit.snapshot(employee, _AUDITED, secrets=("password",))


def list_employees(
    session: Session, scope: CustomerScope, query: schemas.EmployeeQuery
) -> tuple[int, list[Employee]]:
    """(total, the page) of the employees of the customer asked for (the caller's own by
    default)."""
    return repository.employees_page(
        session, scope.resolve(query.customer), terms=query.terms, offset=query.offset,
        limit=query.limit,
    )  # fmt: skip


def get_employee(session: Session, scope: CustomerScope, employee_id: str) -> Employee:
    """The employee if the caller may see it; 404 otherwise (existence not revealed)."""
    employee = scope.load(Employee, employee_id, "employee")
    caller: Caller = scope.caller
    if (
        policy.own_records_only(caller.access_level, Resource.EMPLOYEE, Operation.READ)
        and employee.id != caller.employee_id
    ):
        raise NotFound("employee not found")
    return employee


def _check_may_grant(caller: Caller, level: AccessLevel) -> None:
    if not policy.may_grant(caller.access_level, level):
        raise AccessDenied(
            f"you cannot grant {level.value}, a level above your own", field="accessLevel"
        )


def _check_may_manage(caller: Caller, employee: Employee) -> None:
    refusal = policy.may_manage(caller.access_level, AccessLevel(employee.access_level))
    if refusal is not None:
        raise AccessDenied(refusal)


def _check_email_free(session: Session, email: str | None, except_id: str | None = None) -> None:
    if email is None:
        return
    if repository.email_address_taken(session, email, except_id):
        raise Conflict("e-mail address already in use", field="emailAddress", code="emailAddress")


def create_employee(
    session: Session, scope: CustomerScope, body: schemas.EmployeeCreate
) -> Employee:
    customer_id = scope.resolve(body.customer)
    _check_may_grant(scope.caller, body.accessLevel)
    _check_email_free(session, body.emailAddress)
    employee = Employee(
        id=new_id(),
        customer_id=customer_id,
        name=body.name,
        email_address=body.emailAddress,
        access_level=body.accessLevel.value,
        state=body.state,
        title=body.title,
        department=body.department,
        language=body.language,
        password_hash=hash_password(body.password) if body.password is not None else None,
        created_at=datetime.now(UTC),
    )
    repository.add_employee(session, employee)
    _record(session, scope, employee, Action.CREATE, after=_snapshot(employee))
    commit(session)
    return employee


def _check_self_update(caller: Caller, employee: Employee, changes: dict) -> None:
    field = policy.self_service_refusal(caller.access_level, changes)
    if field is not None:
        raise AccessDenied("you may change only your own name, language and password", field=field)
    # Disabling oneself would lock one out; it takes someone else.
    if "state" in changes and changes["state"] != employee.state:
        raise AccessDenied("you cannot change your own state", field="state")


def update_employee(
    session: Session, scope: CustomerScope, employee_id: str, body: schemas.EmployeeUpdate
) -> Employee:
    caller = scope.caller
    employee = get_employee(session, scope, employee_id)
    changes = body.sent()
    before = _snapshot(employee)
    if employee.id == caller.employee_id:
        _check_self_update(caller, employee, changes)
    else:
        _check_may_manage(caller, employee)
    if "accessLevel" in changes:
        _check_may_grant(caller, changes["accessLevel"])
        changes["accessLevel"] = changes["accessLevel"].value
    if "emailAddress" in changes:
        _check_email_free(session, changes["emailAddress"], employee.id)
    if "password" in changes:
        employee.password_hash = hash_password(changes.pop("password"))
        # Whoever knew the old password is logged out; the request's own token stays.
        repository.delete_tokens(
            session, employee.customer_id, employee.id, kind="LOGIN", keep=caller.token_id
        )
    if changes.get("state", "ENABLED") != "ENABLED":
        # caller.py refuses them anyway; removed, they cannot come back on re-enabling.
        repository.delete_tokens(session, employee.customer_id, employee.id)
    for field, value in changes.items():
        setattr(employee, _WIRE_TO_COLUMN[field], value)
    _record(session, scope, employee, Action.UPDATE, before, _snapshot(employee))
    commit(session)
    return employee


def delete_employee(session: Session, scope: CustomerScope, employee_id: str) -> None:
    employee = get_employee(session, scope, employee_id)
    _check_may_manage(scope.caller, employee)
    if employee.id == scope.caller.employee_id:
        raise Conflict("you cannot delete yourself")
    # Its extensions stay, without an employee, each change recorded (in one INSERT: an
    # employee may have many); its tokens go with it.
    released = repository.release_extensions(session, employee.customer_id, employee.id)
    audit.record_changes(session, scope.caller, ResourceType.EXTENSION, [
        audit.Change(employee.customer_id, extension_id, before={"employee": employee.id},
                     after={"employee": None})
        for extension_id in released
    ])  # fmt: skip
    repository.delete_tokens(session, employee.customer_id, employee.id)
    _record(session, scope, employee, Action.DELETE, before=_snapshot(employee))
    repository.delete_employee(session, employee)
    commit(session)


def create_machine_token(session: Session, scope: CustomerScope, employee_id: str) -> str:
    """A token that never expires and acts with the employee's access."""
    employee = get_employee(session, scope, employee_id)
    _check_may_manage(scope.caller, employee)
    if employee.state != "ENABLED":
        raise Conflict("the employee is not enabled", field="state", code="state")
    if not policy.has_api_access(AccessLevel(employee.access_level)):
        raise Conflict(
            "a NO_LOGIN employee's token would grant nothing", field="accessLevel",
            code="accessLevel",
        )  # fmt: skip
    token = issue_token(session, employee, kind="API")
    _record(session, scope, employee, Action.CREATE_TOKEN)
    commit(session)
    return token


def delete_machine_token(
    session: Session, scope: CustomerScope, employee_id: str, token: str
) -> None:
    employee = get_employee(session, scope, employee_id)
    _check_may_manage(scope.caller, employee)
    if not repository.delete_token(session, employee.customer_id, employee.id, hash_token(token)):
        raise NotFound("no such token for this employee", field="token")
    _record(session, scope, employee, Action.DELETE_TOKEN)
    commit(session)
