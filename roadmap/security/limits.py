"""Limits against brute force and resource abuse (SECURITY.md, "Limits"): pure Python, the clock
always given by the caller, so that every rule is tested without waiting.

Two kinds of limit:

- :class:`Backoff` — failed logins: after :attr:`Backoff.threshold` failures a key (an account, a
  client address) is blocked for :attr:`Backoff.first_block`, and each further failure once the
  block is over doubles it, up to :attr:`Backoff.longest_block` (exponential back-off, as in
  NIST SP 800-63B §5.2.2 "rate limiting" and OWASP's Authentication Cheat Sheet). Its state is a
  :class:`Strikes` value (failures, last failure, end of the block): three columns the store
  keeps, so that a restart does not hand an attacker a fresh count (:mod:`roadmap.security.accounts`).
- :class:`SlidingWindow` — events per key within a moving window (uploads per session): at most
  :attr:`SlidingWindow.limit` events in any ``window`` seconds. In memory, thread-safe.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Strikes:
    """The failures counted against one key.

    Attributes:
        failures: failures counted so far (0 after a success or once forgotten).
        last: naive UTC time of the last failure counted, or ``None``.
        blocked_until: naive UTC end of the current block, or ``None``.
    """

    failures: int = 0
    last: dt.datetime | None = None
    blocked_until: dt.datetime | None = None

    def blocked(self, now: dt.datetime) -> bool:
        """True while ``now`` (naive UTC) is before the end of the block."""
        return self.blocked_until is not None and now < self.blocked_until


@dataclass(frozen=True)
class Backoff:
    """An exponential back-off on failures.

    Attributes:
        threshold: failures before the first block (the ``threshold``-th failure blocks).
        first_block: length of the first block; the ``n``-th failure past the threshold blocks for
            ``first_block × 2ⁿ``, at most ``longest_block``.
        longest_block: the longest block.
        forget_after: failures are forgotten after this long without one (counted from the end of
            the last block, if any); ``None``: only a success forgets them ("in a row").
    """

    threshold: int
    first_block: dt.timedelta
    longest_block: dt.timedelta
    forget_after: dt.timedelta | None = None

    def block_for(self, failures: int) -> dt.timedelta | None:
        """How long ``failures`` failures block the key: ``None`` below the threshold."""
        if failures < self.threshold:
            return None
        doublings = min(failures - self.threshold, 32)  # 2³² × any block is past the longest one
        block: dt.timedelta = self.first_block * (1 << doublings)
        return min(block, self.longest_block)

    def strike(self, strikes: Strikes, now: dt.datetime) -> Strikes:
        """The strikes after one more failure at ``now`` (naive UTC).

        A failure while the key is blocked is not counted (the caller refuses it without checking
        the password): an attacker cannot lengthen the block of someone else's account by
        hammering it, only by coming back after each block.
        """
        if strikes.blocked(now):
            return strikes
        failures = strikes.failures
        quiet_since = max(filter(None, (strikes.last, strikes.blocked_until)), default=None)
        if self.forget_after is not None and quiet_since is not None and now - quiet_since >= self.forget_after:
            failures = 0
        failures += 1
        block = self.block_for(failures)
        return Strikes(failures, now, now + block if block is not None else None)


class SlidingWindow:
    """At most ``limit`` events per key in any ``window`` seconds (a sliding log: the time of each
    event is kept until it leaves the window). Safe to use from several threads.

    Args:
        limit: events allowed per key within the window (1 or more).
        window: the window, in seconds.
        clock: monotonic seconds (default :func:`time.monotonic`); tests pass a fake one.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError(f"a sliding window needs limit ≥ 1 and window > 0, not {limit} and {window}")
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def allow(self, key: Hashable) -> bool:
        """Count one event for ``key`` and return True, or return False (nothing counted) when the
        key already had ``limit`` events within the window."""
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may have one more event (0 when it may now)."""
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            return 0.0 if len(events) < self.limit else events[0] + self.window - now


def client_address(remote: str | None, forwarded_for: str | None, trusted_proxies: frozenset[str]) -> str | None:
    """The address to count login failures against.

    Args:
        remote: the connection's address (Streamlit's ``st.context.ip_address``; ``None`` on
            localhost).
        forwarded_for: the ``X-Forwarded-For`` header, read only when ``remote`` is a trusted proxy
            (anyone else could write any address in it).
        trusted_proxies: addresses of the hospital's reverse proxies (``REMPART_TRUSTED_PROXIES``).

    Returns:
        The rightmost forwarded address that is not a trusted proxy when the connection comes from
        one, else ``remote``; ``None`` when unknown (then only the per-account limit applies).
    """
    if remote is not None and remote in trusted_proxies and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        outside = [hop for hop in hops if hop not in trusted_proxies]
        return outside[-1] if outside else remote
    return remote
