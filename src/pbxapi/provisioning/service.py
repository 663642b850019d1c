"""Serving a device its configuration: find it by MAC, apply the IP rule, render,
record the fetch. One transaction: the IP lock and the record commit together or not
at all."""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pbxapi.auth import policy
from pbxapi.config import Settings
from pbxapi.db.tables import SipPhone, SipPhoneModel
from pbxapi.provisioning import naming, render, repository
from pbxapi.sipphones import iprule

log = logging.getLogger("pbxapi.provisioning")

USER_AGENT_LENGTH = 255  # sip_phones.last_user_agent
_CONTROL = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Configuration:
    body: str
    media_type: str
    customer_id: str
    phone_ids: tuple[str, ...]  # the device's phones: a desk phone, or a base's handsets


def _device_phones(session: Session, mac: str) -> tuple[SipPhoneModel, list[SipPhone]] | None:
    """The phones that share the MAC (one desk phone, or a base's handsets in index
    order) and their model, when the model is one we provision."""
    rows = repository.device_with_models(session, mac)
    if not rows:
        return None
    model = rows[0].SipPhoneModel
    # The write rules keep one model per MAC; should that ever break, serve nothing.
    if any(row.SipPhoneModel.id != model.id for row in rows):
        return None
    # A BLOCKED or DELETED customer's phones get no credentials.
    if any(row.state not in policy.PROVISIONING_STATES for row in rows):
        return None
    # Not provisionable (GENERIC, the built-in WebRTC model), or no template: nothing to
    # serve, exactly as for an unknown MAC.
    if not model.cap_provision or not model.configuration_template:
        return None
    return model, [row.SipPhone for row in rows]


def _accounts(session: Session, phones: list[SipPhone]) -> list[render.Account]:
    customer_id = phones[0].customer_id
    # Extensions of the phones and those their BLF keys watch, with their employees.
    wanted = {phone.extension_id for phone in phones if phone.extension_id}
    wanted |= {
        key.get("value") for phone in phones for key in phone.softkeys if key["function"] == "BLF"
    }
    extensions = repository.extensions_with_employees(session, customer_id, wanted - {None})
    accounts = []
    for phone in phones:
        row = extensions.get(phone.extension_id)
        extension = row.Extension if row else None
        softkeys = []
        for key in phone.softkeys:
            value = key.get("value") or ""
            if key["function"] == "BLF":  # the value is an extension id: watch its number
                watched = extensions.get(value)
                value = watched.Extension.number if watched else ""
            softkeys.append(
                render.Softkey(key["index"], key["function"], value, key.get("label") or "")
            )
        accounts.append(
            render.Account(
                handset_index=phone.handset_index or 0,
                username=phone.sip_username,
                password=phone.sip_password,
                extension=extension.number if extension else "",
                name=(extension.name or row.employee_name or extension.number) if row else "",
                language=(row.language if row and row.language else "en"),
                call_waiting=phone.call_waiting is not False,  # unset: the vendors' default, on
                custom_config=phone.custom_config or "",
                softkeys=softkeys,
                network={
                    "dhcp": phone.network_dhcp,
                    "ipaddress": phone.network_ip_address,
                    "subnet": phone.network_subnet,
                    "gateway": phone.network_gateway,
                    "dns1": phone.network_dns1,
                    "dns2": phone.network_dns2,
                    "vlanid": phone.network_vlan_id,
                    "vlanpriority": phone.network_vlan_priority,
                },
                codec_hd_audio=phone.codec_hd_audio,
                codec_video=phone.codec_video,
            )
        )
    return accounts


def clean_user_agent(value: str | None) -> str | None:
    if not value:
        return None
    return _CONTROL.sub(" ", value)[:USER_AGENT_LENGTH].strip() or None


def configuration_for(
    session: Session,
    settings: Settings,
    path: str,
    client_address: str,
    user_agent: str | None,
    country_of: iprule.CountryOf,
) -> Configuration | None:
    """The device's configuration, or None for every kind of "no" (unknown name or MAC,
    a model we do not provision, an address the IP rule refuses): the caller answers all
    of them alike. On success the session holds the IP lock and the record of the fetch;
    the caller commits."""
    wanted = naming.parse(path)
    if wanted is None:
        return None
    mac, brands = wanted
    found = _device_phones(session, mac)
    if found is None or found[0].brand not in brands:
        return None
    model, phones = found
    if not iprule.admit(session, phones, client_address, country_of):
        session.rollback()
        return None
    template = model.configuration_template
    device = render.Device(
        brand=model.brand,
        mac_address=mac,
        sip_domain=settings.sip_domain,
        sip_port=settings.sip_port,
        accounts=_accounts(session, phones),
    )
    body = render.render(template, device)
    repository.record_fetch(
        session,
        phones[0].customer_id,
        [phone.id for phone in phones],
        datetime.now(UTC),
        clean_user_agent(user_agent),
    )
    # Only ids and the address: the body carries SIP passwords and is never logged.
    log.info("configuration of %s (%d account(s), model %s) served to %s",
             mac, len(phones), model.id, client_address)  # fmt: skip
    media_type = "application/xml" if render.is_xml(template) else "text/plain"
    return Configuration(
        body, f"{media_type}; charset=utf-8", phones[0].customer_id, tuple(p.id for p in phones)
    )
