"""Registration through Kamailio: registrations per second, and REGISTER-to-online latency.

    python -m bench.sip [--phones 2000] [--rates 100,200,400,800] [--seconds 5] [--samples 200]

Real parts, as the tests run them (harness/sipstack.py): a throwaway PostgreSQL database,
pbxapi under uvicorn (the admission endpoint every REGISTER asks), Kamailio, sipp.

- Throughput: sipp registers the phones at each rate for `--seconds` (each registration
  is two REGISTERs, the challenge and the authenticated one; the first registration of a
  phone also locks it, later ones only read). A stage counts its successful and failed
  registrations over the wall time sipp took; the ramp stops at the first stage that
  fails registrations or falls below 90% of its rate.
- Latency: one phone at a time, from the moment sipp sent the first REGISTER (its message
  log's timestamp) to the moment GET /pbx/sipphone/ID, polled back to back, shows it
  online. Includes the challenge round trip, the admission request and pbxapi's read.
"""

import argparse
import re
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx2

from harness.databases import throwaway_postgres_database
from harness.factory import Factory
from harness.sipstack import Phone, Stack, message_log, run_sipp, sip_stack, sipp_command
from pbxapi.auth.levels import AccessLevel
from pbxapi.db.engine import create_db_engine, make_session_factory
from pbxapi.db.migrate import upgrade


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def sipp_totals(stdout: str) -> tuple[int, int]:
    """Successful and failed calls from sipp's final statistics screen."""

    def last(label: str) -> int:
        lines = [line for line in stdout.splitlines() if line.strip().startswith(label)]
        return int(re.findall(r"\d+", lines[-1])[-1]) if lines else 0

    return last("Successful call"), last("Failed call")


def throughput(stack: Stack, work: Path, phones: list[Phone], rates: list[int], seconds: int):
    print(f"{'rate/s':>8} {'registered':>10} {'failed':>7} {'achieved/s':>11}")
    for rate in rates:
        calls = rate * seconds
        command = sipp_command(
            stack, work, phones, calls=calls, trace=False,
            extra=("-r", str(rate), "-l", str(rate * 4)),
        )  # fmt: skip
        started = time.monotonic()
        result = run_sipp(command, timeout=seconds * 4 + 60)
        elapsed = time.monotonic() - started
        ok, failed = sipp_totals(result.stdout)
        achieved = ok / elapsed
        print(f"{rate:>8} {ok:>10} {failed:>7} {achieved:>11.0f}", flush=True)
        if failed or achieved < 0.9 * rate:
            break


def latency(stack: Stack, work: Path, api: httpx2.Client, factory: Factory, samples: int):
    customer = factory.customer()
    headers = {"Authorization": f"Bearer {factory.login(customer, AccessLevel.MANAGER)}"}
    seen: list[float] = []
    for _ in range(samples):
        phone = factory.phone(customer)
        command = sipp_command(stack, work, [Phone(phone.sip_username, phone.sip_password)])
        sipp = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        while not api.get(f"/pbx/sipphone/{phone.id}", headers=headers).json()["status"]["online"]:
            pass
        online_at = time.time()
        sipp.wait(timeout=30)
        first = re.search(r"-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+UDP message sent",
                          message_log(command))  # fmt: skip
        sent_at = datetime.strptime(first.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        seen.append((online_at - sent_at) * 1000)
    print(
        f"REGISTER sent -> online in the API, {samples} phones: "
        f"p50 {percentile(seen, 0.5):.1f} ms, p90 {percentile(seen, 0.9):.1f} ms, "
        f"p99 {percentile(seen, 0.99):.1f} ms, max {max(seen):.1f} ms, "
        f"mean {statistics.mean(seen):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--rates", default="100,200,400,800")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--children", type=int, default=8, help="Kamailio SIP workers")
    parser.add_argument("--api-workers", type=int, default=2, help="pbxapi (uvicorn) workers")
    args = parser.parse_args()

    with (
        throwaway_postgres_database("pbxapi_bench_sip") as url,
        tempfile.TemporaryDirectory() as directory,
    ):
        upgrade(url)
        engine = create_db_engine(url)
        factory = Factory(make_session_factory(engine))
        customer = factory.customer()
        phones = [factory.phone(customer) for _ in range(args.phones)]
        credentials = [Phone(phone.sip_username, phone.sip_password) for phone in phones]
        work = Path(directory)
        with (
            sip_stack(url, work, args.children, args.api_workers) as stack,
            httpx2.Client(base_url=stack.api_url, timeout=10) as api,
        ):
            print(f"{args.phones} phones, Kamailio with {args.children} SIP workers, "
                  f"pbxapi with {args.api_workers} workers")  # fmt: skip
            throughput(stack, work, credentials, [int(r) for r in args.rates.split(",")],
                       args.seconds)  # fmt: skip
            latency(stack, work, api, factory, args.samples)
        engine.dispose()


if __name__ == "__main__":
    main()
