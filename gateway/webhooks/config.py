"""The webhooks' settings, read from the environment once by the gateway and by the notifier; nothing connects here."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class WebhookSettings:
    # Whether a subscription may point at a loopback, private or link-local address. True on the embedded default,
    # so a receiver on the same machine works; production sets ERDM_WEBHOOK_ALLOW_PRIVATE=false, and such URLs are
    # refused when subscribing and again, after DNS resolution, before every attempt.
    allow_private: bool = True
    timeout_seconds: float = 5.0  # per connect, write and read of one attempt
    retry_base_seconds: float = 30.0  # the first retry's delay; each next one doubles...
    retry_cap_seconds: float = 3600.0  # ...up to this
    retry_window_seconds: float = 24 * 3600.0  # after the event's time, a delivery not yet made is failed
    senders: int = 8  # attempts under way at once, one per subscription at most
    poll_seconds: float = 1.0  # how often the sender looks for due retries (a new delivery wakes it at once)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "WebhookSettings":
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            allow_private=_flag(env, "ERDM_WEBHOOK_ALLOW_PRIVATE", default.allow_private),
            timeout_seconds=_seconds(env, "ERDM_WEBHOOK_TIMEOUT_SECONDS", default.timeout_seconds),
            retry_base_seconds=_seconds(env, "ERDM_WEBHOOK_RETRY_BASE_SECONDS", default.retry_base_seconds),
            retry_cap_seconds=_seconds(env, "ERDM_WEBHOOK_RETRY_CAP_SECONDS", default.retry_cap_seconds),
            retry_window_seconds=_seconds(env, "ERDM_WEBHOOK_RETRY_WINDOW_SECONDS", default.retry_window_seconds),
            senders=int(_seconds(env, "ERDM_WEBHOOK_SENDERS", default.senders)),
            poll_seconds=_seconds(env, "ERDM_WEBHOOK_POLL_SECONDS", default.poll_seconds),
        )


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {text!r}")


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None
    if not value > 0:
        raise ValueError(f"{name} must be more than 0, not {text!r}")
    return value
