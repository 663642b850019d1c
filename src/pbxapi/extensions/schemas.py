"""The extension's wire format."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pbxapi.api.schemas import IdIn, WireModel, WriteModel
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


class ExtensionList(WireModel):
    offset: int
    limit: int
    total: int
    extensions: list[Extension]


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
