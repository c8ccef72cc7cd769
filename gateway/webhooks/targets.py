"""Where a webhook may be sent: an http(s) URL without credentials or fragment, and, unless private targets are
allowed, never to a loopback, private or link-local address (checked on the name's every resolved address, and the
connection then made to one of those very addresses)."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

MAX_URL_LENGTH = 2000
SCHEMES = ("http", "https")

# host, port -> getaddrinfo's answer; replaced in tests that need a name to resolve somewhere.
Resolver = Callable[[str, int], list]
# The well-known NAT64 prefix: the address's last 32 bits are the IPv4 one the translator connects to.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


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


class TargetRefused(Exception):
    """A webhook's host, while private targets are refused, does not resolve, or not only to public addresses."""


@dataclass(frozen=True)
class Aim:
    """Where one request goes. Pinned (`pinned()`), it is aimed at one vetted address while still naming the host it
    was vetted for: the connection goes to that address and no name is resolved again, so a DNS answer that changes
    in between cannot redirect it. Unpinned, it is just the URL, and httpx resolves the name."""

    url: str  # pinned: the URL with its host replaced by the address (IPv6 in brackets); port, path and query kept
    headers: dict[str, str] = field(default_factory=dict)  # pinned: Host, the URL's own host[:port]
    extensions: dict[str, str] = field(default_factory=dict)  # pinned https: the name TLS sends (SNI) and checks


def address_refusal(address: str) -> str | None:
    """Why an IP address is no place for a webhook when private targets are refused, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") names a link: refused below
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        else:
            for how, embedded in _embedded_ipv4(ip):
                kind = _refused_kind(embedded)
                if kind:
                    return f"{ip} carries {embedded} ({how}), {kind}"
    kind = _refused_kind(ip)
    return f"{ip} is {kind}" if kind else None


def public_addresses(url: str, *, resolve: Resolver | None = None) -> list[str]:
    """The addresses `url`'s host resolves to, once each in the resolver's order, every one of them public; else
    TargetRefused saying why. The name resolved is the one httpx would send as Host (IDNA-encoded)."""
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:  # idna's errors are UnicodeErrors
        raise TargetRefused(f"{url} is not a URL that can be sent to ({exc})") from None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        answers = (resolve or _getaddrinfo)(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise TargetRefused(f"{host} does not resolve ({exc})") from None
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise TargetRefused(f"{host} does not resolve")
    for address in sorted(addresses):
        refused = address_refusal(address)
        if refused:
            raise TargetRefused(f"{host} resolves to {refused}; private targets are refused here "
                                "(ERDM_WEBHOOK_ALLOW_PRIVATE)")
    return addresses


def target_refusal(url: str, *, resolve: Resolver | None = None) -> str | None:
    """Why a delivery to `url` is refused when private targets are: any address its host resolves to is not a
    public one, or it does not resolve. None when every address is public."""
    try:
        public_addresses(url, resolve=resolve)
    except TargetRefused as exc:
        return str(exc)
    return None


def pinned(url: str, address: str) -> Aim:
    """`url` sent to `address` (one its host was vetted at): Host and, for https, TLS's SNI and certificate check
    still use the URL's own name, so the receiver and its certificate are the ones subscribed."""
    original = httpx.URL(url)
    sni = {"sni_hostname": original.raw_host.decode("ascii")} if original.scheme == "https" else {}
    return Aim(str(original.copy_with(host=address.split("%", 1)[0])), {"Host": original.netloc.decode("ascii")}, sni)


def _refused_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private or ip.is_unspecified or ip.is_reserved or ip.is_multicast or not ip.is_global:
        return "a private or reserved address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 one carries, which the packets end up at: 6to4 (2002::/16), NAT64 (64:ff9b::/96),
    Teredo (its server and its client). Each must be public too, whatever Python's tables say of the IPv6 one."""
    found = []
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip in NAT64:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo server", server), ("Teredo client", client)]
    return found


def _getaddrinfo(host: str, port: int) -> list:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
