"""The provisioning service: its own ASGI application on its own port
(`pbxapi serve-provisioning`), so that the management API need not face phones and
provisioning need not face browsers. No OpenAPI description: phones do not read one."""

from fastapi import FastAPI
from sqlalchemy import Engine

from pbxapi.api.errors import install_error_handlers
from pbxapi.config import Settings, get_settings
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.logs import install_redaction
from pbxapi.provisioning.routes import router
from pbxapi.sipphones import iprule


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    country_of: iprule.CountryOf = iprule.country_of_address,
) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.database_url)
    app = FastAPI(title="pbxapi provisioning", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.country_of = country_of
    install_error_handlers(app)
    app.include_router(router)
    install_redaction("pbxapi", "uvicorn.access", "uvicorn.error")
    return app
