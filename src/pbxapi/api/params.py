"""Query parameter types shared by the list endpoints (one definition, one behaviour)."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from pbxapi.api.schemas import NO_NUL_PATTERN
from pbxapi.api.text import reject_nul
from pbxapi.db.textsearch import split_terms
from pbxapi.ids import ID_PATTERN

# OFFSET is a 64-bit integer in SQL; past 2**31 no list holds anything anyway.
MAX_OFFSET = 2**31 - 1
MAX_FILTER_LENGTH = 200

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def _parse_bool(value: object) -> object:
    """Only true/false/1/0, in any case: "yes" or "on" are mistakes, not booleans."""
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("must be true, false, 1 or 0")
    return value


def _parse_integer(value: object) -> object:
    """Plain decimal digits only: no sign, no spaces, no "1e3", "0x10" or "1_000"."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number")
    return int(value) if isinstance(value, str) else value


QueryBool = Annotated[bool, BeforeValidator(_parse_bool)]


def query_int(minimum: int, maximum: int, description: str):
    # Field before BeforeValidator: FastAPI then publishes minimum/maximum in OpenAPI.
    return Annotated[
        int,
        Field(ge=minimum, le=maximum, description=description),
        BeforeValidator(_parse_integer),
    ]


Offset = query_int(0, MAX_OFFSET, "Index of the first item to return.")
CustomerParam = Annotated[
    str | None,
    Field(
        pattern=ID_PATTERN,
        description="Id of the customer to list for; the caller's own customer by default.",
    ),
]
FilterParam = Annotated[
    str | None,
    Field(
        max_length=MAX_FILTER_LENGTH,
        description="Search terms separated by white space; every term must match.",
        json_schema_extra={"pattern": NO_NUL_PATTERN},  # documented; reject_nul checks it
    ),
    AfterValidator(reject_nul),
]


def limit_param(maximum: int, default: int):
    """`limit` differs per resource (SIP phones 1..1000, employees 1..500, ...)."""
    return query_int(1, maximum, f"Items to return, 1 to {maximum} (default {default}).")


class PageQuery(BaseModel):
    """The query of a list page: where it starts and how many items it has. Each list
    declares `limit` again, with its own bounds and default (limit_param); the parameters
    are published in the order of the fields."""

    offset: Offset = 0
    limit: int


class SearchQuery(PageQuery):
    """The query of a list page that free-text terms narrow."""

    filter: FilterParam = None  # the documented parameter name

    @property
    def terms(self) -> list[str]:
        """The filter's terms, each to be found in some searched column."""
        return split_terms(self.filter)
