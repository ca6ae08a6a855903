"""What the app does with its orders beyond syncing them, without Qt: exports of orders and of
tables (`export`, `table_export`, `safe_write`), statistics (`stats`), the health checks
(`health`), the webhook's deliveries (`webhook`) and the redaction of logs and reports
(`redaction`). Usable from the window (on a worker thread), from the command line and from tests
alike (ARCHITECTURE.md "Layers")."""

from __future__ import annotations
