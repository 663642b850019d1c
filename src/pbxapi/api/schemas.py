"""Wire-format pieces shared by every resource."""

from pydantic import BaseModel, ConfigDict, Field


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
    }
    return {
        status: {"model": ErrorBody, "description": descriptions[status]} for status in statuses
    }
