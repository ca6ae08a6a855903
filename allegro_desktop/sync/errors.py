"""The errors a sync run ends with when it stored what it read but could not finish
(ARCHITECTURE.md "The sync engine", 5.: a run that cannot finish). A run's failure is recorded
as `AppError.detailed_message`, one line."""

from __future__ import annotations

from collections.abc import Sequence

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

__all__ = [
    "CursorRejectedError",
    "IncompleteSyncError",
    "InconsistentListError",
    "JournalStuckError",
    "RequestBudgetError",
]


class IncompleteSyncError(AppError):
    """A run that stored what it read but could not finish: it ends FAILED with this reason,
    and the next sync continues from what was stored."""


class RequestBudgetError(IncompleteSyncError):
    """The run made `SyncSettings.max_requests` API calls."""

    def __init__(self, budget: int) -> None:
        super().__init__(f"the run reached its budget of {budget} requests", user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "The sync stopped after %1 requests to Allegro, the "
                              "most one sync may send. What it read is stored; the next sync "
                              "continues from there."), budget))


class JournalStuckError(IncompleteSyncError):
    """A page of the event journal had no event the cursor could move to."""

    def __init__(self, cursor: str | None) -> None:
        super().__init__(f"no event after {cursor or 'the start'} has a plausible id: the "
                         "journal cannot be read further", user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "Allegro's order journal has an entry the app cannot "
                             "read past (after event %1). The orders it names are stored; the "
                             "next sync tries again."), cursor or "-"))


class InconsistentListError(IncompleteSyncError):
    """Pages of Allegro's order list repeated orders: what they hid is unknown."""

    def __init__(self, spans: Sequence[str]) -> None:
        shown = ", ".join(spans[:3]) + (", …" if len(spans) > 3 else "")
        super().__init__(f"{len(spans)} list windows repeated orders within a page ({shown})",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "Allegro's order list repeated orders within a page, so "
                             "it may have left others out (periods affected: %1). The orders "
                             "read are stored; the next sync lists those periods again."),
                             len(spans)))


class CursorRejectedError(IncompleteSyncError):
    """Allegro refused the journal position even right after a fresh re-scan."""

    def __init__(self, cause: AppError) -> None:
        super().__init__(f"the event cursor was refused again after a re-scan: {cause}",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "Allegro refused the app's position in its order journal, "
                             "even after the app checked the whole order history again. The "
                             "next sync tries again.")))
