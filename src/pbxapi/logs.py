"""Secrets never reach the logs: API tokens travel in some URLs
(DELETE /employee/ID/token/TOKEN), and uvicorn's access log records URLs; SQLAlchemy at
DEBUG logs every result row (SIP credentials, password hashes). Statement parameters are
hidden by the engine (hide_parameters), exception messages by pbxapi.errors."""

import logging
import re

from pbxapi.ids import TOKEN_PREFIX

_TOKEN = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_\-]+")
REDACTED = TOKEN_PREFIX + "[redacted]"


def redact(text: str) -> str:
    return _TOKEN.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install_redaction(*logger_names: str) -> None:
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


class DropResultRows(logging.Filter):
    """SQLAlchemy's engine logger at DEBUG writes each result row: "Row %r"."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


def install_row_filter() -> None:
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, DropResultRows) for f in logger.filters):
        logger.addFilter(DropResultRows())
