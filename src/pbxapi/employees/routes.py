"""HTTP layer of the employee resource and its machine-to-machine tokens."""

from typing import Annotated

from fastapi import APIRouter, Path

from pbxapi.api.deps import ScopeDep, SessionDep, allowed_for
from pbxapi.api.resource_routes import ResourceRoutes
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.employees import schemas, service

router = APIRouter(prefix="/employee", tags=["Employees"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.EMPLOYEE)
token_may = allowed_for(Resource.MACHINE_TOKEN)

TokenPath = Annotated[str, Path(max_length=512, description="The token to remove.")]

routes = ResourceRoutes(
    router, may, ScopeDep, name="employee", model=schemas.EmployeeFull,
    to_wire=schemas.to_wire_full,
)  # fmt: skip
routes.list(
    service.list_employees, schemas.EmployeeQuery, schemas.EmployeeList, items="employees",
    brief=schemas.to_wire, summary="List a customer's employees",
    doc="Filter terms are matched against name, emailAddress, title and department.",
)  # fmt: skip
routes.get(
    service.get_employee, summary="Get an employee",
    doc="PERSONAL callers may get only themselves.",
)  # fmt: skip
routes.create(service.create_employee, schemas.EmployeeCreate, summary="Create an employee")
routes.update(
    service.update_employee, schemas.EmployeeUpdate,
    summary="Change an employee (any subset of its fields)",
    doc="""MANAGER and above change employees up to their own level; everyone may change their
    own name, language and password. A new password ends the employee's other logins;
    DISABLED or DELETED ends all of the employee's tokens.""",
)  # fmt: skip
routes.delete(
    service.delete_employee,
    summary="Delete an employee; its extensions stay, without an employee",
)


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
