"""Backoff and Retry-After arithmetic (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from allegro_desktop.api.retry import RetryPolicy, is_retryable, parse_retry_after


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    assert [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert policy.backoff(3, rng=lambda: 0.0) == 0.0
    assert policy.backoff(3, rng=lambda: 0.25) == 0.5


def test_rate_limit_pause_without_retry_after_is_a_jittered_minute() -> None:
    policy = RetryPolicy()
    assert policy.rate_limit_seconds(None, now=0, rng=lambda: 0.0) == 60.0
    assert policy.rate_limit_seconds(None, now=0, rng=lambda: 1.0) == 70.0
    assert policy.rate_limit_seconds("120", now=0) == 120.0


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2026, 7, 20, 12, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after("30", now=now) == 30.0
    later = format_datetime(datetime(2026, 7, 20, 12, 1, 30, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(later, now=now) == 90.0
    assert parse_retry_after("0", now=now) == 1.0  # never "hammer now"
    assert parse_retry_after("999999", now=now) == 3600.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_which_transport_failures_are_retried() -> None:
    request = httpx.Request("GET", "https://api.allegro.pl/me")
    assert is_retryable(httpx.ReadTimeout("timed out", request=request))
    assert is_retryable(httpx.ConnectError("refused", request=request))
    assert is_retryable(httpx.RemoteProtocolError("peer closed", request=request))
    assert not is_retryable(httpx.UnsupportedProtocol("ftp?", request=request))
    assert not is_retryable(httpx.LocalProtocolError("our bug", request=request))
