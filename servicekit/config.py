"""Settings read from the environment once, by the process that needs them; nothing connects here."""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from servicekit.signing import WINDOW_SECONDS

# A service's web instance n (from 0) listens on ERDM_PORT + its offset + n * INSTANCE_PORT_STRIDE; the
# offsets are the catalogue's (contracts/catalogue.py), which the kit is given, never knows.
INSTANCE_PORT_STRIDE = 10
# Any part's database and a service's internal URLs; one word names the part (`ERDM_PLANS_URL`), so
# `ERDM_RATE_LIMIT_STORAGE_URL` and the like are not taken for a service's address (nor ERDM_BROKER_URL).
_DATABASE_URL = re.compile(r"^ERDM_([A-Z0-9]+)_DATABASE_URL$")
_SERVICE_URL = re.compile(r"^ERDM_([A-Z0-9]+)_URL$")
DEFAULT_ROOT_ORG_NAME = "市应急管理局"


@dataclass(frozen=True)
class Settings:
    port: int = 8000
    data_dir: Path = Path("var")
    admin_key: str | None = None
    broker_url: str = "filesystem://"
    database_urls: Mapping[str, str] = field(default_factory=dict)  # part -> URL, where one was given
    timezone: str = "Asia/Shanghai"
    rate_limit: str = "1200/minute"
    # The gateway's public door: where it counts (database:// = its own database, one count for every
    # process), failed authentications allowed per client address, and how many proxies in front of it
    # may name the client in X-Forwarded-For.
    rate_limit_storage_url: str = "database://"
    auth_failure_limit: str = "10/minute"
    trusted_proxies: int = 0
    max_body_bytes: int = 1024 * 1024
    import_max_body_bytes: int = 10 * 1024 * 1024
    # An attachment (SPEC: at most 20 MiB) travels as a multipart body: its file plus the framing, whose
    # allowance (boundaries, part headers, a long file name) is ERDM_UPLOAD_ALLOWANCE_BYTES.
    attachment_max_bytes: int = 20 * 1024 * 1024
    upload_allowance_bytes: int = 64 * 1024
    # Where attachments are kept: "" is the data folder (ERDM_DATA_DIR/attachments/<service>/), else an
    # S3-compatible bucket, `s3://bucket/prefix?endpoint_url=...&region=...` (servicekit/attachments/stores.py).
    object_store_url: str = ""
    internal_secret: str = ""
    signature_window_seconds: int = WINDOW_SECONDS  # servicekit/signing.py: the one figure
    service_urls: Mapping[str, str] = field(default_factory=dict)  # service -> its instances' URLs, comma-separated
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 30.0
    reservation_sweep_seconds: float = 5.0
    instances: int = 1  # web processes and workers `erdm run` starts per service
    # The name the gateway's root organisation (code ROOT) is given when its database is first made.
    root_org_name: str = DEFAULT_ROOT_ORG_NAME

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        port = int(env.get("ERDM_PORT", "8000"))
        instances = int(env.get("ERDM_INSTANCES", "1"))
        if not 1 <= instances <= 9:
            raise ValueError(f"ERDM_INSTANCES must be 1..9 (ports are spaced {INSTANCE_PORT_STRIDE} apart), not {instances}")
        data_dir = Path(env.get("ERDM_DATA_DIR", "var")).resolve()
        database_urls = {match[1].lower(): value for name, value in env.items()
                         if (match := _DATABASE_URL.match(name)) and value}
        # Kept even when empty: an empty ERDM_<PART>_URL says the part is not deployed (ERDM_CONSOLE_URL= makes an
        # API-only gateway), which is not the same as unset (its port beside the gateway's).
        service_urls = {match[1].lower(): value for name, value in env.items()
                        if (match := _SERVICE_URL.match(name)) and match[1] != "BROKER"}
        return cls(
            port=port,
            data_dir=data_dir,
            admin_key=env.get("ERDM_ADMIN_KEY") or None,
            broker_url=env.get("ERDM_BROKER_URL") or "filesystem://",
            database_urls=database_urls,
            timezone=env.get("ERDM_TIMEZONE", "Asia/Shanghai"),
            rate_limit=env.get("ERDM_RATE_LIMIT", "1200/minute"),
            rate_limit_storage_url=env.get("ERDM_RATE_LIMIT_STORAGE_URL") or "database://",
            auth_failure_limit=env.get("ERDM_AUTH_FAILURE_LIMIT", "10/minute"),
            trusted_proxies=_count(env, "ERDM_TRUSTED_PROXIES"),
            max_body_bytes=int(env.get("ERDM_MAX_BODY_BYTES", str(1024 * 1024))),
            upload_allowance_bytes=_count(env, "ERDM_UPLOAD_ALLOWANCE_BYTES") or 64 * 1024,
            object_store_url=(env.get("ERDM_OBJECT_STORE_URL") or "").strip(),
            internal_secret=env.get("ERDM_INTERNAL_SECRET", ""),
            service_urls=service_urls,
            upstream_connect_timeout=float(env.get("ERDM_UPSTREAM_CONNECT_TIMEOUT", "2")),
            upstream_read_timeout=float(env.get("ERDM_UPSTREAM_READ_TIMEOUT", "30")),
            reservation_sweep_seconds=float(env.get("ERDM_SWEEP_SECONDS", "5")),
            instances=instances,
            root_org_name=(env.get("ERDM_ROOT_ORG_NAME") or "").strip() or DEFAULT_ROOT_ORG_NAME,
        )

    def database_url(self, part: str) -> str:
        """`ERDM_<PART>_DATABASE_URL`, else the part's SQLite file in the data folder (the embedded default)."""
        return self.database_urls.get(part) or f"sqlite:///{self.data_dir / (part + '.db')}"

    def service_instances(self, service: str, *, port_offset: int) -> list[str]:
        """The base URLs of the service's web instances: `ERDM_<SERVICE>_URL` (comma-separated, may be empty),
        else one per `instances` on 127.0.0.1 at the service's ports."""
        if service in self.service_urls:
            listed = (self.service_urls[service] or "").split(",")
            return [url.strip().rstrip("/") for url in listed if url.strip()]
        return [f"http://127.0.0.1:{self.instance_port(port_offset, n)}" for n in range(self.instances)]

    def instance_port(self, port_offset: int, instance: int = 0) -> int:
        return self.port + port_offset + instance * INSTANCE_PORT_STRIDE

    @property
    def upload_max_body_bytes(self) -> int:
        """The largest body an attachment upload may carry: the file's cap and the multipart framing."""
        return self.attachment_max_bytes + self.upload_allowance_bytes

    @property
    def broker_folder(self) -> Path:
        """Where the embedded transport keeps its files (only for filesystem:// URLs)."""
        rest = self.broker_url.removeprefix("filesystem://")
        return Path(rest) if rest else self.data_dir / "broker"


def _count(env: Mapping[str, str], name: str) -> int:
    """A whole number >= 0 from the environment (0 when unset), or a ValueError naming the variable."""
    text = env.get(name, "").strip() or "0"
    if not text.isdigit():
        raise ValueError(f"{name} must be a whole number of 0 or more, not {text!r}")
    return int(text)


def new_secret() -> str:
    return secrets.token_urlsafe(32)
