"""Tokens never reach the logs, even where they travel in a URL."""

import logging

from pbxapi.logs import REDACTED, RedactTokens, redact


def test_redact_replaces_every_token():
    line = "DELETE /employee/abc/token/pbx_AbC-12_xyz HTTP/1.1 and pbx_Q9"
    assert redact(line) == f"DELETE /employee/abc/token/{REDACTED} HTTP/1.1 and {REDACTED}"


def test_the_filter_redacts_uvicorn_access_log_arguments(caplog):
    logger = logging.getLogger("test.access")
    logger.addFilter(RedactTokens())
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info('%s - "%s %s"', "127.0.0.1", "DELETE", "/employee/e/token/pbx_secretToken1")
    assert "pbx_secretToken1" not in caplog.text
    assert REDACTED in caplog.text


def test_the_app_installs_the_filter_on_uvicorn_loggers(app):
    for name in ("uvicorn.access", "uvicorn.error", "pbxapi"):
        assert any(isinstance(f, RedactTokens) for f in logging.getLogger(name).filters)
