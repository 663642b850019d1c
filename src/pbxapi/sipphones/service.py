"""Writing SIP phones: the rules (handsets of a DECT base, MAC uniqueness, softkeys
within the model, IP restriction) and one transaction per request."""

import secrets
import string
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from pbxapi import audit
from pbxapi.audit import Action, ResourceType
from pbxapi.auth import policy
from pbxapi.auth.scope import CustomerScope
from pbxapi.db.integrity import commit, flush
from pbxapi.db.tables import Extension, SipPhone, SipPhoneModel, SipPhoneSidePanel
from pbxapi.errors import BadRequest, Conflict, NotFound
from pbxapi.ids import new_id
from pbxapi.phonemodels.service import WEBRTC_MODEL_ID
from pbxapi.sipphones import inputs, present, repository
from pbxapi.sipphones.repository import listing

# wire path -> column; nested objects are written field by field, so they merge
COLUMNS = {
    "pbxCluster": "pbx_cluster",
    "sipPhoneModel": "sip_phone_model_id",
    "extension": "extension_id",
    "macAddress": "mac_address",
    "serial": "serial",
    "handsetAddress": "handset_address",
    "callWaiting": "call_waiting",
    "sidePanel": "side_panel",
    "sidePanelCount": "side_panel_count",
    "softkeyConfigurationOnDevice": "softkey_configuration_on_device",
    "softkeyBlfBlindTransfer": "softkey_blf_blind_transfer",
    "headsetButton": "headset_button",
    "dhsg": "dhsg",
    "displayBrightness": "display_brightness",
    "displayBrightnessIdle": "display_brightness_idle",
    "displayBackground": "display_background",
    "displayFontColor": "display_font_color",
    "customConfig": "custom_config",
    "notes": "notes",
    "instanceId": "instance_id",
    "ip.mode": "ip_mode",
    "ip.countries": "ip_countries",
    "ip.address": "ip_address",
    "ringer.volume": "ringer_volume",
    "ringer.tone": "ringer_tone",
    "volume.handset.mic": "volume_handset_mic",
    "volume.handset.speaker": "volume_handset_speaker",
    "volume.headset.mic": "volume_headset_mic",
    "volume.headset.speaker": "volume_headset_speaker",
    "volume.handsfree.mic": "volume_handsfree_mic",
    "volume.handsfree.speaker": "volume_handsfree_speaker",
    "softkeys": "softkeys",
    "codec.hdAudio": "codec_hd_audio",
    "codec.video": "codec_video",
    "network.dhcp": "network_dhcp",
    "network.ipAddress": "network_ip_address",
    "network.subnet": "network_subnet",
    "network.gateway": "network_gateway",
    "network.dns1": "network_dns1",
    "network.dns2": "network_dns2",
    "network.vlanId": "network_vlan_id",
    "network.vlanPriority": "network_vlan_priority",
    "purchaseInfo.orderId": "purchase_order_id",
    "purchaseInfo.date": "purchase_date",
    "purchaseInfo.paymentOption": "purchase_payment_option",
}

# Documented defaults of a new phone (columns not listed start as null).
DEFAULTS = {
    "pbx_cluster": 1,
    "side_panel_count": 0,
    "softkey_configuration_on_device": False,
    "softkey_blf_blind_transfer": False,
    "dhsg": False,
    "notes": "",
    "ip_mode": "OPEN",
    "ip_countries": "",
    "softkeys": [],
    "codec_hd_audio": True,
    "codec_video": False,
    "network_dhcp": True,
    "network_vlan_id": 0,
    "network_vlan_priority": 0,
    "purchase_payment_option": "NONE",
}

# Softkey functions whose value names what the key acts on.
FUNCTIONS_WITH_VALUE = {"SPEEDDIAL", "BLF", "URL", "PICKUPGROUP", "QUEUE", "SWITCH", "DNDOTHER"}

_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_credentials() -> tuple[str, str]:
    """32-character SIP username and password from the OS's secure random source."""
    username = secrets.token_hex(16)
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(32))
    return username, password


def _flatten(sent: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"ip": {"mode": "LOCKED"}} -> {"ip.mode": "LOCKED"}; lists stay whole."""
    flat = {}
    for key, value in sent.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --- the audit log -----------------------------------------------------------------------

# SIP username and password are both halves of the credential: only their change is recorded.
# So is customConfig: raw vendor configuration, where admins put device passwords.
_AUDITED = {**COLUMNS, "username": "sip_username", "password": "sip_password"}
_SECRETS = ("username", "password", "customConfig")
_SIDE_PANELS = "purchaseInfo.sidePanels"


def _audit_snapshot(phone: SipPhone, panels: list[str] | None = None) -> dict:
    """The phone's audited fields; its side panels' serials when `panels` is given."""
    values = audit.snapshot(phone, _AUDITED, _SECRETS)
    if panels is not None:
        values[_SIDE_PANELS] = panels
    return values


def _panel_serials(session: Session, phone: SipPhone) -> list[str]:
    panels = listing.side_panels_of(session, phone.customer_id, [phone.id])[phone.id]
    return [panel.serial for panel in panels]


def _record(
    session: Session, scope: CustomerScope, target, action: Action, before=None, after=None
):
    audit.record_write(
        session, scope.caller, ResourceType.SIP_PHONE, target, action, before=before, after=after
    )


def show_credentials(session: Session, scope: CustomerScope, phones: list[str], customer_id: str,
                     *, one: bool) -> None:  # fmt: skip
    """Record that SIP credentials were displayed: a phone (`one`), or a list page's phones
    in one event, and commit it (the display is a read: nothing else is written)."""
    if not phones:
        return
    audit.record(
        session, scope.caller, customer_id=customer_id, resource_type=ResourceType.SIP_PHONE,
        resource_id=phones[0] if one else None, action=Action.SHOW_CREDENTIALS,
        shown_ids=None if one else phones,
    )  # fmt: skip
    commit(session)


# --- reading ---------------------------------------------------------------------------


def load_phone(session: Session, scope: CustomerScope, phone_id: str) -> SipPhone:
    """The phone if the caller reaches its customer; 404 otherwise (existence not revealed)."""
    return scope.load(SipPhone, phone_id, "SIP phone")


def registration_of(session: Session, phone: SipPhone) -> listing.Registration | None:
    """The phone's live registration, if it has one."""
    return listing.registrations_of(session, [phone.sip_username]).get(phone.sip_username)


def full_object(session: Session, scope: CustomerScope, phone: SipPhone) -> dict:
    registration = registration_of(session, phone)
    panels = listing.side_panels_of(session, phone.customer_id, [phone.id])[phone.id]
    show_password = policy.sees_sip_passwords(scope.caller.access_level)
    return present.full(phone, registration, panels, show_password)


# --- the rules -------------------------------------------------------------------------


def _model(session: Session, model_id: str) -> SipPhoneModel:
    model = repository.model_by_id(session, model_id)
    if model is None:
        raise NotFound("no such SIP phone model", field="sipPhoneModel")
    return model


def _check_extension(session: Session, customer_id: str, extension_id: str | None) -> None:
    if extension_id is None:
        return
    if not repository.extension_exists(session, customer_id, extension_id):
        raise NotFound("no such extension in this customer", field="extension")


def _assign_handset_index(
    session: Session, customer_id: str, model: SipPhoneModel, mac: str, phone_id: str | None
) -> int | None:
    """None for a desk phone (its MAC must be free); the lowest free index on a DECT base."""
    repository.take_turn_on_mac(session, mac)
    others = repository.others_with_mac(session, mac, phone_id)
    if model.extensions == 1:
        if others:
            raise Conflict("MAC address already in use", field="macAddress", code="macAddress")
        return None
    if any(
        row.customer_id != customer_id
        or row.sip_phone_model_id != model.id
        or row.handset_index is None
        for row in others
    ):
        raise Conflict(
            "MAC address in use by another device", field="macAddress", code="macAddress"
        )
    taken = {row.handset_index for row in others}
    free = [index for index in range(model.extensions) if index not in taken]
    if not free:
        raise Conflict(
            f"the base carries at most {model.extensions} handsets",
            field="macAddress",
            code="macAddress",
        )
    return free[0]


def _check_softkeys(
    session: Session, customer_id: str, model: SipPhoneModel, softkeys: list[dict]
) -> None:
    seen = set()
    for position, softkey in enumerate(softkeys):
        field = f"softkeys[{position}]"
        if softkey["index"] >= model.softkeys:
            raise BadRequest(
                f"{field}.index: the model has {model.softkeys} softkeys (0-based)",
                field=f"{field}.index",
            )
        if softkey["index"] in seen:
            raise BadRequest(f"{field}.index: position used twice", field=f"{field}.index")
        seen.add(softkey["index"])
        if softkey["function"] not in model.softkey_capabilities:
            raise BadRequest(
                f"{field}.function: {softkey['function']} is not supported by this model",
                field=f"{field}.function",
            )
        value = softkey.get("value")
        if softkey["function"] in FUNCTIONS_WITH_VALUE and not value:
            raise BadRequest(
                f"{field}.value: {softkey['function']} needs a value", field=f"{field}.value"
            )
    # BLF keys name extensions of the same customer: one query for all of them.
    watched = {
        position: softkey["value"].lower()
        for position, softkey in enumerate(softkeys)
        if softkey["function"] == "BLF"
    }
    if watched:
        existing = repository.existing_extension_ids(session, customer_id, watched.values())
        for position, extension_id in watched.items():
            if extension_id not in existing:
                field = f"softkeys[{position}].value"
                raise BadRequest(
                    f"{field}: BLF takes the id of an extension of this customer", field=field
                )


def _check_ip_restriction(phone: SipPhone) -> None:
    if phone.ip_mode == "LOCKED" and not phone.ip_address:
        raise BadRequest("ip.address: LOCKED needs the address", field="ip.address")
    if phone.ip_mode == "ROAMING" and not phone.ip_countries:
        raise BadRequest("ip.countries: ROAMING needs at least one country", field="ip.countries")


def _apply(phone: SipPhone, flat: dict[str, Any]) -> None:
    columns = SipPhone.__table__.c
    for path, value in flat.items():
        if path == "purchaseInfo.sidePanels":
            continue
        column = COLUMNS[path]
        if value is None and not columns[column].nullable:
            raise BadRequest(f"{path}: cannot be null", field=path)
        setattr(phone, column, value)


def _replace_side_panels(session: Session, phone: SipPhone, panels: list[dict]) -> None:
    serials = [panel["serial"] for panel in panels]
    if len(set(serials)) != len(serials):
        raise BadRequest("a side panel serial is listed twice", field="purchaseInfo.sidePanels")
    in_use = repository.serial_of_another_phone(session, serials, phone.id)
    if in_use is not None:
        raise Conflict(
            f"side panel serial {in_use} belongs to another SIP phone",
            field="purchaseInfo.sidePanels",
            code="purchaseInfo.sidePanels",
        )
    repository.delete_side_panels(session, phone.customer_id, phone.id)
    flush(session)
    repository.add_side_panels(
        session,
        [
            SipPhoneSidePanel(
                id=new_id(),
                customer_id=phone.customer_id,
                sip_phone_id=phone.id,
                position=position,
                serial=panel["serial"],
                payment_option=panel.get("paymentOption", "NONE"),
                order_id=panel.get("orderId"),
                date=panel.get("date"),
            )
            for position, panel in enumerate(panels)
        ],
    )


def _write(
    session: Session, scope: CustomerScope, phone: SipPhone, flat: dict[str, Any], is_new: bool
) -> None:
    """Apply the sent fields, check every rule against the result, record it in the audit
    log and commit."""
    sends_panels = _SIDE_PANELS in flat
    before = None
    if not is_new:
        before = _audit_snapshot(phone, _panel_serials(session, phone) if sends_panels else None)
    old_model_id, old_mac = phone.sip_phone_model_id, phone.mac_address
    if "softkeys" in flat:
        # Stored whole, every key with all four fields, however little was sent.
        flat["softkeys"] = [
            {key: softkey.get(key) for key in ("index", "function", "value", "label")}
            for softkey in flat["softkeys"]
        ]
    _apply(phone, flat)
    if WEBRTC_MODEL_ID in (phone.sip_phone_model_id, old_model_id) and (
        phone.sip_phone_model_id != old_model_id
    ):
        raise BadRequest(
            "sipPhoneModel: WebRTC phones are made through POST /pbx/sipphone/webrtc",
            field="sipPhoneModel",
        )
    model = _model(session, phone.sip_phone_model_id)
    if is_new or (phone.sip_phone_model_id, phone.mac_address) != (old_model_id, old_mac):
        if not is_new and phone.handset_index is not None:
            # handsetIndex never changes, so a handset stays on its base.
            field = "macAddress" if "macAddress" in flat else "sipPhoneModel"
            raise BadRequest(f"{field}: a DECT handset cannot move to another base", field=field)
        index = _assign_handset_index(
            session, phone.customer_id, model, phone.mac_address, None if is_new else phone.id
        )
        if not is_new and index is not None:
            raise BadRequest(
                "sipPhoneModel: a desk phone cannot become a DECT handset", field="sipPhoneModel"
            )
        phone.handset_index = index
    if "extension" in flat:
        _check_extension(session, phone.customer_id, phone.extension_id)
    if "softkeys" in flat or "sipPhoneModel" in flat:
        _check_softkeys(session, phone.customer_id, model, phone.softkeys)
    _check_ip_restriction(phone)
    phone.config_saved_at = _now()
    if is_new:
        repository.add_phone(session, phone)
    flush(session)
    if sends_panels:
        _replace_side_panels(session, phone, flat[_SIDE_PANELS])
    after = _audit_snapshot(
        phone, [panel["serial"] for panel in flat[_SIDE_PANELS]] if sends_panels else None
    )
    _record(session, scope, phone, Action.CREATE if is_new else Action.UPDATE, before, after)
    commit(session)


# --- the operations --------------------------------------------------------------------


# Handsets added to one base at the same moment can pick the same free index; the
# database's unique (mac_address, handset_index) refuses all but one, and the others
# try again with what is now taken. Every lost race means another index was taken, so
# the base is full (a plain 409) after at most its capacity of attempts; the bound is
# the largest capacity a model may declare.
HANDSET_ATTEMPTS = 1000


def create_phone(session: Session, scope: CustomerScope, body: inputs.SipPhoneCreate) -> SipPhone:
    for _ in range(HANDSET_ATTEMPTS - 1):
        try:
            return _create_phone_once(session, scope, body)
        except Conflict as conflict:
            if conflict.field != "handsetIndex":
                raise
    return _create_phone_once(session, scope, body)


def _create_phone_once(
    session: Session, scope: CustomerScope, body: inputs.SipPhoneCreate
) -> SipPhone:
    sent = body.sent()
    customer_id = scope.resolve(sent.pop("customer", None))
    username, password = generate_credentials()
    now = _now()
    phone = SipPhone(
        id=new_id(),
        customer_id=customer_id,
        sip_username=username,
        sip_password=password,
        created_at=now,
        config_saved_at=now,
        **DEFAULTS,
    )
    _write(session, scope, phone, _flatten(sent), is_new=True)
    return phone


def update_phone(
    session: Session, scope: CustomerScope, phone_id: str, body: inputs.SipPhoneUpdate
) -> SipPhone:
    phone = load_phone(session, scope, phone_id)
    _write(session, scope, phone, _flatten(body.sent()), is_new=False)
    return phone


def delete_phone(session: Session, scope: CustomerScope, phone_id: str) -> None:
    phone = load_phone(session, scope, phone_id)
    before = _audit_snapshot(phone, _panel_serials(session, phone))
    _record(session, scope, phone, Action.DELETE, before=before)
    repository.delete_phone(session, phone)
    commit(session)


def reset_credentials(session: Session, scope: CustomerScope, phone_id: str) -> SipPhone:
    """New username and password; the SIP server reads them from this row, so the old
    ones stop working with the next REGISTER."""
    phone = load_phone(session, scope, phone_id)
    before = _audit_snapshot(phone)
    phone.sip_username, phone.sip_password = generate_credentials()
    phone.config_saved_at = _now()
    _record(session, scope, phone, Action.RESET_CREDENTIALS, before, _audit_snapshot(phone))
    commit(session)
    return phone


# --- WebRTC ------------------------------------------------------------------------------


def _webrtc_mac(session: Session) -> str:
    """A random locally administered MAC: WebRTC clients have no hardware address."""
    while True:
        mac = "02" + secrets.token_hex(5).upper()
        if not repository.mac_in_use(session, mac):
            return mac


def webrtc_phone(
    session: Session, scope: CustomerScope, body: inputs.WebRtcRequest
) -> tuple[SipPhone, Extension]:
    """Create or update, by instanceId, the WebRTC phone on the caller's own extension."""
    caller = scope.caller
    extension = repository.first_extension_of_employee(
        session, caller.customer_id, caller.employee_id
    )
    if extension is None:
        raise Conflict("you have no extension for a WebRTC phone", field="extension",
                       code="extension")  # fmt: skip
    # Only WebRTC phones (the built-in model) are ever found here: a desk phone given the
    # same instanceId is never handed over.
    phone = repository.phone_by_instance_id(
        session, caller.customer_id, WEBRTC_MODEL_ID, body.instanceId
    )
    if phone is not None:
        # Only a phone already on the caller's own extension is handed over: never
        # a colleague's, nor an unassigned one.
        if phone.extension_id != extension.id:
            raise Conflict("instanceId is in use", field="instanceId", code="instanceId")
        phone.config_saved_at = _now()
        _record(session, scope, phone, Action.WEBRTC)
        commit(session)
        return phone, extension
    model_id = WEBRTC_MODEL_ID
    username, password = generate_credentials()
    now = _now()
    phone = SipPhone(
        id=new_id(),
        customer_id=caller.customer_id,
        sip_phone_model_id=model_id,
        extension_id=extension.id,
        mac_address=_webrtc_mac(session),
        instance_id=body.instanceId,
        sip_username=username,
        sip_password=password,
        created_at=now,
        config_saved_at=now,
        **{**DEFAULTS, "notes": "WebRTC"},
    )
    repository.add_phone(session, phone)
    _record(session, scope, phone, Action.WEBRTC, after=_audit_snapshot(phone))
    commit(session)
    return phone, extension
