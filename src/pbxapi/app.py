"""Builds the FastAPI application."""

import gc
import logging

from fastapi import FastAPI
from sqlalchemy import Engine

from pbxapi.api.errors import install_error_handlers
from pbxapi.audit.routes import router as audit_router
from pbxapi.config import Settings, get_settings
from pbxapi.customers.routes import router as customer_router
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.employees.routes import router as employee_router
from pbxapi.extensions.routes import router as extension_router
from pbxapi.internal import router as internal_router
from pbxapi.login.routes import router as login_router
from pbxapi.logs import install_redaction, install_row_filter
from pbxapi.phonemodels.routes import router as phone_model_router
from pbxapi.sipphones.routes import router as sipphone_router

# Every router the API serves, in routing order.
ROUTERS = (
    sipphone_router,
    extension_router,
    phone_model_router,
    customer_router,
    employee_router,
    login_router,
    audit_router,
    internal_router,
)


def tune_garbage_collector() -> None:
    """A full list page allocates tens of thousands of small containers. With Python's
    default thresholds that sets off collections of the whole heap every few requests
    (measured: p90 of limit=1000&full=true 109 ms -> 54 ms with these settings). The
    objects made at start-up are frozen out of collection; young objects are collected
    less often."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.database_url)
    app = FastAPI(
        title="pbxapi",
        summary="Management API of a hosted telephone system (PBX)",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    logging.getLogger("pbxapi").setLevel(settings.log_level.upper())
    install_redaction("pbxapi", "uvicorn.access", "uvicorn.error")
    install_row_filter()
    tune_garbage_collector()
    return app
