"""HTTP layer of the employee resource and its machine-to-machine tokens."""

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from pbxapi.api.deps import ScopeDep, SessionDep, allowed_for
from pbxapi.api.params import CustomerParam, FilterParam, Offset, QueryBool, limit_param
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.db.textsearch import split_terms
from pbxapi.employees import schemas, service

router = APIRouter(prefix="/employee", tags=["Employees"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.EMPLOYEE)
token_may = allowed_for(Resource.MACHINE_TOKEN)

EmployeeLimit = limit_param(maximum=500, default=100)
TokenPath = Annotated[str, Path(max_length=512, description="The token to remove.")]


@router.get(
    "",
    response_model=schemas.EmployeeList,
    summary="List a customer's employees",
    responses=error_responses(400, 401, 403, 404),
)
def list_employees(
    session: SessionDep,
    _: may.list,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: EmployeeLimit = 100,
    filter: FilterParam = None,  # the documented parameter name
    full: Annotated[QueryBool, Field(description="True for title, department, language.")] = False,
    customer: CustomerParam = None,
) -> schemas.EmployeeList:
    """Filter terms are matched against name, emailAddress, title and department."""
    total, employees = service.list_employees(
        session, scope, customer=customer, terms=split_terms(filter), offset=offset, limit=limit,
    )  # fmt: skip
    present = schemas.to_wire_full if full else schemas.to_wire
    return schemas.EmployeeList(
        offset=offset, limit=limit, total=total,
        employees=[present(employee) for employee in employees],
    )  # fmt: skip


@router.get(
    "/{id}",
    response_model=schemas.EmployeeFull,
    summary="Get an employee",
    responses=error_responses(400, 401, 403, 404),
)
def get_employee(
    session: SessionDep, _: may.read, scope: ScopeDep, id: IdIn
) -> schemas.EmployeeFull:
    """PERSONAL callers may get only themselves."""
    return schemas.to_wire_full(service.get_employee(session, scope, id))


@router.post(
    "",
    response_model=schemas.EmployeeFull,
    summary="Create an employee",
    responses=error_responses(400, 401, 403, 404, 409),
)
def create_employee(
    session: SessionDep, _: may.create, scope: ScopeDep, body: schemas.EmployeeCreate
) -> schemas.EmployeeFull:
    return schemas.to_wire_full(service.create_employee(session, scope, body))


@router.post(
    "/{id}",
    response_model=schemas.EmployeeFull,
    summary="Change an employee (any subset of its fields)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_employee(
    session: SessionDep, _: may.update, scope: ScopeDep, id: IdIn, body: schemas.EmployeeUpdate
) -> schemas.EmployeeFull:
    """MANAGER and above change employees up to their own level; everyone may change their
    own name, language and password. A new password ends the employee's other logins;
    DISABLED or DELETED ends all of the employee's tokens."""
    return schemas.to_wire_full(service.update_employee(session, scope, id, body))


@router.delete(
    "/{id}",
    response_model=Success,
    summary="Delete an employee; its extensions stay, without an employee",
    responses=error_responses(400, 401, 403, 404, 409),
)
def delete_employee(session: SessionDep, _: may.delete, scope: ScopeDep, id: IdIn) -> Success:
    service.delete_employee(session, scope, id)
    return Success()


@router.post(
    "/{id}/token",
    response_model=schemas.MachineToken,
    summary="Make a machine-to-machine token acting with the employee's access",
    responses=error_responses(400, 401, 403, 404, 409),
)
def create_machine_token(
    session: SessionDep, _: token_may.create, scope: ScopeDep, id: IdIn
) -> schemas.MachineToken:
    """The token never expires; it is shown once."""
    return schemas.MachineToken(token=service.create_machine_token(session, scope, id))


@router.delete(
    "/{id}/token/{token}",
    response_model=Success,
    summary="Remove one of the employee's tokens",
    responses=error_responses(400, 401, 403, 404),
)
def delete_machine_token(
    session: SessionDep, _: token_may.delete, scope: ScopeDep, id: IdIn, token: TokenPath
) -> Success:
    service.delete_machine_token(session, scope, id, token)
    return Success()
