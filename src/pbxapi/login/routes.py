"""HTTP layer of logging in and out."""

from fastapi import APIRouter, Request

from pbxapi.api.deps import SessionDep, SettingsDep, allowed_for
from pbxapi.api.schemas import Success, error_responses
from pbxapi.auth.policy import Resource
from pbxapi.login import service as login
from pbxapi.login.schemas import LoginAnswer, LoginRequest
from pbxapi.login.throttle import client_address

router = APIRouter(prefix="/auth", tags=["Authentication"])

# Who may call each route: auth/policy.py (logging in needs no token).
may = allowed_for(Resource.LOGIN)


@router.post(
    "/login",
    response_model=LoginAnswer,
    summary="Log in with e-mail address and password",
    responses=error_responses(400, 401, 429),
)
def log_in(
    session: SessionDep, settings: SettingsDep, request: Request, body: LoginRequest
) -> LoginAnswer:
    """No token needed. The token expires after 15 minutes, or never with `persist: true`.
    Any failure is 401 credentials_invalid, whichever part was wrong. Repeated failures
    for one account or from one address are refused for a while: 429 too_many_requests
    with `Retry-After` (seconds); the password is not looked at meanwhile."""
    return login.log_in(session, settings, body, client_address(request.client))


@router.get(
    "/logout",
    response_model=Success,
    summary="Log out: end the caller's logins",
    responses=error_responses(401),
)
def log_out(session: SessionDep, caller: may.delete) -> Success:
    """Ends all of the caller's login tokens and the token used for this request."""
    login.log_out(session, caller)
    return Success()
