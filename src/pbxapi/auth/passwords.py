"""Login passwords, hashed with argon2id (argon2-cffi's defaults: RFC 9106's low-memory
profile, 64 MiB, 3 passes, 4 lanes). Only the hash is stored; it carries its own salt and
parameters, so stronger parameters later apply to new hashes while old ones still verify
(and are re-hashed at the next successful login)."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
# argon2 pre-hashes its input, so length costs nothing; the bound only keeps bodies sane.
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()

# Verified against when an account has no password hash (unknown e-mail, no password set),
# so that a failed login costs the same work whether or not the account exists. Made at
# import time: made on first use, the first such login would take twice as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(32))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches. Always runs exactly one argon2 verification."""
    try:
        matches = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
