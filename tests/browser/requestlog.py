"""The SPEC's "no request leaves the machine": every request a page makes, and whether any went beyond the stack."""
from __future__ import annotations

from urllib.parse import urlsplit

# Schemes that name something the browser holds already (an inline image, a blob a script made): no network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def origin(url: str) -> str:
    """`scheme://host:port` of a URL, the port always written (so http://h and http://h:80 compare equal)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class RequestLog:
    """Every URL the browser asked for while a test ran, in order, judged against the stack's own origin."""

    def __init__(self, home: str):
        self.home = origin(home)
        self.urls: list[str] = []

    def record(self, request) -> None:
        """Playwright's `request` event (a context's, so popups and frames count too)."""
        self.urls.append(request.url)

    def leaves_home(self, url: str) -> bool:
        """True for a request to any origin but the stack's: a CDN, a font service, another port."""
        return urlsplit(url).scheme not in LOCAL_SCHEMES and origin(url) != self.home

    def foreign(self) -> list[str]:
        return [url for url in self.urls if self.leaves_home(url)]

    def paths(self) -> list[str]:
        """The paths asked of the stack, e.g. to see that a page's stylesheet came from it."""
        return [urlsplit(url).path for url in self.urls if not self.leaves_home(url)]

    def take_foreign(self) -> list[str]:
        """The requests that left home, removed from the log: for a test that sends one on purpose."""
        strays = self.foreign()
        self.urls = [url for url in self.urls if url not in strays]
        return strays

    def assert_stayed_home(self) -> None:
        strays = self.foreign()
        assert not strays, (f"{len(strays)} request(s) left the stack ({self.home}); every asset must be served by "
                            "the console itself (no CDN, nothing leaving the machine):\n  " + "\n  ".join(strays))
