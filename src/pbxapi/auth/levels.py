"""Access levels, lowest to highest. The documentation's "MANAGE" means MANAGER."""

import enum


class AccessLevel(enum.StrEnum):
    NO_LOGIN = "NO_LOGIN"
    PERSONAL = "PERSONAL"
    VIEWER = "VIEWER"
    MANAGER = "MANAGER"
    OWNER = "OWNER"
    RESELLER = "RESELLER"
    RESELLER_ADMIN = "RESELLER_ADMIN"
    ADMIN = "ADMIN"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: "AccessLevel") -> bool:
        return self.rank >= other.rank

    @property
    def is_reseller(self) -> bool:
        return self in (AccessLevel.RESELLER, AccessLevel.RESELLER_ADMIN)


_RANK = {level: rank for rank, level in enumerate(AccessLevel)}
