"""The diagnostics report for support: app, Qt, Python and OS versions, the paths, the checks,
the last sync runs with their metrics, records kept aside and the log's last lines
(`services.health.diagnostics_report`), in English. Every secret is removed again — by its shape
and by the exact values of the tokens and client secrets this profile holds (the keyring is read
for them, so it is built on a background thread) — and buyers' e-mails and phones are masked.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
from typing import Any, Final

from allegro_desktop.api.environments import Environment
from allegro_desktop.config.app_services import AppServices
from allegro_desktop.config.logging_setup import read_log_tail
from allegro_desktop.domain.errors import AppError
from allegro_desktop.services.health import (
    CheckResult,
    diagnostics_report,
    known_secrets,
    versions,
)
from allegro_desktop.storage.order_repository import OrderRepository
from allegro_desktop.storage.sync_state import SyncStateRepository
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource

__all__ = ["build_report"]

log = logging.getLogger("allegro_desktop.ui")

#: What the report quotes: sync runs, log lines, records kept aside (per account).
REPORT_RUNS: Final = 20
REPORT_LOG_LINES: Final = 200
REPORT_KEPT_ASIDE: Final = 10


def build_report(source: DiagnosticsSource, results: list[CheckResult],
                 qt_versions: Mapping[str, str]) -> str:
    """The report text (pool thread: reads the keyring, the database and the log)."""
    services = source.services
    try:
        accounts = services.registry.all()
    except AppError:
        accounts = []
    environments: list[Environment] = []
    for key in {a.environment for a in accounts}:
        try:
            environments.append(services.environment(key))
        except (AppError, ValueError) as exc:
            log.debug("no credentials of %s for the report: %s", key, type(exc).__name__)
    secrets = known_secrets(store=services.store, accounts=accounts, environments=environments,
                            webhook_url=_stored_webhook_url(services))
    runs = SyncStateRepository(database=source.database).runs(limit=REPORT_RUNS)
    kept = OrderRepository(database=source.database).kept_aside(REPORT_KEPT_ASIDE)
    found: dict[str, Any] = dict(versions())
    found.update(qt_versions)
    found["OS name"] = platform.system() + " " + platform.release()
    return diagnostics_report(
        versions=found, paths=source.report_paths(), results=results, runs=runs,
        account_names={a.key: a.login for a in accounts},
        log_lines=read_log_tail(source.log_file, REPORT_LOG_LINES), known=secrets,
        kept_aside=kept)


def _stored_webhook_url(services: AppServices) -> str | None:
    try:
        return services.store.load_webhook_url()
    except AppError:
        return None
