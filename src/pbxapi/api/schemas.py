"""Wire-format pieces shared by every resource."""

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

from pbxapi.errors import BadRequest
from pbxapi.ids import ID_PATTERN, normalize_id


class WireModel(BaseModel):
    """Field names are the documentation's (camelCase); `_id` is spelt through an alias."""

    model_config = ConfigDict(populate_by_name=True)


class Page(WireModel):
    """A list page: `offset` and `limit` as asked, and the `total` of the items matching,
    ignoring them. Each list adds the field of its items."""

    offset: int
    limit: int
    total: int


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
        429: "too_many_requests: refused for a while; `Retry-After` says how many seconds.",
        500: "internal_error",
        503: "unavailable: a service this depends on does not answer; retry shortly.",
    }
    responses: dict[int | str, dict] = {
        status: {"model": ErrorBody, "description": descriptions[status]} for status in statuses
    }
    if 429 in responses:
        responses[429]["headers"] = {
            "Retry-After": {
                "description": "Seconds until the next attempt is looked at.",
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    return responses


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


# Published on every text input that has no pattern of its own: NUL characters are refused
# everywhere (PostgreSQL cannot store them), and the description says so.
NO_NUL_PATTERN = "^[^\\x00]*$"
# White space as pydantic-core strips it (Unicode White_Space), spelt out: `\s` means
# other things in Python and JavaScript.
_SPACE = r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Text that is stripped and must not be empty then: it holds something besides white space.
NOT_BLANK_PATTERN = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"


def not_blank_text(max_length: int):
    """Text stripped of surrounding white space, 1 to max_length characters after that."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        Field(json_schema_extra={"pattern": NOT_BLANK_PATTERN}),
    ]


def _document_no_nul(schema: Any) -> None:
    """Adds NO_NUL_PATTERN to each string schema in a model's properties (nested models are
    $refs, documented by their own pass)."""
    if isinstance(schema, list):
        for item in schema:
            _document_no_nul(item)
    elif isinstance(schema, dict):
        if schema.get("type") == "string" and not schema.keys() & {"pattern", "format", "enum"}:
            schema["pattern"] = NO_NUL_PATTERN
        for key in ("anyOf", "oneOf", "allOf", "items"):
            _document_no_nul(schema.get(key))


def _write_model_schema(schema: dict, _model: type) -> None:
    for field in schema.get("properties", {}).values():
        _document_no_nul(field)


class WriteModel(BaseModel):
    """A request body: unknown and read-only fields are refused (400 naming the field)."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, json_schema_extra=_write_model_schema
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nul_anywhere(cls, data: Any) -> Any:
        _walk_rejecting_nul(data)
        return data

    def sent(self) -> dict:
        """The fields the client sent, nested objects included only as far as sent."""
        return self.model_dump(exclude_unset=True)


def json_integer(value: Any) -> Any:
    """A whole JSON number: 494 and, as JSON Schema counts integers, 494.0; never a string
    ("494") or a boolean, which a lax integer would take."""
    if isinstance(value, bool | str):
        raise ValueError("must be a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, BeforeValidator(json_integer)]
# true or false only: not 1, "true" or "yes", which a lax boolean would take
JsonBool = StrictBool

# An id in a request: 24 hex characters in any case, handled in lower case.
IdIn = Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(normalize_id)]


class Success(BaseModel):
    success: bool = True
