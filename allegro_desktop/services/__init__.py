"""Work over the stored orders that needs no Qt and no network: spreadsheet export
(`services.export`), and later statistics. Usable from the window (on a worker thread), from
the command line and from tests alike (DESIGN.md §2)."""

from __future__ import annotations
