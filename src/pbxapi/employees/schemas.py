"""The employee's wire format.

Normal representation (the list without `full`): `_id`, `customer`, `name`, `emailAddress`,
`accessLevel`, `state`. The full representation (GET /employee/ID, create, update and the
list with `full=true`) adds `title`, `department` and `language`. `password` is write-only:
accepted on create and update, never returned.
"""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from pbxapi.api.params import CustomerParam, QueryBool, SearchQuery, limit_param
from pbxapi.api.schemas import IdIn, Page, WireModel, WriteModel, not_blank_text
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from pbxapi.db import tables

EmployeeState = Literal["ENABLED", "DISABLED", "DELETED"]
Language = Literal["da", "en"]

# One "@", no white space, a domain with at least one dot and no empty labels. Deliverability
# is not ours to judge; the address is the login name, so it only has to be unambiguous.
# Neither `@`, control characters nor white space, spelt out rather than as `\s`, whose
# meaning differs between Python, Rust (pydantic-core) and JavaScript regular expressions:
# the published pattern must mean what the check does.
_NOT_IN_EMAIL = r"@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = rf"^[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}.]+(\.[^{_NOT_IN_EMAIL}.]+)+$"


def _lower_within_length(value: str) -> str:
    # Lower-casing can lengthen a string ("İ" becomes two characters): check after it.
    lowered = value.lower()
    if len(lowered) > MAX_EMAIL_LENGTH:
        raise ValueError(f"at most {MAX_EMAIL_LENGTH} characters")
    return lowered


MAX_EMAIL_LENGTH = 254
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_PATTERN),
    AfterValidator(_lower_within_length),
    Field(description="The login name; stored lower case, unique across the system."),
]
Name = not_blank_text(200)
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Password = Annotated[
    str,
    StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH),
    Field(
        description=f"Write-only login password, {MIN_PASSWORD_LENGTH} to "
        f"{MAX_PASSWORD_LENGTH} characters; stored as an argon2id hash, never returned."
    ),
]
AccessLevelField = Annotated[
    AccessLevel, Field(description="Nobody grants a level above their own.")
]


class Employee(WireModel):
    id: str = Field(alias="_id")
    customer: str
    name: str
    emailAddress: str | None
    accessLevel: AccessLevel
    state: EmployeeState


class EmployeeFull(Employee):
    title: str | None
    department: str | None
    language: Language


def to_wire(employee: tables.Employee) -> Employee:
    """The employee's normal wire object."""
    return Employee(
        id=employee.id,
        customer=employee.customer_id,
        name=employee.name,
        emailAddress=employee.email_address,
        accessLevel=AccessLevel(employee.access_level),
        state=employee.state,
    )


def to_wire_full(employee: tables.Employee) -> EmployeeFull:
    """The employee's full wire object."""
    return EmployeeFull(
        **to_wire(employee).model_dump(),
        title=employee.title,
        department=employee.department,
        language=employee.language,
    )


class EmployeeList(Page):
    total: int = Field(description="Employees matching, ignoring offset and limit.")
    employees: list[Employee] | list[EmployeeFull]


class EmployeeQuery(SearchQuery):
    limit: limit_param(maximum=500, default=100) = 100
    full: QueryBool = Field(False, description="True for title, department, language.")
    customer: CustomerParam = None


class EmployeeCreate(WriteModel):
    customer: IdIn | None = Field(None, description="Default: the caller's own customer.")
    name: Name
    emailAddress: EmailAddress | None = None
    accessLevel: AccessLevelField = AccessLevel.PERSONAL
    state: EmployeeState = "ENABLED"
    title: OptionalText | None = None
    department: OptionalText | None = None
    language: Language = "en"
    password: Password | None = None


class EmployeeUpdate(WriteModel):
    """Any subset of the writable fields; `customer` cannot change. Fields that cannot be
    null (name, accessLevel, state, language, password) refuse an explicit null."""

    name: Name = None  # type: ignore[assignment] - absent means unchanged
    emailAddress: EmailAddress | None = None
    accessLevel: AccessLevelField = None  # type: ignore[assignment]
    state: EmployeeState = None  # type: ignore[assignment]
    title: OptionalText | None = None
    department: OptionalText | None = None
    language: Language = None  # type: ignore[assignment]
    password: Password = None  # type: ignore[assignment]


class MachineToken(WireModel):
    success: bool = True
    token: str = Field(description="Shown once: only its SHA-256 digest is stored.")
