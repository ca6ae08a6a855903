"""One printout made for the window, off the GUI thread: `PrintJob.run` is what the print
dialog hands to its `TaskQueue`.

It reads the chosen orders (the selection in table order, or every order of the table's
filter and sort) a chunk at a time with `load_slips`, lays them out with
`render_packing_slips` or `render_pick_list`, then either writes the PDF where the seller
chose — through `replacing_atomically`, as the export writes: whole or not at all, never over
the order database, a link, a folder or the app's own files — or paints it onto a `QPrinter`
(`printer.print_pdf`). An order that cannot be printed (its stored form damaged, or it could
not be laid out) is left out with its reason (`PrintReport.problems`); the others are printed.

Cancel (`PrintJob.cancel`, or the queue shutting down at quit) is looked at between chunks of
orders and between printed pages; the laying out itself runs to its end (about 4 ms an order,
and at most `MAX_ORDERS` orders are printed at once), then nothing is written or sent.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtPrintSupport import QPrinter

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.domain.filters import OrderFilter, OrderSort
from allegro_desktop.services.printout_data import PrintProblem, Slip, load_slips
from allegro_desktop.services.printouts import (
    Printout,
    SlipSize,
    Wording,
    render_packing_slips,
    render_pick_list,
)
from allegro_desktop.services.safe_write import replacing_atomically
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.printing.printer import print_pdf
from allegro_desktop.ui.tasks import Task

__all__ = [
    "MAX_ORDERS",
    "READ_CHUNK",
    "PrintJob",
    "PrintKind",
    "PrintProgress",
    "PrintReport",
    "PrintRequest",
    "Stage",
    "TooManyOrdersError",
]

#: The most orders printed at once from the window (a thousand slips lay out in about 4 s,
#: which cannot be interrupted; more is `allegro-desktop print`'s job).
MAX_ORDERS: Final = 1000
#: Orders read between two looks at Cancel.
READ_CHUNK: Final = 100
#: How long the job waits for the window to take a progress report before going on (only
#: ever this long if the GUI thread is stuck), and how often it looks meanwhile whether it
#: was cancelled — as the export does.
_ACK_TIMEOUT: Final = 5.0
_ACK_POLL: Final = 0.05


class PrintKind(enum.StrEnum):
    """What is printed (the names of `allegro-desktop print`)."""

    PACKING_SLIPS = "packing-slips"
    PICK_LIST = "pick-list"


class Stage(enum.Enum):
    READING = "reading"  # done/total: orders
    LAYING_OUT = "laying-out"  # no count
    PRINTING = "printing"  # done/total: pages


@dataclass(frozen=True, slots=True)
class PrintProgress:
    stage: Stage
    done: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class PrintRequest:
    """The printout asked for: its kind, the slips' page size, the language, and the orders
    — `selection` (seqs, in this order) or, when None, every order of `order_filter` in
    `sort` order."""

    kind: PrintKind
    size: SlipSize
    wording: Wording
    order_filter: OrderFilter
    sort: OrderSort
    selection: tuple[int, ...] | None


@dataclass(frozen=True, slots=True)
class PrintReport:
    """A finished job: the file written (None: sent to the printer), the pages and orders on
    it, and the orders left out. `orders == 0`: nothing could be printed, nothing was written
    or sent."""

    kind: PrintKind
    path: Path | None
    pages: int
    orders: int
    problems: tuple[PrintProblem, ...]


class TooManyOrdersError(AppError):
    """More orders than `MAX_ORDERS` were chosen."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} orders chosen for printing, at most {MAX_ORDERS}",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "%1 orders are too many to print at once (at most %2). "
                             "Select fewer orders or narrow the filter."), count, MAX_ORDERS))


class _Stopped(Exception):  # noqa: N818 - what happened, not an error
    """The job was cancelled at one of its checks."""


class PrintJob:
    """One printout for `destination` (a PDF file, or a `QPrinter` the job alone uses until
    it ends), run by a `TaskQueue` (`run`): the `PrintReport`, or None once cancelled.

    Progress goes in lock-step, as the export's: after each report the job waits until the
    window has taken it (`acknowledge`), at most `_ACK_TIMEOUT` seconds, so a Cancel clicked
    on seeing a report is honoured before the next chunk or page. `cancel()` is the seller's
    Cancel: the job stops at its next check and its end still reaches the window (the
    queue's own cancel would drop it); a shut-down queue stops it too. Its errors (an
    `AppError` — a file refused or not writable, a printer that cannot be used —, or a bug)
    reach the queue's `failed`."""

    def __init__(self, *, queries: OrderQueries, request: PrintRequest,
                 destination: Path | QPrinter) -> None:
        self.request = request
        self.destination = destination
        self._queries = queries
        self._stop = threading.Event()
        self._taken = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelling(self) -> bool:
        """True once `cancel()` was called."""
        return self._stop.is_set()

    def acknowledge(self) -> None:
        """The window has taken the last progress report."""
        self._taken.set()

    def _tell(self, task: Task[PrintProgress], progress: PrintProgress) -> None:
        """Report `progress` and wait until the window has taken it (or the job stopped)."""
        self._taken.clear()
        task.report(progress)
        deadline = time.monotonic() + _ACK_TIMEOUT
        while not self._taken.wait(_ACK_POLL):
            if self._cancelled(task) or time.monotonic() > deadline:
                break

    def _cancelled(self, task: Task[PrintProgress]) -> bool:
        return self._stop.is_set() or task.is_cancelled()

    def run(self, task: Task[PrintProgress]) -> PrintReport | None:
        def check() -> None:
            if self._cancelled(task):
                raise _Stopped

        try:
            slips, problems = self._read(task, check)
            self._tell(task, PrintProgress(Stage.LAYING_OUT))
            printout = self._render(slips, problems)
            check()
            if printout.orders == 0:
                return self._report(printout, pages=0)
            if isinstance(self.destination, QPrinter):
                pages = print_pdf(
                    printout.pdf, self.destination,
                    progress=lambda done, total: self._tell(
                        task, PrintProgress(Stage.PRINTING, done, total)),
                    cancelled=lambda: self._cancelled(task))
                return None if pages is None else self._report(printout, pages=pages)
            with replacing_atomically(self.destination.absolute()) as temporary:
                temporary.write_bytes(printout.pdf)
            return self._report(printout, pages=printout.pages)
        except _Stopped:
            return None

    def _read(self, task: Task[PrintProgress], check: Callable[[], None],
              ) -> tuple[list[Slip], list[PrintProblem]]:
        request = self.request
        if request.selection is not None:
            seqs = list(request.selection)
        else:
            seqs = list(self._queries.seqs(request.order_filter, request.sort))
        if len(seqs) > MAX_ORDERS:
            raise TooManyOrdersError(len(seqs))
        slips: list[Slip] = []
        problems: list[PrintProblem] = []
        self._tell(task, PrintProgress(Stage.READING, 0, len(seqs)))
        for start in range(0, len(seqs), READ_CHUNK):
            check()
            batch = load_slips(self._queries, seqs[start:start + READ_CHUNK])
            slips.extend(batch.slips)
            problems.extend(batch.problems)
            self._tell(task, PrintProgress(Stage.READING, min(start + READ_CHUNK, len(seqs)),
                                           len(seqs)))
        return slips, problems

    def _render(self, slips: list[Slip], problems: list[PrintProblem]) -> Printout:
        request = self.request
        if request.kind is PrintKind.PACKING_SLIPS:
            return render_packing_slips(slips, size=request.size, wording=request.wording,
                                        problems=problems)
        return render_pick_list(slips, wording=request.wording, problems=problems)

    def _report(self, printout: Printout, *, pages: int) -> PrintReport:
        path = None if isinstance(self.destination, QPrinter) else self.destination
        return PrintReport(kind=self.request.kind, path=path, pages=pages,
                           orders=printout.orders, problems=printout.problems)
