"""Prints `<biggest customer id> <ADMIN token> <a MAC of that customer>` for bench/http.sh."""

import argparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.bench import bench_admin_token
from pbxapi.db.engine import create_db_engine
from pbxapi.db.tables import SipPhone

parser = argparse.ArgumentParser()
parser.add_argument("--database-url", required=True)
args = parser.parse_args()
engine = create_db_engine(args.database_url)
with Session(engine) as session, session.begin():
    customer_id = session.execute(
        select(SipPhone.customer_id)
        .group_by(SipPhone.customer_id)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar_one()
    mac = session.scalars(
        select(SipPhone.mac_address).where(SipPhone.customer_id == customer_id).limit(1)
    ).one()
    print(customer_id, bench_admin_token(session), mac)
engine.dispose()
