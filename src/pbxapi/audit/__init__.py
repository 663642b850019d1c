"""The audit log: every write, and every display of SIP credentials, with who, when,
which record and what changed; never a secret. `record` is called by the resource
services inside the transaction of the write it records."""

from pbxapi.audit.service import (
    Action,
    Change,
    ResourceType,
    record,
    record_changes,
    record_write,
    snapshot,
)

__all__ = [
    "Action",
    "Change",
    "ResourceType",
    "record",
    "record_changes",
    "record_write",
    "snapshot",
]
