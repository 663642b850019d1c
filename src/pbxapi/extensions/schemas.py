"""The extension's wire format."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pbxapi.api.params import CustomerParam, SearchQuery, limit_param
from pbxapi.api.schemas import IdIn, Page, WireModel, WriteModel
from pbxapi.db import tables

ExtensionNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,16}$"),
    Field(description="Digits, unique per customer."),
]
E164 = Annotated[
    str,
    StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$"),
    Field(description="Public number in E.164, e.g. +4570305050."),
]
Name = Annotated[str, StringConstraints(max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=10_000)]
ExtensionSort = Literal["number", "name", "direct", "employee"]


class Extension(WireModel):
    id: str = Field(alias="_id")
    customer: str
    number: str
    name: str
    direct: str | None
    employee: str | None = Field(description="Id of the employee the extension belongs to.")
    notes: str


def to_wire(extension: tables.Extension) -> Extension:
    """The extension's wire object."""
    return Extension(
        id=extension.id,
        customer=extension.customer_id,
        number=extension.number,
        name=extension.name,
        direct=extension.direct,
        employee=extension.employee_id,
        notes=extension.notes,
    )


class ExtensionList(Page):
    extensions: list[Extension]


class ExtensionQuery(SearchQuery):
    limit: limit_param(maximum=1000, default=50) = 50
    customer: CustomerParam = None
    employee: IdIn | None = Field(None, description="Only extensions of this employee.")
    sort: ExtensionSort = Field("name", description="Sort order (default name).")


class ExtensionCreate(WriteModel):
    customer: IdIn | None = Field(None, description="Default: the caller's own customer.")
    number: ExtensionNumber
    name: Name = ""
    direct: E164 | None = None
    employee: IdIn | None = None
    notes: Notes = ""


class ExtensionUpdate(WriteModel):
    """Any subset of the writable fields."""

    number: ExtensionNumber = None  # type: ignore[assignment] - absent means unchanged
    name: Name = None  # type: ignore[assignment]
    direct: E164 | None = None
    employee: IdIn | None = None
    notes: Notes = None  # type: ignore[assignment]
