"""The SIP phone's wire format, field by field as sipphone-list.txt documents it."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from pbxapi.api.schemas import WireModel
from pbxapi.phonemodels.schemas import Brand, SoftkeyFunction

IpMode = Literal["OPEN", "LOCKED", "ROAMING"]
PaymentOption = Literal["NONE", "BOUGHT", "RENTED", "SELF_OWNED"]
HeadsetButton = Literal["speaker", "headset", "speaker-headset", "headset-speaker"]


class IpRestriction(WireModel):
    mode: IpMode = Field(description="OPEN, LOCKED (only ip.address) or ROAMING (ip.countries).")
    countries: str = Field(description="Comma list of ISO 3166 country codes (ROAMING).")
    address: str | None = Field(description="The only address accepted when LOCKED.")


# --- normal representation -------------------------------------------------------------


class PhoneModelSummary(WireModel):
    id: str = Field(alias="_id")
    brand: Brand
    brandName: str
    model: str
    picture: str | None


class ExtensionSummary(WireModel):
    id: str = Field(alias="_id")
    number: str
    direct: str | None


class EmployeeSummary(WireModel):
    id: str = Field(alias="_id")
    name: str


class SipPhone(WireModel):
    id: str = Field(alias="_id")
    macAddress: str
    handsetIndex: int | None
    handsetAddress: str | None
    sipPhoneModel: PhoneModelSummary
    extension: ExtensionSummary | None
    employee: EmployeeSummary | None = Field(description="The employee of the phone's extension.")
    ip: IpRestriction
    notes: str
    online: bool


# --- full representation (full=true, GET /pbx/sipphone/ID) -------------------------------


class Ringer(WireModel):
    volume: int | None
    tone: str | None


class VolumePair(WireModel):
    mic: int | None
    speaker: int | None


class Volume(WireModel):
    handset: VolumePair
    headset: VolumePair
    handsfree: VolumePair


class Softkey(WireModel):
    index: int
    function: SoftkeyFunction
    value: str | None
    label: str | None


class Codec(WireModel):
    hdAudio: bool
    video: bool


class Network(WireModel):
    dhcp: bool
    ipAddress: str | None
    subnet: str | None
    gateway: str | None
    dns1: str | None
    dns2: str | None
    vlanId: int
    vlanPriority: int


class SidePanelPurchase(WireModel):
    serial: str
    paymentOption: PaymentOption
    orderId: str | None
    date: datetime | None


class PurchaseInfo(WireModel):
    orderId: str | None
    date: datetime | None
    paymentOption: PaymentOption
    sidePanels: list[SidePanelPurchase]


class Status(WireModel):
    configLoaded: datetime | None
    configSaved: datetime | None
    online: bool
    expires: int = Field(description="Seconds until the registration expires, -1 if offline.")
    localIpAddress: str | None
    publicIpAddress: str | None
    userAgent: str | None


class SipPhoneFull(WireModel):
    id: str = Field(alias="_id")
    pbxCluster: Literal[1, 2]
    sipPhoneModel: str
    extension: str | None
    customer: str
    macAddress: str
    serial: str | None
    handsetIndex: int | None
    handsetAddress: str | None
    callWaiting: bool | None
    sidePanel: str | None
    sidePanelCount: int
    softkeyConfigurationOnDevice: bool
    softkeyBlfBlindTransfer: bool
    headsetButton: HeadsetButton | None
    dhsg: bool
    displayBrightness: int | None
    displayBrightnessIdle: int | None
    displayBackground: str | None
    displayFontColor: Literal["LIGHT", "DARK"] | None
    customConfig: str | None
    notes: str
    ip: IpRestriction
    username: str
    password: str | None = Field(description="Shown to MANAGER and above only; null otherwise.")
    instanceId: str | None
    ringer: Ringer
    volume: Volume
    softkeys: list[Softkey]
    codec: Codec
    network: Network
    purchaseInfo: PurchaseInfo
    status: Status


class SipPhoneList(WireModel):
    offset: int
    limit: int
    total: int = Field(description="Phones matching, ignoring offset and limit.")
    sipPhones: list[SipPhone] | list[SipPhoneFull]


class WebRtcPhone(WireModel):
    """The WebRTC client's account: `server` for v2 clients, `servers` for older ones."""

    id: str = Field(alias="_id")
    server: str | None = None
    servers: list[str] | None = None
    username: str
    password: str
    extensionNumber: str
    extensionName: str
