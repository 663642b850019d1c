"""Rules for text that clients send."""

from typing import Any


def reject_nul(value: Any) -> Any:
    """NUL cannot be stored in PostgreSQL text and has no business in any field."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value
