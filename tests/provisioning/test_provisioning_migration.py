"""0009_configuration_templates: loads the shipped templates from its folder, keeps an
administrator's template on the way up and on the way down."""

from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, update

from harness.databases import throwaway_postgres_database
from pbxapi.db.engine import create_db_engine
from pbxapi.db.migrate import alembic_config, downgrade, upgrade
from pbxapi.db.tables import SipPhoneModel

REVISION = "0009_configuration_templates"
SNOM_D785 = "5e0f00000000000000000001"
YEALINK_T54W = "5e0f00000000000000000009"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'templates.db'}"
    else:
        with throwaway_postgres_database("pbxapi_templates") as url:
            yield url


def templates(url: str) -> dict[str, str | None]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(SipPhoneModel.id, SipPhoneModel.configuration_template)
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def set_template(url: str, model_id: str, template: str | None) -> None:
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(SipPhoneModel)
                .where(SipPhoneModel.id == model_id)
                .values(configuration_template=template)
            )
    finally:
        engine.dispose()


def test_templates_come_and_go_with_the_revision_and_spare_an_administrators(empty_url):
    before = ScriptDirectory.from_config(alembic_config(empty_url)).get_revision(REVISION)
    upgrade(empty_url)
    shipped = templates(empty_url)
    assert shipped[SNOM_D785].startswith('<?xml version="1.0" encoding="utf-8"?>\n<settings>')
    assert shipped[YEALINK_T54W].startswith("#!version:1.0.0.1\n")

    set_template(empty_url, YEALINK_T54W, "mine = %Username%\n")
    downgrade(empty_url, before.down_revision)
    down = templates(empty_url)
    assert down[SNOM_D785] is None
    assert down[YEALINK_T54W] == "mine = %Username%\n"
    assert sum(t is not None for t in down.values()) == 1

    upgrade(empty_url)
    again = templates(empty_url)
    assert again[YEALINK_T54W] == "mine = %Username%\n"
    assert {k: v for k, v in again.items() if k != YEALINK_T54W} == {
        k: v for k, v in shipped.items() if k != YEALINK_T54W
    }
