"""Sending requests to registered phones through the SIP server's control endpoint.

Kamailio's JSON-RPC over HTTP (`jsonrpcs` + `xhttp`, listening on 127.0.0.1 only, see
deploy/kamailio/kamailio.cfg): `tm.t_uac_wait_block` sends the request from Kamailio's
SIP socket, so it reaches the phone the way its registration came in (through NAT, to
`received`), and answers with the phone's final reply. A phone that does not answer gives
408 after Kamailio's transaction timer (2 s).
"""

import json
import logging
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

from pbxapi.config import Settings
from pbxapi.errors import Conflict, Unavailable
from pbxapi.sipphones.repository.listing import Registration

log = logging.getLogger("pbxapi")

# Each request to a phone holds one of the worker's threads (and one of Kamailio's
# control workers) until the phone answers or Kamailio gives up (2 s). Beyond this many at
# once a worker answers 503 instead of letting one customer's unanswering phones take the
# thread pool every other request needs.
MAX_REQUESTS_IN_FLIGHT = 4
_in_flight = threading.BoundedSemaphore(MAX_REQUESTS_IN_FLIGHT)


@dataclass(frozen=True, slots=True)
class SipReply:
    code: int
    reason: str


def check_sync_headers(settings: Settings, sip_username: str, reboot: bool) -> str:
    event = "check-sync;reboot=true" if reboot else "check-sync"
    # tm adds the From tag, Call-ID, CSeq and Content-Length itself.
    return (
        f"From: <sip:pbxapi@{settings.sip_domain}>\r\n"
        f"To: <sip:{sip_username}@{settings.sip_domain}>\r\n"
        f"Event: {event}\r\n"
        "Subscription-State: terminated\r\n"
    )


def _rpc(settings: Settings, method: str, params: list) -> dict:
    if not settings.sip_control_url:
        raise Unavailable("no SIP server is configured (PBXAPI_SIP_CONTROL_URL)")
    # The URL is our own setting, validated to http(s) in config.py.
    request = urllib.request.Request(  # noqa: S310
        settings.sip_control_url,
        data=json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}).encode(),
        # Kamailio's control port serves only callers that know the shared secret.
        headers={
            "Content-Type": "application/json",
            "X-Pbxapi-Internal-Secret": settings.internal_secret,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.sip_control_timeout) as answer:  # noqa: S310
            body = json.loads(answer.read())
    except (OSError, ValueError) as exc:  # refused, timed out, not JSON
        log.warning("SIP server control endpoint unavailable: %s", type(exc).__name__)
        raise Unavailable("the SIP server does not answer, try again shortly") from exc
    if "error" in body:
        log.warning("SIP server refused %s: %s", method, body["error"].get("message"))
        raise Unavailable("the SIP server could not send the request, try again shortly")
    return body.get("result") or {}


def send_check_sync(
    settings: Settings, sip_username: str, registration: Registration, reboot: bool
) -> SipReply:
    """NOTIFY `check-sync` (reboot or reload the configuration) to the registered contact.
    A phone that does not accept it is a 409 on `online`: its registration is stale."""
    if not _in_flight.acquire(blocking=False):
        raise Unavailable("too many requests to phones at once, try again shortly")
    try:
        result = _rpc(
            settings,
            "tm.t_uac_wait_block",
            [
                "NOTIFY",
                registration.contact,
                registration.received or ".",  # next hop: where the REGISTER came from
                ".",  # Kamailio picks its socket
                check_sync_headers(settings, sip_username, reboot),
            ],
        )
    finally:
        _in_flight.release()
    reply = SipReply(int(result.get("code", 0)), str(result.get("reason", "")))
    if not 200 <= reply.code < 300:
        raise Conflict(
            f"the phone did not accept the request (SIP {reply.code} {reply.reason})".strip(),
            field="online",
            code="online",
        )
    return reply
