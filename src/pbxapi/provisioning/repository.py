"""Statements of provisioning: a device by its MAC with what its configuration needs, and
the record of a fetch. A device is found by its MAC, not through a caller's customer: the
customer is what the MAC tells."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from pbxapi.db.tables import Customer, Employee, Extension, SipPhone, SipPhoneModel
from pbxapi.sipphones import repository as phones


def device_with_models(session: Session, mac: str) -> Sequence[Row]:
    """The phones that share the MAC (one desk phone, or a base's handsets in index order),
    each row with its SipPhone, its SipPhoneModel and its customer's `state`."""
    return session.execute(
        phones.device_phones(mac)
        .add_columns(SipPhoneModel, Customer.state)
        .join(SipPhoneModel, SipPhoneModel.id == SipPhone.sip_phone_model_id)
        .join(Customer, Customer.id == SipPhone.customer_id)
    ).all()


def extensions_with_employees(
    session: Session, customer_id: str, extension_ids: Collection[str]
) -> dict[str, Row]:
    """The customer's extensions among `extension_ids` by id: rows of the Extension and its
    employee's `employee_name` and `language` (None without an employee)."""
    return {
        row.Extension.id: row
        for row in session.execute(
            select(Extension, Employee.name.label("employee_name"), Employee.language)
            .outerjoin(
                Employee,
                (Employee.customer_id == Extension.customer_id)
                & (Employee.id == Extension.employee_id),
            )
            .where(Extension.customer_id == customer_id, Extension.id.in_(extension_ids))
        )
    }


def record_fetch(
    session: Session,
    customer_id: str,
    phone_ids: Sequence[str],
    loaded_at: datetime,
    user_agent: str | None,
) -> None:
    """Note on the customer's phones when their configuration was served, and to what."""
    session.execute(
        update(SipPhone)
        .where(SipPhone.customer_id == customer_id, SipPhone.id.in_(phone_ids))
        .values(config_loaded_at=loaded_at, last_user_agent=user_agent)
        .execution_options(synchronize_session=False)
    )
