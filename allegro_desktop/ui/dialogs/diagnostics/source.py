"""What the Diagnostics dialog looks at: the profile's folders, its connection (keyring,
accounts, governor, settings), the app's open database and the log file in use — and the
health checker built from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allegro_desktop.config.app_services import AppServices
from allegro_desktop.config.logging_setup import log_file_in_use
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.services.health import HealthChecker
from allegro_desktop.storage.database import Database

__all__ = ["DiagnosticsSource"]


@dataclass
class DiagnosticsSource:
    """What the dialog looks at: the profile's folders, its connection (keyring, accounts,
    governor, settings), the app's open database and the environment new connections use
    (`environment_key`; None: the settings' one). `quick_check_max_bytes` as in
    `HealthChecker` (tests lower it)."""

    paths: AppPaths
    services: AppServices
    database: Database
    environment_key: str | None = None
    timeout: float = 5.0

    @property
    def log_file(self) -> Path:
        """The file the log is written to (the demo's own in demo mode), else the profile's."""
        return log_file_in_use() or self.paths.log_file

    def checker(self) -> HealthChecker:
        services = self.services
        key = self.environment_key or services.settings.environment
        return HealthChecker(
            data_dir=self.paths.data_dir, database_path=self.paths.database,
            store=services.store, registry=services.registry,
            environment_keys=[key] if key else [], database=self.database,
            governor=services.governor, resolve_environment=services.environment,
            timeout=self.timeout)

    def report_paths(self) -> dict[str, str]:
        paths = self.paths
        return {"data folder": str(paths.data_dir), "database": str(paths.database),
                "settings": str(paths.settings_file), "log file": str(self.log_file),
                "config folder": str(paths.config_dir),
                "portable (--data-dir)": "yes" if paths.portable else "no",
                "demo": "yes" if paths.demo else "no"}
