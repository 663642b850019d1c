"""Request bodies of the SIP phone resource: what a client may write, and in what form.

Every field is optional here: on create, what is not sent takes its documented
default; on update, what is not sent stays as it is (nested objects are merged).
Read-only fields (`_id`, `customer` on update, `handsetIndex`, `username`,
`password`, `status`) are not declared, so WriteModel refuses them by name.
"""

import ipaddress
import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from iso3166 import countries_by_alpha2
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from pbxapi.api.schemas import (
    NO_NUL_PATTERN,
    IdIn,
    JsonBool,
    JsonInt,
    WriteModel,
    json_integer,
    not_blank_text,
)
from pbxapi.sipphones.schemas import (
    HeadsetButton,
    IpMode,
    PaymentOption,
    SoftkeyFunction,
)

# 12 hex digits in any case, with `:`, `-`, `.` and spaces anywhere between them; published
# as the input's pattern, so the description and the check are one rule.
MAC_INPUT_PATTERN = r"^[:\-. ]*(?:[0-9A-Fa-f][:\-. ]*){12}$"
_MAC_INPUT = re.compile(MAC_INPUT_PATTERN)
_MAC_SEPARATORS = re.compile(r"[:\-. ]")


def normalize_mac(value: object) -> object:
    """'4e:e8:a3:4b:56:f3', '4E-E8-A3-4B-56-F3', '4ee8.a34b.56f3' -> '4EE8A34B56F3'."""
    if not isinstance(value, str):
        return value
    if not _MAC_INPUT.match(value):
        raise ValueError("must be a MAC address: 12 hex digits, separators allowed")
    return _MAC_SEPARATORS.sub("", value).upper()


def _ip_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError("must be an IPv4 or IPv6 address") from None


def _ipv4_address(value: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise ValueError("must be an IPv4 address") from None


def normalize_countries(value: str) -> str:
    """'dk, se' -> 'DK,SE': ISO 3166-1 alpha-2 codes, each once, in the order given."""
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in countries_by_alpha2]
    if unknown:
        raise ValueError(f"not ISO 3166 country codes: {', '.join(unknown)}")
    return ",".join(dict.fromkeys(codes))


def _tone_as_text(value: object) -> object:
    # The documentation's example sends the built-in tone's index as a number.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _as_utc(value: datetime) -> datetime:
    """A date without a zone is taken as UTC; stored and answered in UTC to the second."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00
        raise ValueError("date out of range") from None


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
MacIn = Annotated[
    str, BeforeValidator(normalize_mac), Field(json_schema_extra={"pattern": MAC_INPUT_PATTERN})
]
IpAddressIn = Annotated[str, StringConstraints(max_length=45), AfterValidator(_ip_address)]
Ipv4In = Annotated[str, StringConstraints(max_length=15), AfterValidator(_ipv4_address)]
CountriesIn = Annotated[str, StringConstraints(max_length=512), AfterValidator(normalize_countries)]
Level = Annotated[JsonInt, Field(ge=0, le=15)]
Brightness = Annotated[JsonInt, Field(ge=0, le=15)]
ShortText = Annotated[str, StringConstraints(max_length=64)]
Url = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https?://[^\s\x00]+$")]
LongText = Annotated[str, StringConstraints(max_length=65_536)]


class IpIn(WriteModel):
    mode: IpMode = None  # type: ignore[assignment] - absent means unchanged / default
    countries: CountriesIn = None  # type: ignore[assignment]
    address: IpAddressIn | None = None


class RingerIn(WriteModel):
    volume: Level | None = None
    tone: Annotated[
        ShortText | None,
        BeforeValidator(_tone_as_text),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "maxLength": 64, "pattern": NO_NUL_PATTERN},
                    {"type": "integer"},
                    {"type": "null"},
                ]
            }
        ),
    ] = None


class VolumePairIn(WriteModel):
    mic: Level | None = None
    speaker: Level | None = None


class VolumeIn(WriteModel):
    handset: VolumePairIn = None  # type: ignore[assignment]
    headset: VolumePairIn = None  # type: ignore[assignment]
    handsfree: VolumePairIn = None  # type: ignore[assignment]


class SoftkeyIn(WriteModel):
    index: Annotated[JsonInt, Field(ge=0, le=999)]
    function: SoftkeyFunction
    value: Annotated[str, StringConstraints(max_length=2048)] | None = None
    label: ShortText | None = None


class CodecIn(WriteModel):
    hdAudio: JsonBool = None  # type: ignore[assignment]
    video: JsonBool = None  # type: ignore[assignment]


class NetworkIn(WriteModel):
    dhcp: JsonBool = None  # type: ignore[assignment]
    ipAddress: Ipv4In | None = None
    subnet: Ipv4In | None = None
    gateway: Ipv4In | None = None
    dns1: Ipv4In | None = None
    dns2: Ipv4In | None = None
    vlanId: Annotated[JsonInt, Field(ge=0, le=4094)] = None  # type: ignore[assignment]
    vlanPriority: Annotated[JsonInt, Field(ge=0, le=7)] = None  # type: ignore[assignment]


class SidePanelIn(WriteModel):
    serial: not_blank_text(64)
    paymentOption: PaymentOption = "NONE"
    orderId: ShortText | None = None
    date: UtcDateTime | None = None


class PurchaseInfoIn(WriteModel):
    orderId: ShortText | None = None
    date: UtcDateTime | None = None
    paymentOption: PaymentOption = None  # type: ignore[assignment]
    sidePanels: Annotated[list[SidePanelIn], Field(max_length=16)] = None  # type: ignore[assignment]


class SipPhoneFields(WriteModel):
    """The writable fields of a SIP phone."""

    pbxCluster: Annotated[Literal[1, 2], BeforeValidator(json_integer)] = None  # type: ignore[assignment]
    sipPhoneModel: IdIn = None  # type: ignore[assignment]
    extension: IdIn | None = None
    macAddress: MacIn = None  # type: ignore[assignment]
    serial: ShortText | None = None
    handsetAddress: ShortText | None = None
    callWaiting: JsonBool | None = None
    sidePanel: ShortText | None = None
    sidePanelCount: Annotated[JsonInt, Field(ge=0, le=16)] = None  # type: ignore[assignment]
    softkeyConfigurationOnDevice: JsonBool = None  # type: ignore[assignment]
    softkeyBlfBlindTransfer: JsonBool = None  # type: ignore[assignment]
    headsetButton: HeadsetButton | None = None
    dhsg: JsonBool = None  # type: ignore[assignment]
    displayBrightness: Brightness | None = None
    displayBrightnessIdle: Brightness | None = None
    displayBackground: Url | None = None
    displayFontColor: Literal["LIGHT", "DARK"] | None = None
    customConfig: LongText | None = None
    notes: LongText = None  # type: ignore[assignment]
    ip: IpIn = None  # type: ignore[assignment]
    instanceId: Annotated[str, StringConstraints(max_length=128)] | None = None
    ringer: RingerIn = None  # type: ignore[assignment]
    volume: VolumeIn = None  # type: ignore[assignment]
    softkeys: Annotated[list[SoftkeyIn], Field(max_length=1000)] = None  # type: ignore[assignment]
    codec: CodecIn = None  # type: ignore[assignment]
    network: NetworkIn = None  # type: ignore[assignment]
    purchaseInfo: PurchaseInfoIn = None  # type: ignore[assignment]


class SipPhoneCreate(SipPhoneFields):
    customer: IdIn | None = Field(None, description="Default: the caller's own customer.")
    sipPhoneModel: IdIn
    macAddress: MacIn


class SipPhoneUpdate(SipPhoneFields):
    """Any subset of the writable fields; nested objects are merged."""


class WebRtcRequest(WriteModel):
    instanceId: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    v2: JsonBool = False
