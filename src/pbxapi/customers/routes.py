"""HTTP layer of the customer resource."""

from fastapi import APIRouter

from pbxapi.api.deps import ScopeDep, SessionDep, allowed_for
from pbxapi.api.params import FilterParam, Offset, limit_param
from pbxapi.api.schemas import IdIn, Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.customers import schemas, service
from pbxapi.db.textsearch import split_terms

router = APIRouter(prefix="/customer", tags=["Customers"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.CUSTOMER)

CustomerLimit = limit_param(maximum=500, default=100)
# Creating and changing customers is the resellers' business (and the ADMIN's).


@router.get(
    "",
    response_model=schemas.CustomerList,
    summary="List the customers the caller reaches",
    responses=error_responses(400, 401, 403),
)
def list_customers(
    session: SessionDep,
    _: may.list,
    scope: ScopeDep,
    offset: Offset = 0,
    limit: CustomerLimit = 100,
    filter: FilterParam = None,  # the documented parameter name
) -> schemas.CustomerList:
    """VIEWER to OWNER: their own customer; resellers: their own and every customer below
    it; ADMIN: all. In id (creation) order; `filter` terms match the name."""
    total, customers = service.list_customers(
        session, scope, terms=split_terms(filter), offset=offset, limit=limit,
    )  # fmt: skip
    return schemas.CustomerList(
        offset=offset, limit=limit, total=total,
        customers=[schemas.to_wire(customer) for customer in customers],
    )  # fmt: skip


@router.get(
    "/{id}",
    response_model=schemas.Customer,
    summary="Get a customer",
    responses=error_responses(400, 401, 403, 404),
)
def get_customer(session: SessionDep, _: may.read, scope: ScopeDep, id: IdIn) -> schemas.Customer:
    return schemas.to_wire(service.get_customer(session, scope, id))


@router.post(
    "",
    response_model=schemas.Customer,
    summary="Create a customer (below the caller's own customer by default)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def create_customer(
    session: SessionDep, _: may.create, scope: ScopeDep, body: schemas.CustomerCreate
) -> schemas.Customer:
    return schemas.to_wire(service.create_customer(session, scope, body))


@router.post(
    "/{id}",
    response_model=schemas.Customer,
    summary="Change a customer (any subset of its fields)",
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_customer(
    session: SessionDep, _: may.update, scope: ScopeDep, id: IdIn, body: schemas.CustomerUpdate
) -> schemas.Customer:
    """On the caller's own customer only `name` may change."""
    return schemas.to_wire(service.update_customer(session, scope, id, body))


@router.delete(
    "/{id}",
    response_model=Success,
    summary="Delete a customer that has no phones, extensions, employees or customers left",
    responses=error_responses(400, 401, 403, 404, 409),
)
def delete_customer(session: SessionDep, _: may.delete, scope: ScopeDep, id: IdIn) -> Success:
    service.delete_customer(session, scope, id)
    return Success()
