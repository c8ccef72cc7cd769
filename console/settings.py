"""The console's settings: where the gateway is, where sessions are kept, the map's tiles; read once per process."""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from contracts.catalogue import CONSOLE_PORT_OFFSET
from servicekit.config import Settings

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class ConsoleSettings:
    gateway_urls: tuple[str, ...]  # the gateway's base URLs (its instances); the console calls /api/v1 there
    session_store_url: str  # "" = files under the data folder (one host); redis://… for several hosts
    session_folder: Path
    secret_key: str  # signs the CSRF tokens; every console process of a deployment must share it
    internal_secret: str  # proves to the gateway which browser address a sign-in comes from
    timezone: str
    map_tile_url: str  # "" = no tiles: the map draws the depots' markers on a blank ground (offline)
    map_attribution: str
    cookie_secure: bool
    port: int

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> "ConsoleSettings":
        env = os.environ if environ is None else environ
        gateway_urls = tuple(settings.service_instances("gateway", port_offset=0))
        secret = env.get("ERDM_CONSOLE_SECRET") or _derived_secret(settings.internal_secret)
        return cls(
            gateway_urls=gateway_urls,
            session_store_url=env.get("ERDM_CONSOLE_SESSION_URL", ""),
            session_folder=settings.data_dir / "console-sessions",
            secret_key=secret,
            internal_secret=settings.internal_secret,
            timezone=settings.timezone,
            map_tile_url=env.get("ERDM_MAP_TILE_URL", ""),
            map_attribution=env.get("ERDM_MAP_ATTRIBUTION", ""),
            cookie_secure=env.get("ERDM_CONSOLE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            port=settings.instance_port(CONSOLE_PORT_OFFSET),
        )


def _derived_secret(internal_secret: str) -> str:
    """The console's key, derived from the deployment's internal secret (so no second secret to hand out),
    and never equal to it: a CSRF token must not be a signature the services would accept."""
    if not internal_secret:
        raise ValueError("the console needs ERDM_CONSOLE_SECRET or ERDM_INTERNAL_SECRET to sign its forms")
    return hmac.new(internal_secret.encode(), b"erdm-console-forms", hashlib.sha256).hexdigest()
