"""The notifier's sender: claims due deliveries and POSTs each on a bounded pool of threads, one per subscription at a
time, no redirect followed, a short timeout; records every attempt and when to try again."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx

from gateway.webhooks import deliveries, retries, signature, targets
from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.deliveries import Claim
from gateway.webhooks.subscriptions import DELIVERED, FAILED
from servicekit import clock as clocks
from servicekit import metrics
from servicekit.db import Database

log = logging.getLogger("erdm.webhooks")

USER_AGENT = "ERDM-Webhooks/1"
RETRY = "retry"  # the outcome of a failed attempt that will be tried again


class Sender:
    """Sends due deliveries until stopped; `dispatch()` is one round (what the loop and the tests call)."""

    def __init__(self, database: Database, settings: WebhookSettings, *,
                 clock: Callable[[], dt.datetime] = clocks.now, transport: httpx.BaseTransport | None = None,
                 resolve: targets.Resolver | None = None, bootstrap_admin: bool = False) -> None:
        self.database = database
        # Whether the bootstrap admin key is configured: its subscriptions stand only while it is (standing.py).
        self.bootstrap_admin = bootstrap_admin
        self.settings = settings
        self.clock = clock
        self.resolve = resolve
        # A receiver's answer is its status line; its body is never read, so a huge one costs nothing. With private
        # targets refused each request goes to a vetted IP address (targets.pinned), and the pool knows a connection
        # by that address alone: kept alive, one made for (and its certificate checked against) one name could
        # carry another name's request. So none is kept.
        keep_alive = 20 if settings.allow_private else 0  # 20: httpx's default
        self.client = httpx.Client(follow_redirects=False, timeout=settings.timeout_seconds, transport=transport,
                                   trust_env=False, headers={"User-Agent": USER_AGENT},
                                   limits=httpx.Limits(max_connections=100, max_keepalive_connections=keep_alive))
        self.pool = ThreadPoolExecutor(max_workers=settings.senders, thread_name_prefix="webhook-sender")
        # Subscriptions with an attempt under way here: a dead receiver holds one thread at most, never the pool.
        self._busy: set[uuid.UUID] = set()
        self._lock = threading.Lock()
        self.wake = threading.Event()
        # Long enough for one attempt (connect, write and read, each up to the timeout): till then no sender
        # takes the delivery again; should this process die mid-send, another takes it afterwards.
        self.lease = dt.timedelta(seconds=4 * settings.timeout_seconds + 30)

    def run(self, stop: threading.Event) -> None:
        """Send rounds until `stop` is set: at once when woken (a new delivery), else every poll interval."""
        while not stop.is_set():
            try:
                self.dispatch()
            except Exception:  # a database hiccup must not end the sender; the next round retries
                log.exception("a webhook sending round failed")
            self.wake.wait(self.settings.poll_seconds)
            self.wake.clear()

    def dispatch(self) -> dict[uuid.UUID, Future]:
        """Fail what has run out of time or lost its creator, claim what is due for the free threads, and start
        sending it: delivery id -> the attempt's future (its result is the status the delivery is left in)."""
        with self._lock:
            busy = frozenset(self._busy)
        free = self.settings.senders - len(busy)
        now = self.clock()
        with self.database.transaction() as session:
            deliveries.give_up_expired(session=session, now=now)
            deliveries.give_up_lapsed(session=session, now=now, bootstrap_admin=self.bootstrap_admin)
            claims = deliveries.claim_due(session=session, now=now, limit=free, lease=self.lease, busy=busy)
        started = {}
        for claim in claims:
            with self._lock:
                self._busy.add(claim.subscription_id)
            started[claim.id] = self.pool.submit(self._deliver, claim)
        return started

    def close(self) -> None:
        """Wait for the attempts under way (each bounded by the timeout), then let go of the connections."""
        self.pool.shutdown(wait=True)
        self.client.close()

    def _deliver(self, claim: Claim) -> str:
        try:
            started = time.perf_counter()
            at = self.clock()
            status_code, error = self._post(claim)
            seconds = time.perf_counter() - started
            delivered = status_code is not None and 200 <= status_code < 300
            retry_at = None if delivered else retries.next_attempt(
                claim.failures + 1, now=self.clock(), give_up_at=claim.give_up_at,
                base=self.settings.retry_base_seconds, cap=self.settings.retry_cap_seconds)
            attempt = {"at": at.isoformat(), "status_code": status_code, "duration_ms": round(seconds * 1000, 1),
                       "error": error}
            with self.database.transaction() as session:
                status = deliveries.record_attempt(claim, attempt, delivered=delivered, next_attempt_at=retry_at,
                                                   session=session, now=self.clock())
            outcome = status if status in (DELIVERED, FAILED) else RETRY
            metrics.WEBHOOK_ATTEMPTS.labels(outcome).inc()
            metrics.WEBHOOK_ATTEMPT_DURATION.labels(outcome).observe(seconds)
            log.info("webhook %s of %s to %s: %s", claim.id, claim.event_type, urlsplit(claim.url).hostname,
                     outcome, extra={"fields": {
                         "delivery_id": str(claim.id), "subscription_id": str(claim.subscription_id),
                         "event_type": claim.event_type, "status_code": status_code,
                         "duration_ms": attempt["duration_ms"], "outcome": outcome, "error": error}})
            return status
        except Exception:
            # The claim's lease runs out and the delivery is taken again: logged, never lost.
            log.exception("recording webhook delivery %s failed", claim.id)
            raise
        finally:
            with self._lock:
                self._busy.discard(claim.subscription_id)
            self.wake.set()  # a thread is free: the next round need not wait for the poll

    def _post(self, claim: Claim) -> tuple[int | None, str | None]:
        """(the receiver's status code, why the attempt failed): a code without error is a 2xx."""
        if self.settings.allow_private:
            aims = [targets.Aim(claim.url)]  # httpx resolves the name itself
        else:
            # Resolved once: the connection goes to an address just vetted, never to what a second lookup says.
            try:
                addresses = targets.public_addresses(claim.url, resolve=self.resolve)
            except targets.TargetRefused as exc:
                return None, f"refused: {exc}"
            aims = [targets.pinned(claim.url, address) for address in addresses]
        body = claim.envelope.encode("utf-8")
        headers = {"Content-Type": "application/json", signature.HEADER: signature.sign(claim.secret, body),
                   "X-ERDM-Webhook-Id": str(claim.id), "X-ERDM-Event-Type": claim.event_type}
        try:
            code, location = self._first_answer(aims, body, headers)
        except httpx.TimeoutException as exc:
            return None, f"timed out after {self.settings.timeout_seconds} s ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if 200 <= code < 300:
            return code, None
        if 300 <= code < 400:
            return code, f"redirect to {location or 'nowhere'} not followed: webhooks go only to the subscribed URL"
        return code, f"the receiver answered {code}"

    def _first_answer(self, aims: list[targets.Aim], body: bytes,
                      headers: dict[str, str]) -> tuple[int, str | None]:
        """The receiver's status code and Location header, from the first of `aims` that can be connected to: one
        that cannot was sent nothing, so the name's next address is tried, as a connect by name would."""
        for aim in aims[:-1]:
            try:
                return self._answer(aim, body, headers)
            except httpx.ConnectError:
                log.info("webhook receiver at %s cannot be connected to; trying its next address",
                         urlsplit(aim.url).hostname)
        return self._answer(aims[-1], body, headers)

    def _answer(self, aim: targets.Aim, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
        with self.client.stream("POST", aim.url, content=body, headers={**headers, **aim.headers},
                                extensions=aim.extensions) as response:
            return response.status_code, response.headers.get("Location")
