"""Wire-format pieces shared by every resource."""

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from pbxapi.errors import BadRequest
from pbxapi.ids import ID_PATTERN, normalize_id


class WireModel(BaseModel):
    """Field names are the documentation's (camelCase); `_id` is spelt through an alias."""

    model_config = ConfigDict(populate_by_name=True)


class ErrorBody(BaseModel):
    error: str = Field(description="Short error code, e.g. bad_request, access_denied.")
    message: str
    field: str | None = Field(None, description="The parameter or body field at fault.")


def error_responses(*statuses: int) -> dict[int | str, dict]:
    descriptions = {
        400: "Bad request: a parameter is invalid (see `field`).",
        401: "No valid token: credentials_invalid or expired.",
        403: "access_denied: insufficient access level or customer out of reach.",
        404: "not_found",
        409: "Conflict with the current state.",
        500: "internal_error",
        503: "unavailable: a service this depends on does not answer; retry shortly.",
    }
    return {
        status: {"model": ErrorBody, "description": descriptions[status]} for status in statuses
    }


def _walk_rejecting_nul(value: Any, path: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _walk_rejecting_nul(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_rejecting_nul(item, f"{path}[{index}]")
    elif isinstance(value, str) and "\x00" in value:
        # Not a ValueError: pydantic would lose the field's path.
        raise BadRequest(f"{path}: must not contain NUL characters", field=path or None)


class WriteModel(BaseModel):
    """A request body: unknown and read-only fields are refused (400 naming the field)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_anywhere(cls, data: Any) -> Any:
        _walk_rejecting_nul(data)
        return data

    def sent(self) -> dict:
        """The fields the client sent, nested objects included only as far as sent."""
        return self.model_dump(exclude_unset=True)


# An id in a request: 24 hex characters in any case, handled in lower case.
IdIn = Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(normalize_id)]


class Success(BaseModel):
    success: bool = True
