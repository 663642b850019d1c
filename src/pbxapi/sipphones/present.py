"""From rows to the wire format: the normal and the full SIP phone object.

Objects are built as plain dicts and serialised once (api/responses.py): the hot path
of the list builds a thousand full objects per request, and validating each through
Pydantic models on the way out cost ten times the SQL. The Pydantic models in
schemas.py remain the documented shape; tests check every answer against them.

`phone` is anything with the SipPhone column names as attributes: an ORM object, or a
row of the list's Core query.
"""

from datetime import UTC, datetime

from pbxapi.sipphones.repository.listing import Registration


def uri_host(uri: str | None) -> str | None:
    """The host of a SIP URI: "sip:100@192.168.1.10:5060;transport=udp" -> "192.168.1.10"."""
    if not uri:
        return None
    rest = uri.split(":", 1)[1] if uri.lower().startswith(("sip:", "sips:")) else uri
    rest = rest.rsplit("@", 1)[-1].split(";", 1)[0].split("?", 1)[0]
    if rest.startswith("["):  # [IPv6]:port
        return rest[1 : rest.find("]")] if "]" in rest else None
    return rest.split(":", 1)[0] or None


def ip_restriction(phone) -> dict:
    return {"mode": phone.ip_mode, "countries": phone.ip_countries, "address": phone.ip_address}


def normal(row, registration: Registration | None) -> dict:
    """`row` is a row of queries.list_phones (normal columns): a named tuple, whose fields
    read fast by name (repository.listing._collapse)."""
    return {
        "_id": row.id,
        "macAddress": row.mac_address,
        "handsetIndex": row.handset_index,
        "handsetAddress": row.handset_address,
        "sipPhoneModel": {
            "_id": row.model_id,
            "brand": row.model_brand,
            "brandName": row.model_brand_name,
            "model": row.model_name,
            "picture": row.model_picture,
        },
        "extension": {
            "_id": row.extension_id,
            "number": row.extension_number,
            "direct": row.extension_direct,
        }
        if row.extension_id
        else None,
        "employee": {"_id": row.employee_id, "name": row.employee_name}
        if row.employee_id
        else None,
        "ip": ip_restriction(row),
        "notes": row.notes,
        "online": registration is not None,
    }


def status(phone, registration: Registration | None) -> dict:
    if registration is None:
        return {
            "configLoaded": phone.config_loaded_at,
            "configSaved": phone.config_saved_at,
            "online": False,
            "expires": -1,
            "localIpAddress": None,
            "publicIpAddress": None,
            "userAgent": phone.last_user_agent,
        }
    seconds_left = (registration.expires - datetime.now(UTC)).total_seconds()
    local = uri_host(registration.contact)
    return {
        "configLoaded": phone.config_loaded_at,
        "configSaved": phone.config_saved_at,
        "online": True,
        "expires": max(0, int(seconds_left)),
        "localIpAddress": local,
        # Kamailio fills `received` only when the packet came from elsewhere than the
        # contact says (NAT); otherwise the contact's address is the public one.
        "publicIpAddress": uri_host(registration.received) or local,
        "userAgent": registration.user_agent or phone.last_user_agent,
    }


def side_panel(panel) -> dict:
    return {
        "serial": panel.serial,
        "paymentOption": panel.payment_option,
        "orderId": panel.order_id,
        "date": panel.date,
    }


def full(phone, registration: Registration | None, side_panels: list, show_password: bool) -> dict:
    return {
        "_id": phone.id,
        "pbxCluster": phone.pbx_cluster,
        "sipPhoneModel": phone.sip_phone_model_id,
        "extension": phone.extension_id,
        "customer": phone.customer_id,
        "macAddress": phone.mac_address,
        "serial": phone.serial,
        "handsetIndex": phone.handset_index,
        "handsetAddress": phone.handset_address,
        "callWaiting": phone.call_waiting,
        "sidePanel": phone.side_panel,
        "sidePanelCount": phone.side_panel_count,
        "softkeyConfigurationOnDevice": phone.softkey_configuration_on_device,
        "softkeyBlfBlindTransfer": phone.softkey_blf_blind_transfer,
        "headsetButton": phone.headset_button,
        "dhsg": phone.dhsg,
        "displayBrightness": phone.display_brightness,
        "displayBrightnessIdle": phone.display_brightness_idle,
        "displayBackground": phone.display_background,
        "displayFontColor": phone.display_font_color,
        "customConfig": phone.custom_config,
        "notes": phone.notes,
        "ip": ip_restriction(phone),
        "username": phone.sip_username,
        "password": phone.sip_password if show_password else None,
        "instanceId": phone.instance_id,
        "ringer": {"volume": phone.ringer_volume, "tone": phone.ringer_tone},
        "volume": {
            "handset": {"mic": phone.volume_handset_mic, "speaker": phone.volume_handset_speaker},
            "headset": {"mic": phone.volume_headset_mic, "speaker": phone.volume_headset_speaker},
            "handsfree": {
                "mic": phone.volume_handsfree_mic,
                "speaker": phone.volume_handsfree_speaker,
            },
        },
        "softkeys": [
            {
                "index": key["index"],
                "function": key["function"],
                "value": key.get("value"),
                "label": key.get("label"),
            }
            for key in phone.softkeys
        ],
        "codec": {"hdAudio": phone.codec_hd_audio, "video": phone.codec_video},
        "network": {
            "dhcp": phone.network_dhcp,
            "ipAddress": phone.network_ip_address,
            "subnet": phone.network_subnet,
            "gateway": phone.network_gateway,
            "dns1": phone.network_dns1,
            "dns2": phone.network_dns2,
            "vlanId": phone.network_vlan_id,
            "vlanPriority": phone.network_vlan_priority,
        },
        "purchaseInfo": {
            "orderId": phone.purchase_order_id,
            "date": phone.purchase_date,
            "paymentOption": phone.purchase_payment_option,
            "sidePanels": [side_panel(panel) for panel in side_panels],
        },
        "status": status(phone, registration),
    }
