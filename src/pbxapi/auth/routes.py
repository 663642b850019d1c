"""HTTP layer of logging in and out."""

from fastapi import APIRouter

from pbxapi.api.deps import CallerDep, SessionDep
from pbxapi.api.schemas import Success, error_responses
from pbxapi.auth import login
from pbxapi.auth.schemas import LoginAnswer, LoginRequest

router = APIRouter(prefix="/auth", tags=["Authentication"])


@router.post(
    "/login",
    response_model=LoginAnswer,
    summary="Log in with e-mail address and password",
    responses=error_responses(400, 401),
)
def log_in(session: SessionDep, body: LoginRequest) -> LoginAnswer:
    """No token needed. The token expires after 15 minutes, or never with `persist: true`.
    Any failure is 401 credentials_invalid, whichever part was wrong."""
    return login.log_in(session, body)


@router.get(
    "/logout",
    response_model=Success,
    summary="Log out: end the caller's logins",
    responses=error_responses(401),
)
def log_out(session: SessionDep, caller: CallerDep) -> Success:
    """Ends all of the caller's login tokens and the token used for this request."""
    login.log_out(session, caller)
    return Success()
