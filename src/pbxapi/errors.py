"""Typed API errors, raised where the rule lives and rendered in one handler.

Body shape: {"error": <code>, "message": <text>} plus "field" when one
parameter or body field is at fault.
"""

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("pbxapi")


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


class Unavailable(ApiError):
    """A service we depend on (the SIP server) does not answer: a passing state."""

    status_code = 503
    code = "unavailable"


def _json(status_code: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status_code, content=body, headers=headers)


async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
    headers = None
    if exc.status_code == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    elif exc.status_code == 503:
        headers = {"Retry-After": "1"}
    return _json(exc.status_code, exc.body(), headers)


def _describe(error: dict) -> tuple[str | None, str]:
    # loc is ("query", "limit") or ("body", "softkeys", 0, "index"): drop the source and
    # write the path as the service's own checks do, "softkeys[0].index".
    field = ""
    for part in list(error.get("loc", ()))[1:]:
        if isinstance(part, int):
            field += f"[{part}]"
        else:
            field += f".{part}" if field else str(part)
    field = field or None
    message = error.get("msg", "invalid value").removeprefix("Value error, ")
    return field, message


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    field, message = _describe(errors[0]) if errors else (None, "invalid request")
    if errors and errors[0].get("type") == "extra_forbidden":
        message = "unknown or read-only field"
    return _json(400, BadRequest(f"{field}: {message}" if field else message, field=field).body())


def _allowed_methods(request: Request) -> str:
    """Every method the published OpenAPI description serves at this path. (Starlette
    names only the matched route's methods, but GET and POST of a path are two routes.)"""
    templates = getattr(request.app.state, "path_methods", None)
    if templates is None:
        templates = [
            (re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"),
             {method.upper() for method in operations})
            for path, operations in request.app.openapi()["paths"].items()
        ]  # fmt: skip
        request.app.state.path_methods = templates
    matching = [(pattern, m) for pattern, m in templates if pattern.match(request.url.path)]
    # A literal path (/pbx/sipphone/webrtc) wins over a template that also matches it
    # (/pbx/sipphone/{id}), as it does when routing.
    literal = [m for pattern, m in matching if "[^/]+" not in pattern.pattern]
    methods = set().union(*(literal or [m for _, m in matching]))
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return _json(exc.status_code, {"error": code, "message": str(exc.detail)}, headers or None)


def _route_template(request: Request) -> str:
    """The matched route's template (/employee/{id}/token/{token}), never the concrete path:
    paths can carry secrets (DELETE /employee/ID/token/TOKEN) that must not reach the log."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or "(no route matched)"


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Log the details for operators; the caller gets no internals.
    log.exception("unhandled error on %s %s", request.method, _route_template(request))
    return _json(500, {"error": "internal_error", "message": "internal error"})


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The database is down, restarting or (SQLite) busy past its timeout: a passing
    # state, answered as such so that clients retry; the pool reconnects by itself.
    log.warning("database unavailable on %s %s: %s", request.method, _route_template(request),
                type(getattr(exc, "orig", exc)).__name__)  # fmt: skip
    return _json(
        503,
        {"error": "unavailable", "message": "the database is unavailable, try again shortly"},
        {"Retry-After": "1"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
