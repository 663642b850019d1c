"""What each access level may do: every level rule of the API, as data, in one place.

`auth/scope.py` answers "which customers does this caller reach" (it asks `reach` below);
this module answers "what may this level do there". Routes declare their (resource,
operation) through `pbxapi.api.deps.allowed`, services ask the functions below; nothing
else compares access levels. tests/auth/test_policy.py walks every route of the API against
this table, at every level.

Levels, lowest to highest (auth/levels.py): NO_LOGIN, PERSONAL, VIEWER, MANAGER, OWNER,
RESELLER, RESELLER_ADMIN, ADMIN.
"""

import enum
from dataclasses import dataclass

from pbxapi.auth.levels import AccessLevel

NO_LOGIN, PERSONAL, VIEWER, MANAGER, OWNER, RESELLER, RESELLER_ADMIN, ADMIN = AccessLevel


class Resource(enum.StrEnum):
    SIP_PHONE = "sipphone"
    WEBRTC_PHONE = "webrtc phone"
    EXTENSION = "extension"
    PHONE_MODEL = "phone model"
    EMPLOYEE = "employee"
    MACHINE_TOKEN = "machine token"  # noqa: S105 - a name, not a secret
    CUSTOMER = "customer"
    AUDIT_LOG = "audit log"
    LOGIN = "login"


class Operation(enum.StrEnum):
    LIST = "list"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    # the SIP phone's actions: new credentials, reboot, configuration reload
    ACT = "act"


@dataclass(frozen=True, slots=True)
class Rule:
    minimum: AccessLevel
    # Below this level a caller reaches only its own records (its extensions, itself);
    # others answer as if they did not exist.
    own_records_below: AccessLevel | None = None


L, R, C, U, D, A = (Operation.LIST, Operation.READ, Operation.CREATE, Operation.UPDATE,
                    Operation.DELETE, Operation.ACT)  # fmt: skip

# (resource, operation) -> who may. A route or service asks with `require`.
RULES: dict[tuple[Resource, Operation], Rule] = {
    (Resource.SIP_PHONE, L): Rule(VIEWER),
    (Resource.SIP_PHONE, R): Rule(VIEWER),
    (Resource.SIP_PHONE, C): Rule(MANAGER),
    (Resource.SIP_PHONE, U): Rule(MANAGER),
    (Resource.SIP_PHONE, D): Rule(MANAGER),
    (Resource.SIP_PHONE, A): Rule(MANAGER),
    # one's own WebRTC phone, on one's own extension
    (Resource.WEBRTC_PHONE, U): Rule(PERSONAL),
    (Resource.EXTENSION, L): Rule(PERSONAL, own_records_below=VIEWER),
    (Resource.EXTENSION, R): Rule(PERSONAL, own_records_below=VIEWER),
    (Resource.EXTENSION, C): Rule(MANAGER),
    (Resource.EXTENSION, U): Rule(MANAGER),
    (Resource.EXTENSION, D): Rule(MANAGER),
    # the catalogue is shared by every customer: only the operator changes it
    (Resource.PHONE_MODEL, L): Rule(VIEWER),
    (Resource.PHONE_MODEL, R): Rule(VIEWER),
    (Resource.PHONE_MODEL, C): Rule(ADMIN),
    (Resource.PHONE_MODEL, U): Rule(ADMIN),
    (Resource.PHONE_MODEL, D): Rule(ADMIN),
    (Resource.EMPLOYEE, L): Rule(VIEWER),
    (Resource.EMPLOYEE, R): Rule(PERSONAL, own_records_below=VIEWER),
    (Resource.EMPLOYEE, C): Rule(MANAGER),
    # everyone on themself (SELF_SERVICE_FIELDS below MANAGER); see `may_manage` for others
    (Resource.EMPLOYEE, U): Rule(PERSONAL),
    (Resource.EMPLOYEE, D): Rule(MANAGER),
    (Resource.MACHINE_TOKEN, C): Rule(MANAGER),
    (Resource.MACHINE_TOKEN, D): Rule(MANAGER),
    (Resource.CUSTOMER, L): Rule(VIEWER),
    (Resource.CUSTOMER, R): Rule(VIEWER),
    (Resource.CUSTOMER, C): Rule(RESELLER),
    (Resource.CUSTOMER, U): Rule(RESELLER),
    (Resource.CUSTOMER, D): Rule(RESELLER),
    (Resource.AUDIT_LOG, L): Rule(OWNER),
    # logging out ends any valid token's logins, whatever its level
    (Resource.LOGIN, D): Rule(NO_LOGIN),
}

# SIP passwords (the full object's `password`) are shown from this level on; below it the
# field is null. Credentials are the keys to toll fraud.
SEES_SIP_PASSWORDS = MANAGER
# What an employee below MANAGER may change on themself.
SELF_SERVICE_FIELDS = frozenset({"name", "language", "password"})
# Employees are managed (changed, deleted, given tokens) from this level on, and only those
# at or below the manager's own level; nobody grants a level above their own.
MANAGES_EMPLOYEES = MANAGER
# Customers without a parent reseller (top-level customers) are made by ADMIN only.
MAKES_TOP_LEVEL_CUSTOMERS = ADMIN
# Levels that may not log in, nor be given a machine token (it would grant nothing).
NO_API_ACCESS = frozenset({NO_LOGIN})

# Customer states: whose phones get configurations and may register, and whose employees'
# tokens still work.
PROVISIONING_STATES = frozenset({"ACTIVE"})
REGISTRATION_STATES = frozenset({"ACTIVE"})
API_ACCESS_DENIED_STATES = frozenset({"DELETED"})


class Reach(enum.Enum):
    OWN_CUSTOMER = "own customer"
    SUBTREE = "own customer and every customer below it"
    EVERY_CUSTOMER = "every customer"


# Which customers a level reaches (auth/scope.py walks the tree for SUBTREE).
REACH = {
    NO_LOGIN: Reach.OWN_CUSTOMER,
    PERSONAL: Reach.OWN_CUSTOMER,
    VIEWER: Reach.OWN_CUSTOMER,
    MANAGER: Reach.OWN_CUSTOMER,
    OWNER: Reach.OWN_CUSTOMER,
    RESELLER: Reach.SUBTREE,
    RESELLER_ADMIN: Reach.SUBTREE,
    ADMIN: Reach.EVERY_CUSTOMER,
}


def permits(level: AccessLevel, resource: Resource, operation: Operation) -> bool:
    return level.at_least(RULES[resource, operation].minimum)


def minimum_message(resource: Resource, operation: Operation) -> str:
    return f"requires access level {RULES[resource, operation].minimum.value} or higher"


def own_records_only(level: AccessLevel, resource: Resource, operation: Operation) -> bool:
    """Whether this level reaches only its own records of the resource (PERSONAL)."""
    below = RULES[resource, operation].own_records_below
    return below is not None and not level.at_least(below)


def reach(level: AccessLevel) -> Reach:
    return REACH[level]


def sees_sip_passwords(level: AccessLevel) -> bool:
    return level.at_least(SEES_SIP_PASSWORDS)


def may_grant(level: AccessLevel, granted: AccessLevel) -> bool:
    return level.at_least(granted)


def may_manage(level: AccessLevel, employee_level: AccessLevel) -> str | None:
    """None when this level may change, delete or make tokens for an employee of
    `employee_level`; else why not."""
    if not level.at_least(MANAGES_EMPLOYEES):
        return f"requires access level {MANAGES_EMPLOYEES.value} or higher"
    if not level.at_least(employee_level):
        return "the employee's access level is above your own"
    return None


def self_service_refusal(level: AccessLevel, fields) -> str | None:
    """The first field an employee may not change on themself at this level, if any."""
    if level.at_least(MANAGES_EMPLOYEES):
        return None
    return next((field for field in fields if field not in SELF_SERVICE_FIELDS), None)


def may_make_top_level_customers(level: AccessLevel) -> bool:
    return level.at_least(MAKES_TOP_LEVEL_CUSTOMERS)


def has_api_access(level: AccessLevel) -> bool:
    return level not in NO_API_ACCESS


def customer_keeps_api_access(state: str) -> bool:
    return state not in API_ACCESS_DENIED_STATES
