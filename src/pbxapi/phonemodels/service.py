"""SIP phone models: the rules (statements: repository.py). The catalogue is global (not
owned by a customer), so no CustomerScope is involved: who may read or write is the routes'
level."""

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth.caller import Caller
from pbxapi.db.integrity import commit
from pbxapi.db.tables import SipPhoneModel
from pbxapi.errors import BadRequest, Conflict, NotFound
from pbxapi.ids import new_id
from pbxapi.phonemodels import repository, schemas

# wire name -> column attribute, for the flat fields and for capabilities.*
_FIELD_TO_COLUMN = {
    "brand": "brand",
    "brandName": "brand_name",
    "model": "model",
    "description": "description",
    "picture": "picture",
    "extensions": "extensions",
    "softkeys": "softkeys",
    "softkeyLabels": "softkey_labels",
    "softkeyCapabilities": "softkey_capabilities",
    "configurationTemplate": "configuration_template",
}
_CAPABILITY_TO_COLUMN = {
    "provision": "cap_provision",
    "macRedirect": "cap_mac_redirect",
    "customRingtones": "cap_custom_ringtones",
    "multipleHandsets": "cap_multiple_handsets",
    "sipConfigReload": "cap_sip_config_reload",
}
_AUDITED = {
    **_FIELD_TO_COLUMN,
    **{f"capabilities.{wire}": column for wire, column in _CAPABILITY_TO_COLUMN.items()},
}


def _record(session: Session, caller: Caller, model: SipPhoneModel, action: Action,
            before: dict | None = None) -> None:  # fmt: skip
    """The catalogue is global: its events belong to the customer of the ADMIN who acted."""
    audit.record(
        session, caller, customer_id=caller.customer_id,
        resource_type=ResourceType.SIP_PHONE_MODEL, resource_id=model.id, action=action,
        before=before,
        after=None if action is Action.DELETE else audit.snapshot(model, _AUDITED),
    )  # fmt: skip


def to_wire(model: SipPhoneModel) -> schemas.SipPhoneModel:
    return schemas.SipPhoneModel(
        id=model.id,
        brand=model.brand,
        brandName=model.brand_name,
        model=model.model,
        description=model.description,
        picture=model.picture,
        extensions=model.extensions,
    )


def to_wire_full(model: SipPhoneModel) -> schemas.SipPhoneModelFull:
    return schemas.SipPhoneModelFull(
        **to_wire(model).model_dump(),
        softkeys=model.softkeys,
        softkeyLabels=model.softkey_labels,
        softkeyCapabilities=model.softkey_capabilities,
        capabilities=schemas.Capabilities(
            **{wire: getattr(model, column) for wire, column in _CAPABILITY_TO_COLUMN.items()}
        ),
        configurationTemplate=model.configuration_template,
    )


def list_models(
    session: Session, query: schemas.SipPhoneModelQuery
) -> tuple[int, list[SipPhoneModel]]:
    """(total, the page) of the models matching every term, by brand, then model, then id."""
    return repository.models_page(
        session, terms=query.terms, offset=query.offset, limit=query.limit
    )


# The built-in model of WebRTC phones (migration 0004): the WebRTC endpoint relies on it.
WEBRTC_MODEL_ID = "5e0f00000000000000000100"


def get_model(session: Session, model_id: str) -> SipPhoneModel:
    model = repository.model_by_id(session, model_id)
    if model is None:
        raise NotFound("SIP phone model not found")
    return model


def _check_unique(session: Session, brand: str, model: str, except_id: str | None = None) -> None:
    """Model names are compared case-insensitively: "t54w" is the Yealink T54W."""
    if repository.model_name_taken(session, brand, model, except_id):
        raise Conflict(f"{brand} {model} is already in the catalogue", field="model", code="model")


def _check_handsets_consistent(extensions: int, multiple_handsets: bool, field: str) -> None:
    if multiple_handsets != (extensions > 1):
        raise BadRequest(
            "capabilities.multipleHandsets must be true exactly when extensions > 1",
            field=field,
        )


def create_model(
    session: Session, caller: Caller, body: schemas.SipPhoneModelCreate
) -> SipPhoneModel:
    sent_capabilities = body.capabilities.sent()
    multiple_handsets = sent_capabilities.get("multipleHandsets", body.extensions > 1)
    _check_handsets_consistent(body.extensions, multiple_handsets, "capabilities.multipleHandsets")
    _check_unique(session, body.brand, body.model)
    model = SipPhoneModel(
        id=new_id(),
        **{column: getattr(body, wire) for wire, column in _FIELD_TO_COLUMN.items()},
        **{
            column: sent_capabilities.get(wire, False)
            for wire, column in _CAPABILITY_TO_COLUMN.items()
        },
    )
    model.cap_multiple_handsets = multiple_handsets
    repository.add_model(session, model)
    _record(session, caller, model, Action.CREATE)
    commit(session)
    return model


def _check_phones_still_fit(
    session: Session, model: SipPhoneModel, extensions: int, softkeys: int, functions: list[str]
) -> None:
    """A model in use cannot change so that one of its phones no longer fits it."""
    if not repository.model_in_use(session, model.id):
        return
    if extensions != model.extensions:
        if (extensions > 1) != (model.extensions > 1):
            # desk phones have no handset index, handsets of a base have one
            raise Conflict(
                "phones use this model: it cannot change between desk phone (extensions 1) "
                "and base with handsets (extensions > 1)",
                field="extensions",
                code="extensions",
            )
        highest_index = repository.highest_handset_index(session, model.id)
        if highest_index is not None and highest_index >= extensions:
            raise Conflict(
                f"a base of this model has a handset at index {highest_index}",
                field="extensions",
                code="extensions",
            )
    if softkeys >= model.softkeys and set(functions) >= set(model.softkey_capabilities):
        return  # nothing a phone could use was taken away
    allowed = set(functions)
    with repository.phones_softkeys(session, model.id) as phone_softkeys:
        for configured in phone_softkeys:
            for softkey in configured or []:
                _check_softkey_fits(softkey, softkeys, allowed)


def _check_softkey_fits(softkey: dict, softkeys: int, allowed: set[str]) -> None:
    if softkey["index"] >= softkeys:
        raise Conflict(
            f"a phone of this model has a softkey at index {softkey['index']}",
            field="softkeys",
            code="softkeys",
        )
    if softkey["function"] not in allowed:
        raise Conflict(
            f"a phone of this model has a {softkey['function']} softkey",
            field="softkeyCapabilities",
            code="softkeyCapabilities",
        )


def _refuse_built_in(model: SipPhoneModel) -> None:
    if model.id == WEBRTC_MODEL_ID:
        raise Conflict("the WebRTC model is built in", field="sipPhoneModel", code="sipPhoneModel")


def update_model(
    session: Session, caller: Caller, model_id: str, body: schemas.SipPhoneModelUpdate
) -> SipPhoneModel:
    model = get_model(session, model_id)
    _refuse_built_in(model)
    before = audit.snapshot(model, _AUDITED)
    changes = body.sent()
    sent_capabilities = changes.pop("capabilities", {})
    extensions = changes.get("extensions", model.extensions)
    if "multipleHandsets" in sent_capabilities:
        multiple_handsets = sent_capabilities["multipleHandsets"]
        field = "capabilities.multipleHandsets"
    else:
        # not sent: it follows a new capacity, and must already agree with an unchanged one
        multiple_handsets = (
            extensions > 1 if "extensions" in changes else model.cap_multiple_handsets
        )
        field = "extensions"
    _check_handsets_consistent(extensions, multiple_handsets, field)
    brand, name = changes.get("brand", model.brand), changes.get("model", model.model)
    if (brand, name.lower()) != (model.brand, model.model.lower()):
        _check_unique(session, brand, name, except_id=model.id)
    _check_phones_still_fit(
        session,
        model,
        extensions,
        changes.get("softkeys", model.softkeys),
        changes.get("softkeyCapabilities", model.softkey_capabilities),
    )
    for wire, value in changes.items():
        setattr(model, _FIELD_TO_COLUMN[wire], value)
    for wire, value in sent_capabilities.items():
        setattr(model, _CAPABILITY_TO_COLUMN[wire], value)
    model.cap_multiple_handsets = multiple_handsets
    _record(session, caller, model, Action.UPDATE, before)
    commit(session)
    return model


def delete_model(session: Session, caller: Caller, model_id: str) -> None:
    model = get_model(session, model_id)
    _refuse_built_in(model)
    phones = repository.phone_count(session, model.id)
    if phones:
        raise Conflict(
            f"{phones} SIP phone(s) use this model",
            field="sipPhoneModel",
            code="sipPhoneModel",
        )
    _record(session, caller, model, Action.DELETE, audit.snapshot(model, _AUDITED))
    repository.delete_model(session, model)
    commit(session)
