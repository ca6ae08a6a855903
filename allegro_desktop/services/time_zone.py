"""The computer's time zone, with its rules: what every local time of the app (the tables,
the statistics' days, exports, the webhook's messages) is shown in.

Read once from what the OS says — `TZ`, else /etc/localtime (Linux, macOS), else tzlocal's
reading of the system (Windows) — as a `ZoneInfo`, so summer time is right all year round: a
fixed offset (`datetime.now().astimezone()`) would put half a year's orders an hour off.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal

__all__ = ["local_zone", "system_time_zone"]


def system_time_zone() -> tzinfo | None:
    """The computer's time zone with its rules as a `ZoneInfo` (from `TZ`, else the TZif file
    /etc/localtime of Linux and macOS, else tzlocal's reading of the system, e.g. Windows), or
    None when it cannot be read that way (a POSIX `TZ` rule): then `datetime.astimezone()`
    asks the OS for each moment — right, but seven times slower, which a 100 000-row export
    notices."""
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as tzif:
            return ZoneInfo.from_file(tzif, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        pass
    # Windows: tzlocal maps the system's zone to its IANA name (its rules from the tzdata
    # package there). A fixed offset (`datetime.now().astimezone()`) would put half a year's
    # orders an hour off: days starting at 01:00 or 23:00, the heat map's hours shifted.
    try:
        zone = tzlocal.get_localzone()
    except (OSError, ValueError, LookupError, ZoneInfoNotFoundError):
        return None
    return zone if isinstance(zone, ZoneInfo) else None


def local_zone() -> tzinfo:
    """`system_time_zone()`, for a caller that needs a `tzinfo` whatever happens: when the
    zone cannot be read with its rules, today's offset of the OS's local time (else UTC)."""
    zone = system_time_zone()
    if zone is not None:
        return zone
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC
