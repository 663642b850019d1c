#!/usr/bin/env bash
# Over HTTP: `pbxapi serve` with 2 workers on loopback, driven by wrk (bounded runs) for
# requests 1 (default page), 2 (MAC fragment) and 5 (limit=1000&full=true) of bench.py.
# Prints requests per second, latency percentiles, errors, and the workers' memory.
#   bench/http.sh DATABASE_URL [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: bench/http.sh DATABASE_URL [SECONDS]}"
seconds="${2:-15}"
port="${BENCH_PORT:-8099}"
bin=.venv/bin

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }

read -r customer token mac < <($bin/python -m bench.http_setup --database-url "$url")

PBXAPI_DATABASE_URL="$url" PBXAPI_LOG_LEVEL=warning \
  $bin/pbxapi serve --host 127.0.0.1 --port "$port" --workers 2 --no-access-log \
  >/tmp/pbxapi-bench-http.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/openapi.json" && break; sleep 0.2; done

run() {
  local name="$1" query="$2" before out
  echo "== $name"
  before=$($bin/python -m bench.cpu snapshot "$server")
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/pbx/sipphone?customer=$customer$query")
  echo "$out" | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx|Socket errors|requests in'
  # where the machine's two cores went, per request answered
  $bin/python -m bench.cpu report "$before" "$($bin/python -m bench.cpu snapshot "$server")" \
    "$(echo "$out" | awk '/requests in/ {print $1}')"
}
run "1 default page" ""
run "2 MAC fragment ${mac:4:6}" "&filter=${mac:4:6}"
run "5 limit=1000&full=true" "&limit=1000&full=true"

echo "== worker memory (RSS, MB)"
for pid in $(pgrep -P "$server" -f "multiprocessing|pbxapi" || true); do
  awk -v pid="$pid" '/VmRSS/ {printf "worker %s: %.0f MB\n", pid, $2/1024}' "/proc/$pid/status"
done
