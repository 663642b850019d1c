"""The IP rule: from which addresses a phone may fetch its configuration or register.

Written once; provisioning and registration (the SIP server asks us) both come here.

- OPEN accepts any address and, on the first successful contact, becomes LOCKED to it.
  Two contacts racing lock the phone exactly once: the lock is a conditional UPDATE
  (`WHERE ip_mode = 'OPEN'`) and the loser is judged against the winner's address.
- LOCKED accepts only `ip.address`.
- ROAMING accepts addresses located in one of `ip.countries`, by an offline country
  database (geoip2fast, GeoLite2 country data shipped in the package). Addresses the
  database cannot place (private, loopback, unknown) are refused.

The caller owns the transaction: `admit` locks inside it, so a contact that fails for
another reason (say, the configuration cannot be rendered) rolls the lock back with it.
"""

import enum
import ipaddress
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.db.tables import SipPhone
from pbxapi.sipphones import repository


class Verdict(enum.Enum):
    ADMIT = "admit"
    LOCK = "lock"  # admit, and lock the phone to this address
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class IpPolicy:
    mode: str  # OPEN, LOCKED, ROAMING
    address: str | None
    countries: str  # "DK,SE"


CountryOf = Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], str | None]


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """A contact's address; an IPv4-mapped IPv6 address is the IPv4 address it carries."""
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def judge(policy: IpPolicy, address_text: str, country_of: CountryOf) -> Verdict:
    """What the rule says of one contact from `address_text`. Pure: writes nothing."""
    address = parse_address(address_text)
    if address is None:
        return Verdict.REFUSE
    if policy.mode == "OPEN":
        return Verdict.LOCK
    if policy.mode == "LOCKED":
        locked_to = parse_address(policy.address or "")
        return Verdict.ADMIT if locked_to is not None and locked_to == address else Verdict.REFUSE
    if policy.mode == "ROAMING":
        allowed = {code for code in policy.countries.split(",") if code}
        country = country_of(address)
        return Verdict.ADMIT if country is not None and country in allowed else Verdict.REFUSE
    return Verdict.REFUSE


class CountryDatabase:
    """Offline address-to-country lookup, loaded on first use (about 60 MB in memory),
    so that a worker that never judges a ROAMING phone never pays for it."""

    def __init__(self) -> None:
        self._lookup = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._lookup is None:
                from geoip2fast import GeoIP2Fast

                self._lookup = GeoIP2Fast(
                    geoip2fast_data_file="geoip2fast-ipv6.dat.gz", verbose=False
                )
        return self._lookup

    def __call__(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        if not address.is_global:
            return None
        result = self._load().lookup(str(address))
        code = getattr(result, "country_code", "") or ""
        # The database answers "--" (or an empty code) for networks it cannot place.
        return code if len(code) == 2 and code.isalpha() else None


country_of_address = CountryDatabase()


def admit(
    session: Session,
    phones: Sequence[SipPhone],
    address_text: str,
    country_of: CountryOf = country_of_address,
) -> bool:
    """True when every one of `phones` (one device: a desk phone, or a DECT base and its
    handsets) accepts a contact from `address_text`; OPEN phones are then LOCKED to it.

    Refusal writes nothing: the phones that are not OPEN are judged before any lock.
    The caller commits on True (with whatever else the contact records) and rolls back
    on False.
    """
    if not phones:
        return False
    address = parse_address(address_text)
    if address is None:
        return False
    settled = [phone for phone in phones if phone.ip_mode != "OPEN"]
    if any(
        judge(_policy(phone), address_text, country_of) is not Verdict.ADMIT for phone in settled
    ):
        return False
    for phone in phones:
        if phone.ip_mode == "OPEN" and not _lock(session, phone, str(address), country_of):
            return False
    return True


def _lock(session: Session, phone: SipPhone, address: str, country_of: CountryOf) -> bool:
    if repository.lock_if_open(session, phone.customer_id, phone.id, address):
        before = {"ip.mode": phone.ip_mode, "ip.address": phone.ip_address}
        phone.ip_mode, phone.ip_address = "LOCKED", address
        # the system's write (no employee acted), in the contact's transaction
        after = {"ip.mode": "LOCKED", "ip.address": address}
        audit.record_write(
            session, None, ResourceType.SIP_PHONE, phone, Action.UPDATE, before=before, after=after
        )
        return True
    # Someone else's contact (or an admin's change) won: judge against what is there now.
    mode, locked_address, countries = repository.ip_restriction_of(
        session, phone.customer_id, phone.id
    )
    return judge(IpPolicy(mode, locked_address, countries), address, country_of) is Verdict.ADMIT


def _policy(phone: SipPhone) -> IpPolicy:
    return IpPolicy(phone.ip_mode, phone.ip_address, phone.ip_countries or "")
