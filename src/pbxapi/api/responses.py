"""JSON answers serialised once, by pydantic-core, from plain dicts.

Routes that build large answers return `json_response(...)`; their `response_model`
still documents the shape in OpenAPI (FastAPI does not re-validate a Response), and
the tests validate answers against those models."""

from typing import Any

import pydantic_core
from fastapi import Response


def json_response(body: Any, status_code: int = 200) -> Response:
    return Response(
        content=pydantic_core.to_json(body), status_code=status_code, media_type="application/json"
    )
