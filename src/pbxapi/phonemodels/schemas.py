"""The SIP phone model's wire format (api-notes.md, "SIP phone models")."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from pbxapi.api.params import QueryBool, SearchQuery, limit_param
from pbxapi.api.schemas import IdIn, JsonInt, Page, WireModel, WriteModel, not_blank_text
from pbxapi.phonemodels import templates

Brand = Literal["SNOM", "MITEL", "GIGASET", "LG", "CISCO", "YEALINK", "GENERIC"]
SoftkeyFunction = Literal[
    "SPEEDDIAL", "BLF", "LINE", "DND", "DNDOTHER", "ADDRESSBOOK", "REDIAL", "VOICEMAIL",
    "TRANSFER", "URL", "HOLD", "RECORD", "MENU", "PICKUP", "PICKUPGROUP", "QUEUE", "SWITCH",
    "PRESENCE",
]  # fmt: skip

# Handset capacity: how many SIP phones may share one MAC (1 for a desk phone). The upper
# bound is far above any DECT system and keeps handset index assignment cheap.
MAX_HANDSETS = 1000
MAX_SOFTKEYS = 1000


def _no_duplicates(functions: list[str]) -> list[str]:
    duplicates = sorted({function for function in functions if functions.count(function) > 1})
    if duplicates:
        raise ValueError(f"listed more than once: {', '.join(duplicates)}")
    return functions


BrandName = Annotated[not_blank_text(64), Field(description="The brand as displayed, e.g. Snom.")]
ModelName = Annotated[
    not_blank_text(64), Field(description="Unique within the brand (compared case-insensitively).")
]
Description = Annotated[str, StringConstraints(max_length=2000)]
Handsets = Annotated[
    JsonInt,
    Field(ge=1, le=MAX_HANDSETS, description="Handset capacity: 1 for a desk phone."),
]
SoftkeyCount = Annotated[
    JsonInt, Field(ge=0, le=MAX_SOFTKEYS, description="Programmable function keys.")
]
SoftkeyFunctions = Annotated[
    list[SoftkeyFunction],
    AfterValidator(_no_duplicates),
    Field(description="The softkey functions the model supports, each at most once."),
]
ConfigurationTemplate = Annotated[
    str,
    StringConstraints(max_length=200_000),
    # Loops must be well formed, so that provisioning can always render what is stored.
    AfterValidator(templates.check),
    Field(
        description="Configuration text with %KEYWORD% placeholders and the "
        "%HandsetStart%/%HandsetEnd% and %SoftkeyStart%/%SoftkeyEnd% loops (see README)."
    ),
]


class Capabilities(WireModel):
    provision: bool
    macRedirect: bool
    customRingtones: bool
    multipleHandsets: bool = Field(description="True exactly when extensions > 1.")
    sipConfigReload: bool


class SipPhoneModel(WireModel):
    """The normal representation (the list without full=true)."""

    id: str = Field(alias="_id")
    brand: Brand
    brandName: str
    model: str
    description: str
    picture: str | None = Field(description="Id of a 200x200 picture.")
    extensions: int = Field(description="Handset capacity: 1 for a desk phone.")


class SipPhoneModelFull(SipPhoneModel):
    """full=true, GET /pbx/sipphonemodels/ID and the write answers."""

    softkeys: int
    softkeyLabels: bool
    softkeyCapabilities: list[SoftkeyFunction]
    capabilities: Capabilities
    configurationTemplate: str | None


class SipPhoneModelList(Page):
    total: int = Field(description="Models matching, ignoring offset and limit.")
    sipPhoneModels: list[SipPhoneModelFull] | list[SipPhoneModel]


class SipPhoneModelQuery(SearchQuery):
    limit: limit_param(maximum=500, default=50) = 50
    full: QueryBool = Field(False, description="True to include every field.")


class CapabilitiesIn(WriteModel):
    """Any subset; on create the rest default to false, except multipleHandsets, which
    follows extensions when it is not sent."""

    provision: StrictBool = None  # type: ignore[assignment] - absent means default/unchanged
    macRedirect: StrictBool = None  # type: ignore[assignment]
    customRingtones: StrictBool = None  # type: ignore[assignment]
    multipleHandsets: StrictBool = None  # type: ignore[assignment]
    sipConfigReload: StrictBool = None  # type: ignore[assignment]


class SipPhoneModelCreate(WriteModel):
    brand: Brand
    brandName: BrandName
    model: ModelName
    description: Description = ""
    picture: IdIn | None = None
    extensions: Handsets = 1
    softkeys: SoftkeyCount = 0
    softkeyLabels: StrictBool = False
    softkeyCapabilities: SoftkeyFunctions = []  # noqa: RUF012 - pydantic copies defaults
    capabilities: CapabilitiesIn = Field(default_factory=CapabilitiesIn)
    configurationTemplate: ConfigurationTemplate | None = None


class SipPhoneModelUpdate(WriteModel):
    """Any subset of the writable fields; null only where the field is nullable."""

    # A default of None is not validated: absent means unchanged, an explicit null is a 400.
    brand: Brand = None  # type: ignore[assignment]
    brandName: BrandName = None  # type: ignore[assignment]
    model: ModelName = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    picture: IdIn | None = None
    extensions: Handsets = None  # type: ignore[assignment]
    softkeys: SoftkeyCount = None  # type: ignore[assignment]
    softkeyLabels: StrictBool = None  # type: ignore[assignment]
    softkeyCapabilities: SoftkeyFunctions = None  # type: ignore[assignment]
    capabilities: CapabilitiesIn = None  # type: ignore[assignment]
    configurationTemplate: ConfigurationTemplate | None = None
