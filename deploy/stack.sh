#!/usr/bin/env bash
# The whole stack on this machine (`make stack`): the local PostgreSQL (database `pbxapi`,
# created if missing, migrated, demo data when empty), the pbxapi API on :8000, the
# provisioning service on :8080 and Kamailio on udp :5060.
# Ctrl-C stops everything.
#
# Settings (environment), with their defaults:
#   PBXAPI_DATABASE_URL      postgresql://postgres@127.0.0.1:5432/pbxapi
#   PBXAPI_PORT              8000 (the API, on 127.0.0.1)
#   PBXAPI_INTERNAL_SECRET   a new random secret per run, shared by pbxapi and Kamailio
#   KAMAILIO_SIP_LISTEN      udp:127.0.0.1:5060 (udp:0.0.0.0:5060 for phones on the LAN)
#   KAMAILIO_CONTROL_PORT    5070 (127.0.0.1 only)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

export PBXAPI_DATABASE_URL="${PBXAPI_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/pbxapi}"
export PBXAPI_INTERNAL_SECRET="${PBXAPI_INTERNAL_SECRET:-$("$bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))')}"
export PBXAPI_PORT="${PBXAPI_PORT:-8000}"
export KAMAILIO_CONTROL_PORT="${KAMAILIO_CONTROL_PORT:-5070}"
export PBXAPI_SIP_CONTROL_URL="${PBXAPI_SIP_CONTROL_URL:-http://127.0.0.1:$KAMAILIO_CONTROL_PORT/RPC}"
export PBXAPI_ADMISSION_URL="${PBXAPI_ADMISSION_URL:-http://127.0.0.1:$PBXAPI_PORT/internal/sip/admission}"

command -v kamailio >/dev/null || {
  echo "kamailio is not installed: apt-get install kamailio kamailio-postgres-modules kamailio-utils-modules" >&2
  exit 1
}
if ! pg_isready -q -h 127.0.0.1 -p 5432 && command -v pg_ctlcluster >/dev/null; then
  echo "starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# The database, created when missing (never dropped).
"$bin/python" - <<'PY'
import os
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from pbxapi.db.engine import normalize_url

url = make_url(normalize_url(os.environ["PBXAPI_DATABASE_URL"]))
admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
with admin.connect() as connection:
    exists = connection.execute(
        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
    ).first()
    if not exists:
        print(f"creating database {url.database}")
        connection.execute(text(f'CREATE DATABASE "{url.database}" ENCODING \'UTF8\' TEMPLATE template0'))
admin.dispose()
PY
"$bin/pbxapi" migrate
# Kamailio records the registrations here: no made-up ones.
"$bin/pbxapi" demo --if-empty --without-registrations

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop INT TERM EXIT

"$bin/pbxapi" serve --host 127.0.0.1 --port "$PBXAPI_PORT" &
pids+=($!)
"$bin/pbxapi" serve-provisioning &
pids+=($!)
deploy/kamailio/run &
pids+=($!)

echo "pbxapi http://127.0.0.1:$PBXAPI_PORT, Kamailio ${KAMAILIO_SIP_LISTEN:-udp:127.0.0.1:5060}; Ctrl-C stops"
# Any one of them ending ends the stack.
wait -n
