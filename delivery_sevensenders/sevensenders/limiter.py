"""A concurrency bound shared by the clients of several threads, that backs off
on 429 (halves, and pauses for Retry-After) and grows back one step at a time."""

import threading
import time


class AdaptiveLimiter:
    """At most ``limit`` calls in flight; ``limit`` adapts between 1 and ``maximum``.

    Additive increase (one more after ``limit`` successes in a row),
    multiplicative decrease (half on each 429), and no new call until a
    ``Retry-After`` has passed.
    """

    def __init__(self, maximum, clock=time.monotonic):
        if maximum < 1:
            raise ValueError("maximum must be at least 1")
        self.maximum = maximum
        self.limit = maximum
        self.lowest = maximum
        self.in_flight = 0
        self.peak = 0
        self.throttled = 0
        self._successes = 0
        self._paused_until = 0.0
        self._clock = clock
        self._cond = threading.Condition()

    def acquire(self):
        with self._cond:
            while True:
                wait = self._paused_until - self._clock()
                if wait <= 0 and self.in_flight < self.limit:
                    break
                self._cond.wait(timeout=wait if wait > 0 else None)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)

    def release(self, ok=True):
        with self._cond:
            self.in_flight -= 1
            if ok:
                self._successes += 1
                if self._successes >= self.limit and self.limit < self.maximum:
                    self.limit += 1
                    self._successes = 0
            self._cond.notify_all()

    def throttle(self, retry_after=None):
        """A 429: halve the bound and hold every new call for ``retry_after``."""
        with self._cond:
            self.throttled += 1
            self.limit = max(1, self.limit // 2)
            self.lowest = min(self.lowest, self.limit)
            self._successes = 0
            if retry_after:
                self._paused_until = max(
                    self._paused_until, self._clock() + retry_after
                )
            self._cond.notify_all()
