"""The wire format of logging in."""

from typing import Annotated

from pydantic import Field, StringConstraints

from pbxapi.api.schemas import JsonBool, WireModel, WriteModel
from pbxapi.auth.levels import AccessLevel
from pbxapi.auth.passwords import MAX_PASSWORD_LENGTH


class LoginRequest(WriteModel):
    username: Annotated[
        str,
        StringConstraints(max_length=254),
        Field(description="The employee's e-mail address, in any case."),
    ]
    password: Annotated[str, StringConstraints(max_length=MAX_PASSWORD_LENGTH)]
    persist: JsonBool = Field(False, description="True for a token that does not expire.")


class LoginAnswer(WireModel):
    token: str = Field(description="Send it as `Authorization: Bearer <token>`.")
    expiresInMinutes: int = Field(description="Minutes until the token expires; -1: never.")
    employee: str = Field(description="Id of the employee logged in.")
    customer: str = Field(description="Id of the employee's customer.")
    accessLevel: AccessLevel
