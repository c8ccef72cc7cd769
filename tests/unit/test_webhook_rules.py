"""The webhooks' pure rules: when a failed delivery is tried again, and which URLs and addresses a webhook may use."""
from __future__ import annotations

import datetime as dt
import socket

import pytest

from gateway.webhooks import retries, targets
from gateway.webhooks.signature import sign, verify

NOW = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def test_retries_double_from_the_base_up_to_the_cap():
    delays = [retries.retry_delay(failures, base=30, cap=3600, draw=lambda: 0.0) for failures in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert retries.retry_delay(10_000, base=30, cap=3600, draw=lambda: 0.0) == 3600


def test_jitter_only_ever_brings_a_retry_earlier_by_at_most_a_fifth():
    assert retries.retry_delay(3, base=30, cap=3600, draw=lambda: 1.0) == pytest.approx(120 * 0.8)


def test_no_retry_is_planned_past_the_window():
    give_up_at = NOW + dt.timedelta(minutes=1)
    assert retries.next_attempt(1, now=NOW, give_up_at=give_up_at, base=30, cap=3600,
                                draw=lambda: 0.0) == NOW + dt.timedelta(seconds=30)
    assert retries.next_attempt(2, now=NOW, give_up_at=give_up_at, base=30, cap=3600, draw=lambda: 0.0) is not None
    assert retries.next_attempt(3, now=NOW, give_up_at=give_up_at, base=30, cap=3600, draw=lambda: 0.0) is None


@pytest.mark.parametrize("url", ["https://hooks.example.com/erdm", "http://hooks.example.com:8080/a?b=c",
                                 "http://127.0.0.1:9000/hook", "https://[2001:db8::1]/hook"])
def test_http_and_https_urls_are_webhook_addresses(url):
    assert targets.url_problem(url) is None


@pytest.mark.parametrize("url, words", [
    ("ftp://hooks.example.com/", "http or https"), ("hooks.example.com/erdm", "http or https"),
    ("https://a:b@hooks.example.com/", "user name"), ("https://a@hooks.example.com/", "user name"),
    ("https://hooks.example.com/#x", "fragment"), ("https://hooks.example.com/a b", "spaces"),
    ("https://hooks.example.com/\u0000", "control"), ("https://[::1/", "valid"), ("http:///x", "host"),
    ("https://hooks.example.com/" + "x" * 2000, "2000"),
])
def test_other_urls_are_refused_with_the_reason(url, words):
    assert words in targets.url_problem(url)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "172.16.3.4", "192.168.1.1", "169.254.169.254",
                                     "::1", "fe80::1", "fc00::5", "0.0.0.0", "::ffff:127.0.0.1", "100.64.0.1",
                                     "224.0.0.1"])
def test_loopback_private_link_local_and_reserved_addresses_are_refused(address):
    assert targets.address_refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "203.119.25.1", "2400:3200::1"])
def test_public_addresses_are_allowed(address):
    assert targets.address_refusal(address) is None


@pytest.mark.parametrize("address, carried", [
    ("2002:7f00:1::", "127.0.0.1 (6to4)"), ("2002:a00:1::5", "10.0.0.1 (6to4)"),
    ("2002:a9fe:a9fe::1", "169.254.169.254 (6to4)"),
    ("64:ff9b::7f00:1", "127.0.0.1 (NAT64)"), ("64:ff9b::a00:8", "10.0.0.8 (NAT64)"),
    # Teredo: the server's address as is, the client's inverted (RFC 4380).
    ("2001:0:a00:1::f7ff:fffe", "10.0.0.1 (Teredo server)"),
    ("2001:0:808:808::80ff:fffe", "127.0.0.1 (Teredo client)"),
])
def test_an_ipv6_address_carrying_a_refused_ipv4_one_is_refused_naming_it(address, carried):
    assert f"carries {carried}" in targets.address_refusal(address)


def test_an_ipv6_address_carrying_a_public_ipv4_one_is_still_judged_itself():
    assert targets.address_refusal("2002:808:808::1") is None  # 6to4 of 8.8.8.8: a global address
    assert "private or reserved" in targets.address_refusal("2001:0:808:808::f7ff:fffe")  # Teredo is never public


def test_a_vetted_address_is_where_the_request_goes_while_host_and_tls_keep_the_name():
    aim = targets.pinned("https://Hooks.Example.com:8443/erdm/in?x=1&y=%20", "93.184.216.34")
    assert aim.url == "https://93.184.216.34:8443/erdm/in?x=1&y=%20"
    assert aim.headers == {"Host": "hooks.example.com:8443"}
    assert aim.extensions == {"sni_hostname": "hooks.example.com"}


def test_a_vetted_ipv6_address_is_bracketed_and_plain_http_needs_no_sni():
    aim = targets.pinned("http://hooks.example.com/erdm", "2400:3200::1")
    assert (aim.url, aim.headers, aim.extensions) == ("http://[2400:3200::1]/erdm", {"Host": "hooks.example.com"}, {})
    assert targets.pinned("https://bücher.example/", "93.184.216.34").extensions == {
        "sni_hostname": "xn--bcher-kva.example"}


def _resolving_to(*addresses):
    def resolve(host, port):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


def test_a_name_is_refused_when_any_address_it_resolves_to_is_private():
    assert targets.target_refusal("https://hooks.example.com/", resolve=_resolving_to("93.184.216.34")) is None
    refused = targets.target_refusal("https://hooks.example.com/", resolve=_resolving_to("93.184.216.34", "10.1.1.1"))
    assert "10.1.1.1 is a private" in refused and "ERDM_WEBHOOK_ALLOW_PRIVATE" in refused


def test_the_addresses_to_connect_to_are_the_vetted_ones_in_the_resolvers_order():
    answers = _resolving_to("2400:3200::1", "93.184.216.34", "2400:3200::1")
    assert targets.public_addresses("https://hooks.example.com/", resolve=answers) == ["2400:3200::1", "93.184.216.34"]
    with pytest.raises(targets.TargetRefused, match="2002:7f00:1:: carries 127.0.0.1"):
        targets.public_addresses("https://hooks.example.com/", resolve=_resolving_to("93.184.216.34", "2002:7f00:1::"))


def test_a_name_that_does_not_resolve_is_refused():
    def fails(host, port):
        raise socket.gaierror(-2, "Name or service not known")
    assert "does not resolve" in targets.target_refusal("https://nowhere.invalid/", resolve=fails)


def test_the_signature_is_the_hmac_of_the_exact_body():
    body = '{"type":"drill.completed","data":{"title":"演练"}}'.encode()
    header = sign("secret-of-sixteen!", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("secret-of-sixteen!", body, header)
    assert not verify("secret-of-sixteen!", body + b" ", header)
    assert not verify("another-secret-16", body, header)
