"""Builds the FastAPI application."""

import logging

from fastapi import FastAPI
from sqlalchemy import Engine

from pbxapi.config import Settings, get_settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.errors import install_error_handlers
from pbxapi.extensions.routes import router as extension_router
from pbxapi.sipphones.routes import router as sipphone_router


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.database_url)
    app = FastAPI(
        title="pbxapi",
        summary="Management API of a hosted telephone system (PBX)",
        version="0.1.0",
    )
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_error_handlers(app)
    app.include_router(sipphone_router)
    app.include_router(extension_router)
    logging.getLogger("pbxapi").setLevel(settings.log_level.upper())
    return app
