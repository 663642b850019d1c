"""Settings, read once from the environment (prefix PBXAPI_)."""

from functools import lru_cache

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
    # Login throttling (auth/throttle.py): failures allowed before each key is refused for a
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

    @property
    def webrtc_server_list(self) -> list[str]:
        return [server.strip() for server in self.webrtc_servers.split(",") if server.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
