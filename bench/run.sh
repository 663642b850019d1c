#!/usr/bin/env bash
# make bench: the list benchmark on SQLite and PostgreSQL at operator scale.
# Databases are made once and kept (bench/data/*.db, PostgreSQL pbxapi_bench_<N>);
# `make bench-clean` drops them. Sizes: BENCH_SIZES (default "10000 100000 1000000");
# the largest gets all eight requests, the others requests 1-3 to show scaling.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
sizes="${BENCH_SIZES:-10000 100000 1000000}"
iterations="${BENCH_ITERATIONS:-200}"
admin_url="${PBXAPI_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
largest=$(echo "$sizes" | tr ' ' '\n' | sort -n | tail -n 1)
mkdir -p bench/data

prepare() {  # prepare URL PHONES
  local url="$1" phones="$2"
  PBXAPI_DATABASE_URL="$url" $bin/pbxapi migrate >/dev/null  # kept databases follow the schema
  if PBXAPI_DATABASE_URL="$url" $bin/python -m bench.loaded --phones "$phones"; then return; fi
  echo "# loading $phones phones into $url"
  PBXAPI_DATABASE_URL="$url" $bin/pbxapi bench-data --phones "$phones" \
    --customers $((phones / 100)) --seed 1 | tail -n 3
}

$bin/python -m bench.framework  # the part of every request below that is not SQL work
echo

for phones in $sizes; do
  requests="1,2,3"; [ "$phones" = "$largest" ] && requests="1,2,3,4,5,6,7,8"
  sqlite_url="sqlite:///bench/data/bench-$phones.db"
  database="pbxapi_bench_$phones"
  psql -q "$admin_url" -tc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || psql -q "$admin_url" -c "CREATE DATABASE $database ENCODING 'UTF8' TEMPLATE template0"
  postgres_url="${admin_url%/*}/$database"
  for url in "$sqlite_url" "$postgres_url"; do
    prepare "$url" "$phones"
    $bin/python -m bench.bench --database-url "$url" --iterations "$iterations" --requests "$requests"
    echo
  done
done
