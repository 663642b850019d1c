"""HTTP layer of the customer resource."""

from fastapi import APIRouter

from pbxapi.api.deps import ScopeDep, allowed_for
from pbxapi.api.resource_routes import ResourceRoutes
from pbxapi.auth.policy import Resource
from pbxapi.customers import schemas, service

router = APIRouter(prefix="/customer", tags=["Customers"])

# Who may call each route: auth/policy.py.
may = allowed_for(Resource.CUSTOMER)

routes = ResourceRoutes(
    router, may, ScopeDep, name="customer", model=schemas.Customer, to_wire=schemas.to_wire
)
routes.list(
    service.list_customers, schemas.CustomerQuery, schemas.CustomerList, items="customers",
    summary="List the customers the caller reaches", errors=(400, 401, 403),
    doc="""VIEWER to OWNER: their own customer; resellers: their own and every customer below
    it; ADMIN: all. In id (creation) order; `filter` terms match the name.""",
)  # fmt: skip
routes.get(service.get_customer, summary="Get a customer")
# Creating and changing customers is the resellers' business (and the ADMIN's).
routes.create(
    service.create_customer, schemas.CustomerCreate,
    summary="Create a customer (below the caller's own customer by default)",
)  # fmt: skip
routes.update(
    service.update_customer, schemas.CustomerUpdate,
    summary="Change a customer (any subset of its fields)",
    doc="On the caller's own customer only `name` may change.",
)  # fmt: skip
routes.delete(
    service.delete_customer,
    summary="Delete a customer that has no phones, extensions, employees or customers left",
)
