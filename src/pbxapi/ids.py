"""Ids: 24 lower-case hex characters, time-ordered like MongoDB ObjectIds; and the
recognisable prefix of API tokens.

Layout (12 bytes): 4-byte Unix time, 5 random bytes drawn once per process,
3-byte counter. Ids made later sort after ids made earlier (to the second), so
ordering by id is ordering by creation, and the id index doubles as a time index.
"""

import itertools
import os
import re
import secrets
import threading
import time

ID_PATTERN = r"^[0-9a-fA-F]{24}$"

# API tokens start with this, so that secret scanners (and our log redaction) find them.
TOKEN_PREFIX = "pbx_"  # noqa: S105 - a prefix, not a secret
_ID_RE = re.compile(ID_PATTERN)

_lock = threading.Lock()
_process_random = secrets.token_bytes(5)
_counter = itertools.count(secrets.randbelow(1 << 24))


def _reseed() -> None:
    # A forked worker must not share the parent's random part and counter.
    global _process_random, _counter
    _process_random = secrets.token_bytes(5)
    _counter = itertools.count(secrets.randbelow(1 << 24))


os.register_at_fork(after_in_child=_reseed)


def new_id(timestamp: float | None = None) -> str:
    seconds = int(time.time() if timestamp is None else timestamp)
    with _lock:
        count = next(_counter) & 0xFFFFFF
    return f"{seconds & 0xFFFFFFFF:08x}{_process_random.hex()}{count:06x}"


def is_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def normalize_id(value: str) -> str:
    """Ids are accepted in any case on input and stored lower case."""
    return value.lower()
