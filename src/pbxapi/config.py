"""Settings, read once from the environment (prefix PBXAPI_)."""

from functools import lru_cache

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PBXAPI_", extra="ignore")

    # SQLite file by default so that one command runs the service on a laptop;
    # a postgresql:// URL selects PostgreSQL.
    database_url: str = "sqlite:///./pbxapi.db"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # Where WebRTC clients register (SIP over secure WebSocket); comma-separated for
    # older clients, which take a list, v2 clients get the first.
    webrtc_servers: str = "wss://127.0.0.1:8089/ws"
    # Login throttling (login/throttle.py): failures allowed before each key is refused for a
    # while, and the longest refusal. An account's is short, so that an attacker cannot keep
    # its owner out for long; an address's is long, since it holds a guesser back.
    login_account_free_failures: int = 5
    login_account_max_lock_seconds: int = 300
    login_address_free_failures: int = 20
    login_address_max_lock_seconds: int = 3600
    # failures are forgotten after this long without one (after the refusal ends)
    login_failure_window_seconds: int = 900
    # an address an account logged in from is spared that account's refusal this long
    login_trusted_address_days: int = 30
    # `pbxapi serve-provisioning` listens on `host` and this port.
    provisioning_port: int = 8080
    # The SIP server's port that provisioned phones register to (at `sip_domain`).
    sip_port: int = 5060
    # Shared with the SIP server: it sends this with its admission requests
    # (/internal/sip/admission). Empty: the internal endpoints refuse every request.
    internal_secret: str = ""
    # The SIP server's control endpoint (Kamailio JSON-RPC over HTTP, bound to 127.0.0.1),
    # through which reboot and configreload NOTIFYs are sent. Empty: those answer 503.
    sip_control_url: str = ""
    # The SIP domain phones register to: written in the NOTIFYs' From and To, and the
    # registrar provisioning hands to phones.
    sip_domain: str = "127.0.0.1"
    # Seconds to wait for the SIP server (and, through it, the phone) to answer a NOTIFY.
    sip_control_timeout: float = 5.0

    @field_validator("sip_control_url")
    @classmethod
    def _http_only(cls, url: str) -> str:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return url

    @property
    def webrtc_server_list(self) -> list[str]:
        return [server.strip() for server in self.webrtc_servers.split(",") if server.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
