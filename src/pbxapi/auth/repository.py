"""Statements of access: the customer tree walked for a caller's reach."""

from sqlalchemy import CTE, literal, select

from pbxapi.db.tables import Customer


def ancestry(customer_id: str, steps: int) -> CTE:
    """(id, parent_reseller_id, depth) from the customer up towards its top-level
    customer, at most `steps` steps up (the bound also stops a walk on a cycle)."""
    chain = (
        select(Customer.id, Customer.parent_reseller_id, literal(0).label("depth"))
        .where(Customer.id == customer_id)
        .cte("chain", recursive=True)
    )
    parent = select(
        Customer.id, Customer.parent_reseller_id, (chain.c.depth + 1).label("depth")
    ).join(chain, Customer.id == chain.c.parent_reseller_id)
    return chain.union_all(parent.where(chain.c.depth < steps))
