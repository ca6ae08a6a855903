"""Rate limiting and injected faults.

Rate limit (ALLEGRO-API.md §6.1, §6.3): 9000 requests a minute per client id; past it every
request answers 429 and the client id is blocked for a minute — and each request made during the
block makes the block longer (staff in [#3454]), which is why a client must pause instead of
retrying. Some resources have a limit of their own on top (ALLEGRO-API.md §6.5: 50 requests a
second for carriers and shipments): `ResourceLimiter`.

Faults are what a desktop app meets on a real network: latency, 5xx answers, dropped
connections, answers slower than any sane timeout, truncated bodies. They are drawn from a seeded
RNG by share, or forced one by one through a script (deterministic tests).
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field, fields
from typing import Any

from allegro_desktop.emulator.clock import Clock

FAULT_KINDS = ("ok", "500", "502", "503", "429", "drop", "slow", "truncate")


class RateLimiter:
    """Sliding one-minute window per client id, with a block that grows under fire."""

    def __init__(self, *, clock: Clock, per_minute: int = 9000, block_seconds: float = 60.0,
                 growth_seconds: float = 5.0) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.block_seconds = block_seconds
        self.growth_seconds = growth_seconds
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    def configure(self, *, per_minute: int | None = None, block_seconds: float | None = None,
                  growth_seconds: float | None = None) -> None:
        with self._lock:
            if per_minute is not None:
                if per_minute < 1:
                    raise ValueError("per_minute must be at least 1")
                self.per_minute = per_minute
            if block_seconds is not None:
                self.block_seconds = float(block_seconds)
            if growth_seconds is not None:
                self.growth_seconds = float(growth_seconds)
            self._windows.clear()
            self._blocked_until.clear()

    def hit(self, client_id: str) -> float | None:
        """Count one request; None if allowed, else the seconds the block still lasts."""
        now = self.clock.time()
        with self._lock:
            until = self._blocked_until.get(client_id)
            if until is not None:
                if now < until:
                    until += self.growth_seconds
                    self._blocked_until[client_id] = until
                    return until - now
                del self._blocked_until[client_id]
                self._windows.pop(client_id, None)
            window = self._windows.setdefault(client_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.per_minute:
                self._blocked_until[client_id] = now + self.block_seconds
                return self.block_seconds
            window.append(now)
            return None

    def block(self, client_id: str) -> None:
        """Block a client id now (an injected 429 burst starts a real block)."""
        with self._lock:
            until = self.clock.time() + self.block_seconds
            self._blocked_until[client_id] = max(self._blocked_until.get(client_id, 0.0), until)

    def status(self) -> dict[str, Any]:
        now = self.clock.time()
        with self._lock:
            return {
                "per_minute": self.per_minute,
                "block_seconds": self.block_seconds,
                "growth_seconds": self.growth_seconds,
                "clients": {
                    cid: {
                        "requests_last_minute": sum(1 for t in w if t > now - 60.0),
                        "blocked_for": max(self._blocked_until.get(cid, now) - now, 0.0),
                    }
                    for cid, w in self._windows.items()
                } | {
                    cid: {"requests_last_minute": 0, "blocked_for": until - now}
                    for cid, until in self._blocked_until.items()
                    if cid not in self._windows and until > now
                },
            }


@dataclass(frozen=True)
class ResourceLimit:
    """At most `requests` in any `seconds` (a sliding window)."""

    requests: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"requests": self.requests, "seconds": self.seconds}


#: ALLEGRO-API.md §6.5: "rate limited to 50 requests per second" ([Spec] op descriptions).
#: A shipments limit counts its GET and POST together: the spec says it of "this resource".
RESOURCE_LIMITS: dict[str, ResourceLimit] = {
    "carriers": ResourceLimit(50, 1.0),
    "shipments": ResourceLimit(50, 1.0),
}


class ResourceLimiter:
    """The limits of particular resources, per client id and resource.

    Past one, that request answers 429; unlike the client id's limit it starts no block (we
    assume: no source says Allegro blocks for it). Tests give a long window (say 3 requests
    in an hour) to make the refusal independent of how fast the machine is.
    """

    def __init__(self, *, clock: Clock,
                 limits: dict[str, ResourceLimit] | None = None) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.limits = dict(RESOURCE_LIMITS if limits is None else limits)
        self._windows: dict[tuple[str, str], deque[float]] = {}

    def configure(self, resource: str, limit: ResourceLimit) -> None:
        if resource not in self.limits:
            raise ValueError(f"no resource limit {resource!r}; there are "
                             f"{', '.join(sorted(self.limits))}")
        if limit.requests < 1 or limit.seconds <= 0:
            raise ValueError("a resource limit needs requests >= 1 and seconds > 0")
        with self._lock:
            self.limits[resource] = limit
            for key in [k for k in self._windows if k[1] == resource]:
                del self._windows[key]

    def allow(self, client_id: str, resource: str) -> bool:
        """Count one request of `client_id` to `resource`; False past its limit (not counted)."""
        limit = self.limits[resource]
        now = self.clock.time()
        with self._lock:
            window = self._windows.setdefault((client_id, resource), deque())
            while window and window[0] <= now - limit.seconds:
                window.popleft()
            if len(window) >= limit.requests:
                return False
            window.append(now)
            return True

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {name: limit.to_json() for name, limit in self.limits.items()}


@dataclass
class FaultProfile:
    """What can go wrong, and how often. Shares are 0..1 of the requests that reach the API."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0  # 500/502/503, equally likely
    rate_429: float = 0.0
    drop_rate: float = 0.0  # connection closed without an answer
    slow_rate: float = 0.0  # answer after `slow_seconds` (longer than a client timeout)
    slow_seconds: float = 45.0
    truncate_rate: float = 0.0  # Content-Length promises more than is sent
    paths: tuple[str, ...] = ()  # only requests whose path starts with one of these (all if empty)
    script: list[str] = field(default_factory=list)  # forced outcomes for the next requests

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["paths"] = list(self.paths)
        out["script"] = list(self.script)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any], *, base: FaultProfile | None = None) -> FaultProfile:
        current = (base or cls()).to_json()
        unknown = set(data) - set(current)
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        current.update(data)
        for name in ("error_rate", "rate_429", "drop_rate", "slow_rate", "truncate_rate"):
            value = float(current[name])
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a share between 0 and 1")
            current[name] = value
        for name in ("latency_ms", "jitter_ms", "slow_seconds"):
            current[name] = float(current[name])
            if current[name] < 0:
                raise ValueError(f"{name} must not be negative")
        bad = [s for s in current["script"] if s not in FAULT_KINDS]
        if bad:
            raise ValueError(f"unknown scripted fault(s) {bad}; use {', '.join(FAULT_KINDS)}")
        current["paths"] = tuple(current["paths"])
        current["script"] = list(current["script"])
        return cls(**current)


class FaultInjector:
    """Decides, per request, whether and how it fails."""

    def __init__(self, *, seed: int, profile: FaultProfile | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed * 31 + 7)
        self.profile = profile or FaultProfile()

    def set(self, profile: FaultProfile) -> None:
        with self._lock:
            self.profile = profile

    def decide(self, path: str) -> tuple[str, float]:
        """(outcome, added latency in seconds) for a request to `path`."""
        with self._lock:
            p = self.profile
            if p.paths and not path.startswith(p.paths):
                return "ok", 0.0
            delay = (p.latency_ms + self._rng.uniform(0, p.jitter_ms)) / 1000.0
            if p.script:
                return p.script.pop(0), delay
            roll = self._rng.random()
            for outcome, share in (("drop", p.drop_rate), ("slow", p.slow_rate),
                                   ("truncate", p.truncate_rate), ("429", p.rate_429)):
                if roll < share:
                    return outcome, delay
                roll -= share
            if roll < p.error_rate:
                return self._rng.choice(("500", "502", "503")), delay
            return "ok", delay
