"""Exit 0 when the database (PBXAPI_DATABASE_URL) already holds bench data of that size."""

import argparse
import sys

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from pbxapi.config import get_settings
from pbxapi.db.engine import create_db_engine
from pbxapi.db.tables import SipPhone

parser = argparse.ArgumentParser()
parser.add_argument("--phones", type=int, required=True)
args = parser.parse_args()
engine = create_db_engine(get_settings().database_url)
try:
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(SipPhone)).scalar_one()
except SQLAlchemyError:
    count = -1
finally:
    engine.dispose()
sys.exit(0 if count >= args.phones else 1)
