"""The framework's share of a list request: GET /pbx/sipphone through the same ASGI app,
dependencies, parameters and thread pool, with the database work stubbed out (the caller,
the customer check and the page answer at once; the page is empty). What is left is what
FastAPI, Starlette and the thread pool cost for this route before any SQL:

    python -m bench.framework [--iterations 3000]
"""

import argparse
import asyncio
import statistics
from unittest import mock

from bench.bench import Request, time_api
from pbxapi.app import create_app
from pbxapi.auth.caller import Caller
from pbxapi.auth.levels import AccessLevel
from pbxapi.config import Settings
from pbxapi.db.engine import create_db_engine
from pbxapi.sipphones import queries

CUSTOMER = "c" * 24


class _NoDatabase:
    """A session nobody queries: its ending (commit, close) costs nothing."""

    def commit(self) -> None:
        pass

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3000)
    args = parser.parse_args()
    app = create_app(Settings(database_url="sqlite://"), engine=create_db_engine("sqlite://"))
    app.state.session_factory = _NoDatabase
    admin = Caller("e" * 24, CUSTOMER, AccessLevel.ADMIN)
    with (
        mock.patch("pbxapi.api.deps.caller_for_token", lambda _session, _token: admin),
        mock.patch("pbxapi.auth.scope.CustomerScope.resolve", lambda _scope, _id: CUSTOMER),
        mock.patch("pbxapi.sipphones.queries.list_phones",
                   lambda _session, _query: queries.PhonePage(0, [], {})),
    ):  # fmt: skip
        stubbed = Request("stubbed", {})
        asyncio.run(time_api(app, "pbx_stub", CUSTOMER, stubbed, 300))
        samples = sorted(asyncio.run(time_api(app, "pbx_stub", CUSTOMER, stubbed, args.iterations)))
    p99 = samples[round(0.99 * (len(samples) - 1))]
    print(
        f"# framework alone (database stubbed), GET /pbx/sipphone, {args.iterations} runs: "
        f"p50 {statistics.median(samples):.3f} ms, p99 {p99:.3f} ms"
    )


if __name__ == "__main__":
    main()
