"""Typed API errors, raised where the rule lives; pbxapi.api.errors renders them, once.

Body shape: {"error": <code>, "message": <text>} plus "field" when one
parameter or body field is at fault.
"""

class ApiError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def body(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


class BadRequest(ApiError):
    status_code = 400
    code = "bad_request"


class CredentialsInvalid(ApiError):
    status_code = 401
    code = "credentials_invalid"


class TokenExpired(ApiError):
    status_code = 401
    code = "expired"


class AccessDenied(ApiError):
    status_code = 403
    code = "access_denied"


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class TooManyRequests(ApiError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(ApiError):
    """A service we depend on (the SIP server) does not answer: a passing state."""

    status_code = 503
    code = "unavailable"
