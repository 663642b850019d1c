"""The one place that answers "which customers may this caller see".

A level's reach is the policy's (auth/policy.py, REACH): its own customer; its own and
every customer below it through nested parentReseller links (resellers); or every
customer (ADMIN). Every query that takes a customer from a caller goes through
`CustomerScope`.
"""

from typing import TypeVar

from sqlalchemy.orm import Session

from pbxapi.auth import repository
from pbxapi.auth.caller import Caller
from pbxapi.auth.policy import Reach, reach
from pbxapi.db.tables import Customer
from pbxapi.errors import AccessDenied, NotFound
from pbxapi.ids import normalize_id

Record = TypeVar("Record")

# Reseller trees are shallow; the bound also stops a walk on a corrupted cycle.
MAX_RESELLER_DEPTH = 32


class CustomerScope:
    def __init__(self, session: Session, caller: Caller):
        self.session = session
        self.caller = caller
        self.reach = reach(caller.access_level)

    def resolve(self, requested_customer_id: str | None) -> str:
        """The customer a request acts on: the caller's own unless another is asked for.

        A customer outside the caller's reach is 403 whether or not it exists, so
        that its existence is not revealed; only an ADMIN learns that an id is unknown.
        """
        if requested_customer_id is None:
            return self.caller.customer_id
        requested_customer_id = normalize_id(requested_customer_id)
        if requested_customer_id == self.caller.customer_id:
            return self.caller.customer_id
        if self.reach is Reach.EVERY_CUSTOMER:
            if repository.customer_exists(self.session, requested_customer_id):
                return requested_customer_id
            raise NotFound("customer not found", field="customer")
        if self.reach is Reach.SUBTREE and self._is_below_caller(requested_customer_id):
            return requested_customer_id
        raise AccessDenied("customer is outside your access", field="customer")

    def reaches(self, customer_id: str) -> bool:
        if customer_id == self.caller.customer_id or self.reach is Reach.EVERY_CUSTOMER:
            return True
        return self.reach is Reach.SUBTREE and self._is_below_caller(customer_id)

    def load(self, table: type[Record], record_id: str, what: str) -> Record:
        """A tenant-owned record by id, or 404 when it does not exist or its customer is out
        of reach: both answer the same, so that ids of other customers cannot be probed."""
        record = repository.record_by_id(self.session, table, record_id)
        if record is None:
            raise NotFound(f"{what} not found")
        self.require_record(record.id if table is Customer else record.customer_id, what)
        return record

    def require_record(self, customer_id: str, what: str) -> None:
        """A record of a customer out of reach is 404, exactly like a record that does not
        exist, so that ids of other customers cannot be probed."""
        if not self.reaches(customer_id):
            raise NotFound(f"{what} not found")

    def reachable_customer_ids(self) -> repository.CustomerIds:
        """A SELECT of the ids of every customer the caller reaches (for listing customers)."""
        if self.reach is Reach.EVERY_CUSTOMER:
            return repository.ids_of_every_customer()
        if self.reach is Reach.OWN_CUSTOMER:
            return repository.ids_of_customer(self.caller.customer_id)
        return repository.ids_of_subtree(self.caller.customer_id, MAX_RESELLER_DEPTH)

    def _is_below_caller(self, customer_id: str) -> bool:
        """Walk up from the customer towards the root, looking for the caller's customer."""
        return repository.is_in_ancestry(
            self.session, customer_id, self.caller.customer_id, MAX_RESELLER_DEPTH
        )
