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
    # `pbxapi serve-provisioning` listens on `host` and this port.
    provisioning_port: int = 8080
    # The SIP server (registrar and domain) that provisioned phones register with.
    sip_domain: str = "127.0.0.1"
    sip_port: int = 5060

    @property
    def webrtc_server_list(self) -> list[str]:
        return [server.strip() for server in self.webrtc_servers.split(",") if server.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
