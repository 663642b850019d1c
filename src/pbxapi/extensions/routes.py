"""HTTP layer of the extension resource."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from pbxapi.api.deps import ScopeDep, SessionDep, allowed_for
from pbxapi.api.params import CustomerParam, FilterParam, Offset, limit_param
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.db.textsearch import split_terms
from pbxapi.extensions import schemas, service

router = APIRouter(prefix="/pbx/extension", tags=["Extensions"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.EXTENSION)

ExtensionLimit = limit_param(maximum=1000, default=50)
EmployeeParam = Annotated[IdIn | None, Field(description="Only extensions of this employee.")]
SortParam = Annotated[schemas.ExtensionSort, Field(description="Sort order (default name).")]


@router.get(
    "",
    response_model=schemas.ExtensionList,
    summary="List a customer's extensions",
    responses=error_responses(400, 401, 403, 404),
)
def list_extensions(
    session: SessionDep,
    _: may.list,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: ExtensionLimit = 50,
    filter: FilterParam = None,  # the documented parameter name
    customer: CustomerParam = None,
    employee: EmployeeParam = None,
    sort: SortParam = "name",
) -> schemas.ExtensionList:
    """PERSONAL callers see their own extensions only."""
    total, extensions = service.list_extensions(
        session, scope, customer=customer, employee=employee, terms=split_terms(filter),
        sort=sort, offset=offset, limit=limit,
    )  # fmt: skip
    return schemas.ExtensionList(
        offset=offset, limit=limit, total=total,
        extensions=[schemas.to_wire(extension) for extension in extensions],
    )  # fmt: skip


@router.get(
    "/{id}",
    response_model=schemas.Extension,
    summary="Get an extension",
    responses=error_responses(400, 401, 403, 404),
)
def get_extension(session: SessionDep, _: may.read, scope: ScopeDep, id: IdIn) -> schemas.Extension:
    return schemas.to_wire(service.get_extension(session, scope, id))


@router.post(
    "",
    response_model=schemas.Extension,
    summary="Create an extension",
    responses=error_responses(400, 401, 403, 404, 409),
)
def create_extension(
    session: SessionDep, _: may.create, scope: ScopeDep, body: schemas.ExtensionCreate
) -> schemas.Extension:
    return schemas.to_wire(service.create_extension(session, scope, body))


@router.post(
    "/{id}",
    response_model=schemas.Extension,
    summary="Change an extension (any subset of its fields)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_extension(
    session: SessionDep,
    _: may.update,
    scope: ScopeDep,
    id: IdIn,
    body: schemas.ExtensionUpdate,
) -> schemas.Extension:
    return schemas.to_wire(service.update_extension(session, scope, id, body))


@router.delete(
    "/{id}",
    response_model=Success,
    summary="Delete an extension; its phones become unassigned",
    responses=error_responses(400, 401, 403, 404),
)
def delete_extension(session: SessionDep, _: may.delete, scope: ScopeDep, id: IdIn) -> Success:
    service.delete_extension(session, scope, id)
    return Success()
