"""Benchmark data at operator scale: `pbxapi bench-data --phones N --customers M --seed S`.

Fills an empty, migrated database with a deterministic operator: the operator, about ten
resellers with about three sub-resellers each, and M end customers (resellers are not
counted in M) spread under both reseller levels. Customer sizes are skewed: the biggest
customer holds N/10 phones, the next ten N/100 each, the rest a log-normal spread (at
least one phone each). Per customer, about 85% of the phones sit on an extension of their
own with an employee (names drawn rank-skewed from pbxapi.db.benchdata.names), half of the
extensions have a direct number, a third of the phones carry notes, most are locked to the
customer's office IP, about 3% are handsets of DECT bases. Each customer has one OWNER.

Same N, M and seed: the same rows, ids included. Nothing here is secret: SIP credentials
are derived from the seed and a counter, so they are as predictable as the seed.

Streaming: rows are made lazily and written in batches of about BATCH_PHONES phones
(PostgreSQL COPY, SQLite executemany in one transaction), so memory does not grow with
N. Customers do not get their phones all at once: each customer's phones come in bursts
spread over ROUNDS rounds, interleaved with the other customers' bursts, so that a big
customer's rows are scattered through the tables as years of real use would scatter them
(a benchmark on contiguous rows would flatter every query).

The search index (pbxapi.db.search_index, when present) is dropped before the load and
rebuilt once afterwards; then the tables are analysed (PostgreSQL: VACUUM ANALYZE, so
that index-only scans find an all-visible map).
"""

import bisect
import hashlib
import itertools
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from pbxapi.db import phone_counts, search_index
from pbxapi.db.benchdata import names

# --- the shape of the data -------------------------------------------------------------

BIGGEST_SHARE = 10  # the biggest customer holds 1/10 of the phones
MEDIUM_COUNT = 10  # the next ten hold ...
MEDIUM_SHARE = 100  # ... 1/100 each
REST_SIGMA = 1.5  # spread of the log-normal sizes of the other customers

RESELLERS = 10
SUB_RESELLERS = (2, 4)  # per reseller, inclusive range
SHARE_UNDER_RESELLER = 0.3  # customers directly under a reseller; the rest under a sub

ASSIGNED_SHARE = 0.85  # phones on an extension with an employee
DIRECT_SHARE = 0.5  # extensions with a direct number
NOTES_SHARE = 1 / 3
LOCKED_SHARE = 0.80
ROAMING_SHARE = 0.02
DECT_SHARE = 0.033  # handsets among the phones (a touch above 3%: tiny customers get none)
FIRST_NAME_SKEW = 0.65  # Zipf exponents over the rank of a name in its country list
LAST_NAME_SKEW = 0.6
OWN_FLAVOUR_SHARE = 0.85  # employees named from the customer's country; others from anywhere

ROUNDS = 64
MIN_BURST = 16
BATCH_PHONES = 10_000

# Ids: like pbxapi.ids (4-byte time, 5 bytes per "process", 3-byte counter), with the
# time running from BASE_TIME over about SPAN seconds in steps of whole seconds.
BASE_TIME = 1_546_300_800  # 2019-01-01T00:00:00Z
SPAN = 6 * 365 * 24 * 3600

# Vendor prefixes (OUI) by brand; the other three bytes come from a device counter.
OUI = {"SNOM": "000413", "YEALINK": "805EC0", "MITEL": "00085D", "CISCO": "E05FB9",
       "LG": "0040C5", "GIGASET": "7C2F80"}  # fmt: skip
MAX_DEVICES = 1 << 24

# Danish 8-digit number series for direct numbers, a million numbers each
DIRECT_SERIES = ("+4570", "+4572", "+4532", "+4533", "+4535", "+4536", "+4538", "+4539",
                 "+4543", "+4544", "+4545", "+4546", "+4548", "+4549")  # fmt: skip

# Public address ranges the customers' offices sit in (first two octets)
OFFICE_NETWORKS = ((213, 83), (80, 62), (87, 49), (2, 104), (5, 186), (93, 162), (188, 114),
                   (194, 182), (212, 10), (217, 157), (62, 243), (185, 45))  # fmt: skip
ROAMING_COUNTRIES = ("DK", "DK,SE", "DK,DE", "DK,NO,SE", "DK,GB", "SE", "NO", "DE,AT,CH")
PAYMENT_OPTIONS = ("NONE", "BOUGHT", "RENTED", "SELF_OWNED")
FIRMWARES = ("10.1.159.12", "10.1.175.8", "84.86.0.70", "86.85.0.5", "5.4.1.11")

CUSTOMER_COLUMNS = ("id", "name", "parent_reseller_id", "state", "created_at")
EMPLOYEE_COLUMNS = ("id", "customer_id", "name", "email_address", "access_level", "state",
                    "language", "created_at")  # fmt: skip
EXTENSION_COLUMNS = ("id", "customer_id", "number", "name", "direct", "employee_id", "notes")
PHONE_COLUMNS = (
    "id", "customer_id", "sip_phone_model_id", "extension_id", "pbx_cluster", "mac_address",
    "handset_index", "handset_address", "call_waiting", "side_panel_count",
    "softkey_configuration_on_device", "softkey_blf_blind_transfer", "dhsg", "notes",
    "ip_mode", "ip_countries", "ip_address", "sip_username", "sip_password", "softkeys",
    "codec_hd_audio", "codec_video", "network_dhcp", "network_vlan_id",
    "network_vlan_priority", "purchase_order_id", "purchase_date", "purchase_payment_option",
    "config_loaded_at", "config_saved_at", "last_user_agent", "created_at",
)  # fmt: skip


class BenchDataError(Exception):
    """The load cannot start (not empty, not migrated, impossible sizes)."""


# --- customer sizes ----------------------------------------------------------------------


def customer_sizes(phones: int, customers: int) -> list[int]:
    """Phones per end customer, biggest first: N/10, then ten of N/100, then the others.

    The others get log-normal sizes (the same shape at every scale), at least one phone
    and fewer than a medium customer. When they cannot take all that is left under that
    cap (few customers), the surplus goes to the biggest and the medium customers, in
    proportion 10:1, so that the biggest stays the biggest.
    """
    if customers < 1:
        raise BenchDataError("--customers must be at least 1")
    if phones < customers:
        raise BenchDataError("--phones must be at least --customers: every customer has a phone")
    if customers == 1:
        return [phones]
    medium_count = min(MEDIUM_COUNT, customers - 1)
    rest_count = customers - 1 - medium_count
    biggest = max(1, phones // BIGGEST_SHARE)
    medium = max(1, phones // MEDIUM_SHARE)
    rest_total = phones - biggest - medium_count * medium
    if rest_count == 0:
        rest, surplus = [], rest_total
    else:
        cap = max(1, medium - 1)
        if rest_total < rest_count:  # tiny N: every other customer gets one phone
            rest, surplus = [1] * rest_count, rest_total - rest_count
        else:
            rest = _spread(rest_total, rest_count, cap)
            surplus = rest_total - sum(rest)
    head = [biggest] + [medium] * medium_count
    if surplus > 0:
        head = _add_in_proportion(head, surplus, [BIGGEST_SHARE] + [1] * medium_count)
    elif surplus < 0:  # take the deficit from the biggest, then the medium ones
        deficit = -surplus
        for index in range(len(head)):
            taken = min(deficit, head[index] - 1)
            head[index] -= taken
            deficit -= taken
    return head + rest


def _spread(total: int, count: int, cap: int) -> list[int]:
    """count log-normal sizes in [1, cap], largest first, summing to total (or all at cap)."""
    if total >= count * cap:
        return [cap] * count
    normal = statistics.NormalDist()
    shape = [
        2.718281828459045 ** (REST_SIGMA * normal.inv_cdf(1 - (index + 0.5) / count))
        for index in range(count)
    ]

    def sized(scale: float) -> list[float]:
        return [min(cap, max(1.0, scale * value)) for value in shape]

    low, high = 0.0, cap / min(shape) + 1
    for _ in range(100):
        middle = (low + high) / 2
        if sum(sized(middle)) < total:
            low = middle
        else:
            high = middle
    sizes = sized(high)
    whole = [int(size) for size in sizes]
    missing = total - sum(whole)
    by_fraction = sorted(range(count), key=lambda index: whole[index] - sizes[index])
    for index in by_fraction:
        if missing <= 0:
            break
        if whole[index] < cap:
            whole[index] += 1
            missing -= 1
    return sorted(whole, reverse=True)


def _add_in_proportion(sizes: list[int], amount: int, weights: list[int]) -> list[int]:
    total_weight = sum(weights)
    shares = [amount * weight // total_weight for weight in weights]
    shares[0] += amount - sum(shares)
    return [size + share for size, share in zip(sizes, shares, strict=True)]


# --- deterministic ids, MACs and credentials --------------------------------------------


def _digest(seed: int, purpose: str, size: int) -> bytes:
    return hashlib.blake2b(f"pbxapi-bench:{seed}:{purpose}".encode(), digest_size=size).digest()


def _seeded_int(seed: int, purpose: str, bits: int) -> int:
    return int.from_bytes(_digest(seed, purpose, 8), "big") & ((1 << bits) - 1)


class IdSequence:
    """24 lower-case hex ids, strictly time-ordered: the n-th id's time is
    BASE_TIME + n * step, its middle five bytes come from the seed, its last three
    are n. Being strictly increasing in time, ids never repeat."""

    def __init__(self, seed: int, expected_ids: int):
        self.middle = _digest(seed, "ids", 5).hex()
        self.step = max(1, SPAN // max(1, expected_ids))
        self.count = 0

    def at(self, number: int) -> tuple[str, int]:
        seconds = BASE_TIME + number * self.step
        return f"{seconds:08x}{self.middle}{number & 0xFFFFFF:06x}", seconds

    def next(self) -> tuple[str, int]:
        number = self.count
        self.count += 1
        return self.at(number)


_MASK64 = (1 << 64) - 1


def _mix64(value: int) -> int:
    """A bijection of 64-bit integers (SplitMix64's finalizer): distinct in, distinct out."""
    value &= _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _mix24(value: int, key: int) -> int:
    """A keyed bijection of 24-bit integers: device counter -> MAC suffix."""
    value = ((value ^ key) * 0x9E3779) & 0xFFFFFF  # odd multipliers: invertible mod 2**24
    value ^= value >> 11
    value = (value * 0x2C1B3D) & 0xFFFFFF
    return value ^ (value >> 13)


class Credentials:
    """SIP username and password of the n-th phone. This is bench data: both are derived
    from the seed and the phone counter, not drawn from a secure source. The username's
    first half is a bijection of the counter, so usernames are unique by construction."""

    def __init__(self, seed: int):
        self.offset = _seeded_int(seed, "username", 64)
        self.key = _digest(seed, "password", 32)

    def of(self, number: int) -> tuple[str, str]:
        username = f"{_mix64(number + self.offset):016x}{_mix64(number ^ self.offset):016x}"
        password = hashlib.blake2b(number.to_bytes(8, "big"), key=self.key, digest_size=16)
        return username, password.hexdigest()


# --- the plan: resellers and customers, computed without the database -------------------


@dataclass(frozen=True)
class PhoneModel:
    id: str
    brand: str
    brand_name: str
    model: str
    capacity: int  # handsets per device: 1 for a desk phone


@dataclass
class Plan:
    """Everything decided per customer before any row is written (O(M) memory)."""

    phones: int
    customers: int
    seed: int
    ids: IdSequence
    resellers: list[tuple[str, str, str | None, int]]  # (id, name, parent id, created)
    customer_id_base: int  # id number of the first end customer
    sizes: list[int]  # phones per end customer, in creation order
    parents: list[str]  # parent reseller id per end customer
    flavours: list[int]  # index into names.FLAVOURS per end customer
    biggest: int  # index of the biggest end customer
    rng_state: object = field(repr=False, default=None)

    def customer_id(self, index: int) -> str:
        return self.ids.at(self.customer_id_base + index)[0]

    @property
    def biggest_customer_id(self) -> str:
        return self.customer_id(self.biggest)


def make_plan(phones: int, customers: int, seed: int) -> Plan:
    """The reseller tree and the customers' sizes, order and names; the biggest's id."""
    rng = random.Random(f"pbxapi-bench:{seed}:plan")  # noqa: S311 - bench data, not secrets
    sizes = customer_sizes(phones, customers)
    order = list(range(customers))
    rng.shuffle(order)  # the biggest customer is somewhere in the middle of the list
    sized = [0] * customers
    for size, position in zip(sizes, order, strict=True):
        sized[position] = size
    biggest = order[0]

    ids = IdSequence(seed, 3 * phones + 3 * customers + 200)
    resellers: list[tuple[str, str, str | None, int]] = []
    operator_id, created = ids.next()
    resellers.append((operator_id, "Bench Operator A/S", None, created))
    reseller_count = max(1, min(RESELLERS, customers // 10))
    top_level, sub_level = [], []
    for _ in range(reseller_count):
        reseller_id, created = ids.next()
        flavour = _draw_flavour(rng)
        resellers.append((reseller_id, _company_name(rng, flavour, "Telecom"), operator_id,
                          created))  # fmt: skip
        top_level.append(reseller_id)
        for _ in range(rng.randint(*SUB_RESELLERS)):
            sub_id, created = ids.next()
            resellers.append((sub_id, _company_name(rng, _draw_flavour(rng), "IT"), reseller_id,
                              created))  # fmt: skip
            sub_level.append(sub_id)
    customer_id_base = ids.count
    ids.count += customers
    parents = [
        rng.choice(top_level if rng.random() < SHARE_UNDER_RESELLER else sub_level)
        for _ in range(customers)
    ]
    flavours = [_draw_flavour(rng) for _ in range(customers)]
    flavours[biggest] = 0  # the biggest customer is Danish, like the operator
    return Plan(
        phones=phones, customers=customers, seed=seed, ids=ids, resellers=resellers,
        customer_id_base=customer_id_base, sizes=sized, parents=parents, flavours=flavours,
        biggest=biggest, rng_state=rng.getstate(),
    )  # fmt: skip


_FLAVOUR_CUMULATIVE = list(itertools.accumulate(flavour[1] for flavour in names.FLAVOURS))


def _draw_flavour(rng) -> int:
    index = bisect.bisect(_FLAVOUR_CUMULATIVE, rng.random() * _FLAVOUR_CUMULATIVE[-1])
    return min(index, len(names.FLAVOURS) - 1)


def _company_name(rng, flavour: int, trade: str | None = None) -> str:
    key = names.FLAVOURS[flavour][0]
    last = rng.choice(names.FLAVOURS[flavour][4][:60])
    trade = trade or rng.choice(names.TRADES[key])
    return f"{last} {trade} {rng.choice(names.COMPANY_SUFFIXES[key])}"


# --- the streaming generator ------------------------------------------------------------


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class _NameDraw:
    """Employee names: first and last name ranked-skewed within the customer's country."""

    def __init__(self, rng):
        self.rng = rng
        self.lists = [
            (flavour[3], _zipf_cumulative(len(flavour[3]), FIRST_NAME_SKEW),
             flavour[4], _zipf_cumulative(len(flavour[4]), LAST_NAME_SKEW))
            for flavour in names.FLAVOURS
        ]  # fmt: skip

    def name(self, flavour: int) -> str:
        rng = self.rng
        if rng.random() >= OWN_FLAVOUR_SHARE:
            flavour = _draw_flavour(rng)
        first, first_cumulative, last, last_cumulative = self.lists[flavour]
        first_name = first[bisect.bisect(first_cumulative, rng.random() * first_cumulative[-1])]
        last_name = last[bisect.bisect(last_cumulative, rng.random() * last_cumulative[-1])]
        return f"{first_name} {last_name}"


@dataclass
class Batch:
    customers: list[tuple] = field(default_factory=list)
    employees: list[tuple] = field(default_factory=list)
    extensions: list[tuple] = field(default_factory=list)
    phones: list[tuple] = field(default_factory=list)


class Generator:
    """Yields the rows in batches; `timestamp` renders a Unix time as the database wants it."""

    def __init__(
        self, plan: Plan, desk_models: list[PhoneModel], base_models: list[PhoneModel],
        timestamp: Callable[[int], str],
    ):  # fmt: skip
        if not desk_models or not base_models:
            raise BenchDataError("the phone model catalogue is empty: run `pbxapi migrate`")
        self.plan = plan
        self.desk_models = desk_models
        self.base_models = base_models
        self.timestamp = timestamp
        self.rng = random.Random()  # noqa: S311 - bench data, not secrets
        self.rng.setstate(plan.rng_state)
        self.names = _NameDraw(self.rng)
        self.credentials = Credentials(plan.seed)
        self.mac_key = _seeded_int(plan.seed, "mac", 24)
        self.ipui_offset = _seeded_int(plan.seed, "ipui", 64)
        self.network_key = _seeded_int(plan.seed, "networks", 32)
        self.devices = 0
        self.phone_number = 0
        self.direct_number = _seeded_int(plan.seed, "direct", 20) % 1_000_000
        self.user_agents = {
            model.id: [f"{model.brand_name} {model.model} {firmware}" for firmware in FIRMWARES]
            for model in [*desk_models, *base_models]
        }
        self._customer_setup()

    def _customer_setup(self) -> None:
        """Per customer (O(M)): bursts, first round, models, offices, cluster."""
        rng, plan = self.rng, self.plan
        self.bursts, self.start_round, self.next_burst, self.dect_made = [], [], [], []
        self.desk, self.base, self.offices, self.cluster = [], [], [], []
        for size in plan.sizes:
            bursts = max(1, min(ROUNDS, size // MIN_BURST))
            self.bursts.append(bursts)
            self.start_round.append(rng.randrange(ROUNDS - bursts + 1))
            self.next_burst.append(0)
            self.dect_made.append(0)
            # a customer standardises on one desk model, with a second one for some desks
            self.desk.append((rng.randrange(len(self.desk_models)),
                              rng.randrange(len(self.desk_models))))  # fmt: skip
            self.base.append(rng.randrange(len(self.base_models)))
            self.offices.append(1 + size // 1500)
            self.cluster.append(1 if rng.random() < 0.7 else 2)

    # -- rows --

    def customer_rows(self) -> Batch:
        """The operator, resellers, end customers and one OWNER per end customer."""
        plan, rng, stamp = self.plan, self.rng, self.timestamp
        batch = Batch()
        for reseller_id, name, parent, created in plan.resellers:
            batch.customers.append((reseller_id, name, parent, "ACTIVE", stamp(created)))
        for index in range(plan.customers):
            customer_id, created = plan.ids.at(plan.customer_id_base + index)
            batch.customers.append((customer_id, _company_name(rng, plan.flavours[index]),
                                    plan.parents[index], "ACTIVE", stamp(created)))  # fmt: skip
        for index in range(plan.customers):
            owner_id, created = plan.ids.next()
            batch.employees.append((
                owner_id, plan.customer_id(index), self.names.name(plan.flavours[index]),
                f"owner@c{index + 1:06d}.bench.pbxapi.test", "OWNER", "ENABLED",
                names.FLAVOURS[plan.flavours[index]][2], stamp(created),
            ))  # fmt: skip
        return batch

    def batches(self) -> Iterator[Batch]:
        """The employees, extensions and phones, customer bursts interleaved round by round."""
        plan = self.plan
        batch = Batch()
        for round_number in range(ROUNDS):
            for index in range(plan.customers):
                burst = self.next_burst[index]
                bursts = self.bursts[index]
                if burst >= bursts:
                    continue
                start = self.start_round[index]
                if start + burst * (ROUNDS - start) // bursts != round_number:
                    continue
                self.next_burst[index] = burst + 1
                size = plan.sizes[index]
                self._burst(batch, index, size * burst // bursts, size * (burst + 1) // bursts)
                if len(batch.phones) >= BATCH_PHONES:
                    yield batch
                    batch = Batch()
        if batch.phones:
            yield batch

    def _burst(self, batch: Batch, index: int, first: int, end: int) -> None:
        """Phones first..end-1 of customer `index`: desk phones, then handsets of bases.

        A base takes 2 to its capacity handsets (at most half the customer's share of
        handsets, so that a small customer does not get one huge base); a base may take
        more than this burst's share, and the next bursts then make fewer."""
        rng = self.rng
        base_model = self.base_models[self.base[index]]
        largest = min(base_model.capacity, max(2, DECT_SHARE * self.plan.sizes[index] // 2))
        owed = round(DECT_SHARE * end) - self.dect_made[index]
        room = end - first
        bases: list[int] = []
        while owed >= 2 and room >= 2:
            count = rng.randint(2, int(min(largest, room)))
            bases.append(count)
            owed -= count
            room -= count
        dect = sum(bases)
        self.dect_made[index] += dect
        customer_id = self.plan.customer_id(index)
        ordinal = first
        desk_first, desk_second = self.desk[index]
        for _ in range(end - first - dect):
            model = self.desk_models[desk_first if rng.random() < 0.8 else desk_second]
            self._phone(batch, index, customer_id, ordinal, model, self._mac(model), None)
            ordinal += 1
        for count in bases:
            mac = self._mac(base_model)
            for handset in range(count):
                self._phone(batch, index, customer_id, ordinal, base_model, mac, handset)
                ordinal += 1

    def _mac(self, model: PhoneModel) -> str:
        if self.devices >= MAX_DEVICES:
            raise BenchDataError(f"more than {MAX_DEVICES} devices: MACs would repeat")
        suffix = _mix24(self.devices, self.mac_key)
        self.devices += 1
        return f"{OUI[model.brand]}{suffix:06X}"

    def _phone(
        self, batch: Batch, index: int, customer_id: str, ordinal: int, model: PhoneModel,
        mac: str, handset: int | None,
    ) -> None:  # fmt: skip
        """One phone (ordinal-th of its customer), with an extension and employee or not."""
        rng, plan, stamp = self.rng, self.plan, self.timestamp
        ids = plan.ids
        random = rng.random
        extension_id = None
        if random() < ASSIGNED_SHARE:
            employee_id, created = ids.next()
            batch.employees.append((
                employee_id, customer_id, self.names.name(plan.flavours[index]), None,
                "NO_LOGIN", "ENABLED", names.FLAVOURS[plan.flavours[index]][2], stamp(created),
            ))  # fmt: skip
            extension_id, _ = ids.next()
            direct = None
            if random() < DIRECT_SHARE:
                direct = self._direct()
            batch.extensions.append(
                (extension_id, customer_id, str(100 + ordinal), "", direct, employee_id, "")
            )
        phone_id, created = ids.next()
        number = self.phone_number
        self.phone_number += 1
        username, password = self.credentials.of(number)
        draw = random()
        if draw < LOCKED_SHARE:
            ip_mode, countries = "LOCKED", ""
            ip_address = self._office_address(index, rng.randrange(self.offices[index]))
        elif draw < LOCKED_SHARE + ROAMING_SHARE:
            ip_mode, countries, ip_address = "ROAMING", rng.choice(ROAMING_COUNTRIES), None
        else:
            ip_mode, countries, ip_address = "OPEN", "", None
        notes = ""
        if random() < NOTES_SHARE:
            notes = rng.choice(names.PHONE_NOTES)
            if "{" in notes:
                notes = notes.format(n=rng.randint(1, 12), m=rng.randint(1, 40))
        payment = PAYMENT_OPTIONS[int(random() * 4)]
        order_id = None if payment == "NONE" else str(4000 + int(random() * 90000))
        loaded_at, user_agent = None, None
        if random() < 0.9:
            loaded_at = stamp(created + 60 + int(random() * 2_592_000))
            user_agent = self.user_agents[model.id][int(random() * len(FIRMWARES))]
        created_text = stamp(created)
        handset_address = None
        if handset is not None:
            handset_address = f"{_mix64(number + self.ipui_offset) & 0xFFFFFFFFFF:010X}"
        batch.phones.append((
            phone_id, customer_id, model.id, extension_id, self.cluster[index], mac,
            handset, handset_address, True, 0, False, False, False, notes,
            ip_mode, countries, ip_address, username, password, "[]",
            True, False, True, 0, 0, order_id, created_text if order_id else None, payment,
            loaded_at, created_text, user_agent, created_text,
        ))  # fmt: skip

    def _direct(self) -> str:
        number = self.direct_number
        self.direct_number += 1
        series = number // 1_000_000
        if series >= len(DIRECT_SERIES):
            raise BenchDataError("out of direct numbers: too many extensions")
        return f"{DIRECT_SERIES[series]}{number % 1_000_000:06d}"

    def _office_address(self, index: int, office: int) -> str:
        value = _mix64((index << 16 | office) ^ self.network_key)
        first, second = OFFICE_NETWORKS[value % len(OFFICE_NETWORKS)]
        return f"{first}.{second}.{(value >> 8) & 0xFF}.{1 + (value >> 16) % 254}"


# --- writing -----------------------------------------------------------------------------


def _text_postgresql(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(seconds))


def _text_sqlite(seconds: int) -> str:
    # The form SQLAlchemy stores a UTCDateTime in on SQLite (naive UTC, microseconds)
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds))


class _PostgresWriter:
    def __init__(self, cursor):
        self.cursor = cursor

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class _SqliteWriter:
    def __init__(self, cursor):
        self.cursor = cursor

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        marks = ", ".join("?" * len(columns))
        self.cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _write(writer, batch: Batch) -> None:
    # Foreign keys: customers, then employees, then their extensions, then the phones.
    writer.write("customers", CUSTOMER_COLUMNS, batch.customers)
    writer.write("employees", EMPLOYEE_COLUMNS, batch.employees)
    writer.write("extensions", EXTENSION_COLUMNS, batch.extensions)
    writer.write("sip_phones", PHONE_COLUMNS, batch.phones)


@dataclass
class LoadReport:
    biggest_customer_id: str
    biggest_customer_phones: int
    phones: int
    customers: int
    phases: list[tuple[str, float]]
    peak_rss_mb: float

    def summary(self) -> list[str]:
        lines = [f"{name}: {seconds:.1f} s" for name, seconds in self.phases]
        lines.append(f"total: {sum(seconds for _, seconds in self.phases):.1f} s")
        lines.append(f"peak memory of the loader: {self.peak_rss_mb:.0f} MB")
        # last, and alone on its line, for scripts: `tail -1 | cut -d' ' -f3`
        lines.append(
            f"biggest customer {self.biggest_customer_id} with "
            f"{self.biggest_customer_phones} phones"
        )
        return lines


def _models(connection: Connection) -> tuple[list[PhoneModel], list[PhoneModel]]:
    rows = connection.execute(
        text(
            "SELECT id, brand, brand_name, model, extensions FROM sip_phone_models "
            "WHERE brand <> 'GENERIC' ORDER BY id"
        )
    ).all()
    models = [PhoneModel(*row) for row in rows if row[1] in OUI]
    return [m for m in models if m.capacity == 1], [m for m in models if m.capacity > 1]


def _check_empty(connection: Connection) -> None:
    try:
        holds = connection.execute(text("SELECT 1 FROM customers LIMIT 1")).first()
    except DBAPIError as exc:
        raise BenchDataError("the database has no schema: run `pbxapi migrate` first") from exc
    if holds is not None:
        raise BenchDataError(
            "the database already holds customers: bench-data loads only into an empty, "
            "migrated database (create a new one, or drop this one's data)"
        )


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load(
    engine: Engine, phones: int, customers: int, seed: int,
    progress: Callable[[str], None] = lambda _message: None,
) -> LoadReport:  # fmt: skip
    """Generate and write the data in one transaction, rebuild the search index, analyse.

    Refuses (BenchDataError) a database that is not migrated or already holds customers.
    `progress` receives a line per phase and per 100,000 phones."""
    plan = make_plan(phones, customers, seed)
    postgres = engine.dialect.name == "postgresql"
    phases: list[tuple[str, float]] = []

    def phase(name: str, started: float) -> None:
        phases.append((name, time.perf_counter() - started))
        progress(f"{name}: {phases[-1][1]:.1f} s")

    with engine.connect() as connection:
        if not postgres:
            # Bench data can be made again: durability during the load buys nothing.
            connection.exec_driver_sql("PRAGMA synchronous = OFF")
            connection.exec_driver_sql("PRAGMA cache_size = -65536")  # 64 MB, whatever N
            connection.commit()
        try:
            with (
                connection.begin(),
                closing(connection.connection.driver_connection.cursor()) as cursor,
            ):
                if not postgres:
                    # pysqlite would run the DDL below outside any transaction: open it now,
                    # so that a failed load leaves the database as it was, search index included.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                written = _load_rows(connection, cursor, plan, postgres, phase, progress)
                started = time.perf_counter()
            phase("commit", started)
        finally:
            if not postgres:
                connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
                connection.exec_driver_sql("PRAGMA cache_size = -2000")  # SQLite's default
                connection.commit()

    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if postgres:
            # VACUUM also sets the visibility map, which index-only scans need.
            connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    phase("vacuum analyze" if postgres else "analyze", started)
    return LoadReport(
        biggest_customer_id=plan.biggest_customer_id,
        biggest_customer_phones=plan.sizes[plan.biggest],
        phones=written,
        customers=customers,
        phases=phases,
        peak_rss_mb=_peak_rss_mb(),
    )


def _load_rows(connection: Connection, cursor, plan: Plan, postgres: bool, phase, progress) -> int:
    _check_empty(connection)
    desk_models, base_models = _models(connection)
    generator = Generator(
        plan, desk_models, base_models, _text_postgresql if postgres else _text_sqlite
    )
    if postgres:
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
    # Their triggers would work row by row: drop them, and rebuild each once below.
    search_index.uninstall(connection)
    phone_counts.uninstall(connection)
    writer = _PostgresWriter(cursor) if postgres else _SqliteWriter(cursor)

    started = time.perf_counter()
    _write(writer, generator.customer_rows())
    phase(f"customers ({len(plan.resellers)} resellers, {plan.customers} customers)", started)

    started = time.perf_counter()
    written, next_report = 0, 100_000
    for batch in generator.batches():
        _write(writer, batch)
        written += len(batch.phones)
        if written >= next_report:
            progress(f"  {written} phones, {time.perf_counter() - started:.1f} s")
            next_report += 100_000
    if written != plan.phones:
        raise RuntimeError(f"made {written} phones, planned {plan.phones}")
    phase(f"phones ({written}, with their employees and extensions)", started)

    started = time.perf_counter()
    if postgres:  # the trigram indexes build faster with more memory
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    search_index.rebuild(connection)
    phase("search index", started)
    started = time.perf_counter()
    phone_counts.rebuild(connection)
    phase("phone counts", started)
    return written
