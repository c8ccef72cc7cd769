"""Where a webhook may be sent: an http(s) URL without credentials or fragment, and, unless private targets are
allowed, never to a loopback, private or link-local address (checked on the name's every resolved address)."""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
SCHEMES = ("http", "https")

# host, port -> getaddrinfo's answer; replaced in tests that need a name to resolve somewhere.
Resolver = Callable[[str, int], list]


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook's address, or None when it can (no I/O)."""
    if len(url) > MAX_URL_LENGTH:
        return f"Must be at most {MAX_URL_LENGTH} characters."
    if any(character.isspace() or not character.isprintable() for character in url):
        return "Must not contain spaces or control characters."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Not a valid URL."
    if parts.scheme.lower() not in SCHEMES:
        return "Must be an http or https URL."
    if not parts.hostname:
        return "Must name a host."
    if "@" in parts.netloc:
        return "Must not carry a user name or password: sign with the secret instead."
    if "#" in url:
        return "Must not have a fragment."
    if port == 0:
        return "Not a valid port."
    return None


def address_refusal(address: str) -> str | None:
    """Why an IP address is no place for a webhook when private targets are refused, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") names a link: refused below
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_private or ip.is_unspecified or ip.is_reserved or ip.is_multicast or not ip.is_global:
        return f"{ip} is a private or reserved address"
    return None


def target_refusal(url: str, *, resolve: Resolver | None = None) -> str | None:
    """Why a delivery to `url` is refused when private targets are: any address its host resolves to is not a
    public one, or it does not resolve. None when every address is public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        answers = (resolve or _getaddrinfo)(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        return f"{host} does not resolve ({exc})"
    addresses = sorted({answer[4][0] for answer in answers})
    if not addresses:
        return f"{host} does not resolve"
    for address in addresses:
        refused = address_refusal(address)
        if refused:
            return f"{host} resolves to {refused}; private targets are refused here (ERDM_WEBHOOK_ALLOW_PRIVATE)"
    return None


def _getaddrinfo(host: str, port: int) -> list:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
