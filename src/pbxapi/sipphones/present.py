"""From rows to the wire format: the normal and the full SIP phone object."""

from datetime import UTC, datetime

from pbxapi.db.tables import SipPhone, SipPhoneModel, SipPhoneSidePanel
from pbxapi.sipphones import schemas
from pbxapi.sipphones.queries import Registration


def uri_host(uri: str | None) -> str | None:
    """The host of a SIP URI: "sip:100@192.168.1.10:5060;transport=udp" -> "192.168.1.10"."""
    if not uri:
        return None
    rest = uri.split(":", 1)[1] if uri.lower().startswith(("sip:", "sips:")) else uri
    rest = rest.rsplit("@", 1)[-1].split(";", 1)[0].split("?", 1)[0]
    if rest.startswith("["):  # [IPv6]:port
        return rest[1 : rest.find("]")] if "]" in rest else None
    return rest.split(":", 1)[0] or None


def ip_restriction(phone: SipPhone) -> schemas.IpRestriction:
    return schemas.IpRestriction(
        mode=phone.ip_mode, countries=phone.ip_countries, address=phone.ip_address
    )


def normal(
    phone: SipPhone,
    model: SipPhoneModel,
    extension_number: str | None,
    extension_direct: str | None,
    employee_id: str | None,
    employee_name: str | None,
    registration: Registration | None,
) -> schemas.SipPhone:
    return schemas.SipPhone(
        id=phone.id,
        macAddress=phone.mac_address,
        handsetIndex=phone.handset_index,
        handsetAddress=phone.handset_address,
        sipPhoneModel=schemas.PhoneModelSummary(
            id=model.id,
            brand=model.brand,
            brandName=model.brand_name,
            model=model.model,
            picture=model.picture,
        ),
        extension=schemas.ExtensionSummary(
            id=phone.extension_id, number=extension_number, direct=extension_direct
        )
        if phone.extension_id
        else None,
        employee=schemas.EmployeeSummary(id=employee_id, name=employee_name)
        if employee_id
        else None,
        ip=ip_restriction(phone),
        notes=phone.notes,
        online=registration is not None,
    )


def status(phone: SipPhone, registration: Registration | None) -> schemas.Status:
    if registration is None:
        return schemas.Status(
            configLoaded=phone.config_loaded_at,
            configSaved=phone.config_saved_at,
            online=False,
            expires=-1,
            localIpAddress=None,
            publicIpAddress=None,
            userAgent=phone.last_user_agent,
        )
    seconds_left = (registration.expires - datetime.now(UTC)).total_seconds()
    local = uri_host(registration.contact)
    return schemas.Status(
        configLoaded=phone.config_loaded_at,
        configSaved=phone.config_saved_at,
        online=True,
        expires=max(0, int(seconds_left)),
        localIpAddress=local,
        # Kamailio fills `received` only when the packet came from elsewhere than the
        # contact says (NAT); otherwise the contact's address is the public one.
        publicIpAddress=uri_host(registration.received) or local,
        userAgent=registration.user_agent or phone.last_user_agent,
    )


def full(
    phone: SipPhone,
    registration: Registration | None,
    side_panels: list[SipPhoneSidePanel],
    show_password: bool,
) -> schemas.SipPhoneFull:
    return schemas.SipPhoneFull(
        id=phone.id,
        pbxCluster=phone.pbx_cluster,
        sipPhoneModel=phone.sip_phone_model_id,
        extension=phone.extension_id,
        customer=phone.customer_id,
        macAddress=phone.mac_address,
        serial=phone.serial,
        handsetIndex=phone.handset_index,
        handsetAddress=phone.handset_address,
        callWaiting=phone.call_waiting,
        sidePanel=phone.side_panel,
        sidePanelCount=phone.side_panel_count,
        softkeyConfigurationOnDevice=phone.softkey_configuration_on_device,
        softkeyBlfBlindTransfer=phone.softkey_blf_blind_transfer,
        headsetButton=phone.headset_button,
        dhsg=phone.dhsg,
        displayBrightness=phone.display_brightness,
        displayBrightnessIdle=phone.display_brightness_idle,
        displayBackground=phone.display_background,
        displayFontColor=phone.display_font_color,
        customConfig=phone.custom_config,
        notes=phone.notes,
        ip=ip_restriction(phone),
        username=phone.sip_username,
        password=phone.sip_password if show_password else None,
        instanceId=phone.instance_id,
        ringer=schemas.Ringer(volume=phone.ringer_volume, tone=phone.ringer_tone),
        volume=schemas.Volume(
            handset=schemas.VolumePair(
                mic=phone.volume_handset_mic, speaker=phone.volume_handset_speaker
            ),
            headset=schemas.VolumePair(
                mic=phone.volume_headset_mic, speaker=phone.volume_headset_speaker
            ),
            handsfree=schemas.VolumePair(
                mic=phone.volume_handsfree_mic, speaker=phone.volume_handsfree_speaker
            ),
        ),
        softkeys=[
            schemas.Softkey(
                index=softkey["index"],
                function=softkey["function"],
                value=softkey.get("value"),
                label=softkey.get("label"),
            )
            for softkey in phone.softkeys
        ],
        codec=schemas.Codec(hdAudio=phone.codec_hd_audio, video=phone.codec_video),
        network=schemas.Network(
            dhcp=phone.network_dhcp,
            ipAddress=phone.network_ip_address,
            subnet=phone.network_subnet,
            gateway=phone.network_gateway,
            dns1=phone.network_dns1,
            dns2=phone.network_dns2,
            vlanId=phone.network_vlan_id,
            vlanPriority=phone.network_vlan_priority,
        ),
        purchaseInfo=schemas.PurchaseInfo(
            orderId=phone.purchase_order_id,
            date=phone.purchase_date,
            paymentOption=phone.purchase_payment_option,
            sidePanels=[
                schemas.SidePanelPurchase(
                    serial=panel.serial,
                    paymentOption=panel.payment_option,
                    orderId=panel.order_id,
                    date=panel.date,
                )
                for panel in side_panels
            ],
        ),
        status=status(phone, registration),
    )
