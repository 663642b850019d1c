"""Statements of the SIP phone model catalogue. The catalogue is global (not owned by a
customer): no statement here is narrowed to a customer."""

from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from pbxapi.db.paging import search_page
from pbxapi.db.tables import SipPhone, SipPhoneModel
from pbxapi.db.uniqueness import value_taken

SEARCHED_COLUMNS = (
    SipPhoneModel.brand,
    SipPhoneModel.brand_name,
    SipPhoneModel.model,
    SipPhoneModel.description,
)


def models_page(
    session: Session, *, terms: Sequence[str], offset: int, limit: int
) -> tuple[int, list[SipPhoneModel]]:
    """(total, the page's models) of the models matching every term, by brand, then model,
    then id: a catalogue is read by brand, and the id makes the order total so that paging
    never repeats or skips a model."""
    total, rows = search_page(
        session, select(SipPhoneModel), SipPhoneModel.id,
        terms=terms, searched=SEARCHED_COLUMNS,
        order_by=(SipPhoneModel.brand, SipPhoneModel.model),
        offset=offset, limit=limit,
    )  # fmt: skip
    return total, [row.SipPhoneModel for row in rows]


def model_by_id(session: Session, model_id: str) -> SipPhoneModel | None:
    """The model, or None if there is none of that id."""
    return session.get(SipPhoneModel, model_id)


def model_name_taken(
    session: Session, brand: str, model: str, except_id: str | None = None
) -> bool:
    """True if another model of the brand (not `except_id`) has that name, compared
    case-insensitively: "t54w" is the Yealink T54W."""
    return value_taken(
        session, SipPhoneModel.id,
        SipPhoneModel.brand == brand, func.lower(SipPhoneModel.model) == model.lower(),
        except_id=except_id,
    )  # fmt: skip


def add_model(session: Session, model: SipPhoneModel) -> None:
    """Add a new model to the session (inserted by its commit)."""
    session.add(model)


def delete_model(session: Session, model: SipPhoneModel) -> None:
    """Mark the model deleted in the session (deleted by its commit)."""
    session.delete(model)


def _phones_of(model_id: str) -> Select:
    return select(SipPhone).where(SipPhone.sip_phone_model_id == model_id)


def model_in_use(session: Session, model_id: str) -> bool:
    """True if some SIP phone is of the model."""
    return session.execute(select(exists(_phones_of(model_id)))).scalar_one()


def phone_count(session: Session, model_id: str) -> int:
    """How many SIP phones are of the model."""
    return session.execute(
        select(func.count()).select_from(_phones_of(model_id).subquery())
    ).scalar_one()


def highest_handset_index(session: Session, model_id: str) -> int | None:
    """The highest handset index among the model's phones; None if none has one."""
    return session.execute(
        select(func.max(SipPhone.handset_index)).where(SipPhone.sip_phone_model_id == model_id)
    ).scalar_one()


@contextmanager
def phones_softkeys(session: Session, model_id: str) -> Iterator[Iterator[list[dict] | None]]:
    """The softkeys of each phone of the model (None: none configured), streamed: a popular
    model can have many phones. Closed on leaving the block, by an exception too, so that
    an early Conflict does not leave the server-side cursor open."""
    with closing(
        session.scalars(
            select(SipPhone.softkeys)
            .where(SipPhone.sip_phone_model_id == model_id)
            .execution_options(yield_per=500)
        )
    ) as softkeys:
        yield softkeys
