"""The customer's wire format."""

from typing import Annotated, Literal

from pydantic import Field

from pbxapi.api.params import SearchQuery, limit_param
from pbxapi.api.schemas import IdIn, Page, WireModel, WriteModel, not_blank_text
from pbxapi.db import tables

CustomerState = Literal["ACTIVE", "BLOCKED", "DELETED"]
# A new customer starts ACTIVE or BLOCKED; a DELETED one is made by an update.
NewCustomerState = Literal["ACTIVE", "BLOCKED"]
CustomerName = Annotated[
    not_blank_text(200),
    Field(description="1 to 200 characters; leading and trailing white space is removed."),
]


class Customer(WireModel):
    id: str = Field(alias="_id")
    name: str
    parentReseller: str | None = Field(
        description="Id of the customer above; null only for top-level customers."
    )
    state: CustomerState


def to_wire(customer: tables.Customer) -> Customer:
    """The customer's wire object."""
    return Customer(
        id=customer.id,
        name=customer.name,
        parentReseller=customer.parent_reseller_id,
        state=customer.state,
    )


class CustomerList(Page):
    customers: list[Customer]


class CustomerQuery(SearchQuery):
    limit: limit_param(maximum=500, default=100) = 100


class CustomerCreate(WriteModel):
    name: CustomerName
    # Absent: the caller's own customer. An explicit null (a top-level customer): ADMIN only.
    parentReseller: IdIn | None = Field(None, description="Default: the caller's own customer.")
    state: NewCustomerState = "ACTIVE"


class CustomerUpdate(WriteModel):
    """Any subset of the writable fields."""

    name: CustomerName = None  # type: ignore[assignment] - absent means unchanged
    parentReseller: IdIn | None = None
    state: CustomerState = None  # type: ignore[assignment]
