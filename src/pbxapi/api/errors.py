"""Errors mapped to HTTP, once: typed errors (pbxapi.errors), validation errors, unmatched
routes, database outages and anything unexpected, each answered in the documented shape
{"error", "message", "field"?}; unexpected ones logged without the values they quote."""

import logging
import re
import sqlite3
import traceback

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, NotSupportedError, OperationalError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pbxapi.errors import ApiError, BadRequest, TooManyRequests
from pbxapi.logs import redact

log = logging.getLogger("pbxapi")


def _json(status_code: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status_code, content=body, headers=headers)


async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
    headers = None
    if exc.status_code == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
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


def _database_error(error: BaseException) -> str:
    """What a database error is, without the values it may quote: PostgreSQL's messages
    name duplicate keys and rejected input ("Key (sip_username)=(...)")."""
    diag = getattr(error, "diag", None)
    if diag is not None:  # psycopg
        parts = {"sqlstate": diag.sqlstate, "constraint": diag.constraint_name,
                 "table": diag.table_name, "column": diag.column_name}  # fmt: skip
        return " ".join(f"{key}={value}" for key, value in parts.items() if value)
    if isinstance(error, sqlite3.Error):
        return str(error)  # SQLite's messages name constraints and columns, never values
    return "(message withheld)"


def _message(error: BaseException) -> str:
    if isinstance(error, StatementError):
        # the statement has placeholders only; its parameters are not shown
        return f"{_database_error(error.orig)} [SQL: {error.statement}]"
    if isinstance(error, sqlite3.Error | psycopg.Error):
        return _database_error(error)
    return redact(str(error))


def safe_traceback(exc: BaseException) -> str:
    """A traceback of the exception and its causes, with the frames as usual but each
    exception's message cleaned of values: database errors reduced to codes and names,
    tokens redacted."""
    chain, seen, error = [], set(), exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    lines = []
    for error in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(error.__traceback__))
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: {_message(error)}\n")
    return "".join(lines)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Log the details for operators (never the values in messages); the caller gets no
    # internals.
    log.error("unhandled error on %s %s\n%s", request.method, _route_template(request),
              safe_traceback(exc))  # fmt: skip
    return _json(500, {"error": "internal_error", "message": "internal error"})


class UnexpectedErrors:
    """Answers an unexpected exception with our 500 and logs it as above. (Starlette's
    handler for `Exception` answers too, but then re-raises the exception for the server,
    and uvicorn logs it with its message, values included.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:  # noqa: BLE001 - every unexpected error ends here
            response = await _unexpected_error(Request(scope), exc)
            if not started:  # else the answer is under way and cannot become a 500
                await response(scope, receive, send)


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


async def _not_supported(request: Request, exc: NotSupportedError) -> JSONResponse:
    # A migration changed a column type under statements this connection had prepared:
    # PostgreSQL refuses them once ("cached plan must not change result type"); the
    # request's rollback drops them, so the retry succeeds. Anything else is a bug.
    if "cached plan must not change result type" in str(exc.orig):
        return await _database_unavailable(request, exc)
    return await _unexpected_error(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(NotSupportedError, _not_supported)
    app.add_middleware(UnexpectedErrors)
