"""A finished printout (PDF bytes) onto a `QPrinter`, page by page, through QtPdf.

`prepare_printer` sets the page the printout was laid out for (A4, or a 100 × 150 mm label)
with no margins of its own, before the print dialog shows; `print_pdf` opens the PDF with
`QPdfDocument` (from memory: nothing of the buyers' data goes to a temporary file), renders
each page to an image and paints it onto the printer's printable area, its proportions kept.

It runs on a `TaskQueue`'s thread: Qt supports painting onto a `QPrinter` outside the GUI
thread, and the printer, once handed to the job, is touched by nothing else. Pages are
rendered at the printer's resolution, at most `MAX_DPI` (a 1200 dpi "printer" — the PDF
writer's — would make a 500 MB image of an A4 page), in grey: slips are black on white, and a
grey page is a third of the data a colour one is for the spooler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.services.printouts import SlipSize

__all__ = ["LABEL_PAGE", "MAX_DPI", "PrintingError", "prepare_printer", "print_pdf"]

#: The most dots per inch a page is rendered at for a printer (label printers print 203 or
#: 300 dpi; an office laser's 600 gains nothing visible on a packing slip's text and codes).
MAX_DPI: Final = 300

#: A label printer's usual shipping label, the page of `SlipSize.LABEL`.
LABEL_PAGE: Final = QPageSize(QSizeF(100, 150), QPageSize.Unit.Millimeter, "100 x 150 mm",
                              QPageSize.SizeMatchPolicy.ExactMatch)


class PrintingError(AppError):
    """The printer could not take the printout (nothing more was sent to it)."""


def prepare_printer(printer: QPrinter, size: SlipSize) -> None:
    """The page `size` (portrait, no margins: the printout has its own), for the print
    dialog to start from."""
    page = QPageSize(QPageSize.PageSizeId.A4) if size is SlipSize.A4 else LABEL_PAGE
    printer.setPageSize(page)
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def print_pdf(pdf: bytes, printer: QPrinter, *, progress: Callable[[int, int], object],
              cancelled: Callable[[], bool]) -> int | None:
    """Paint every page of `pdf` onto `printer`; the pages printed, or None once `cancelled()`
    said so between two pages (the print run is aborted: what the printer has not started
    is dropped, where the system allows it). `progress(done, pages)` after each page.
    Raises `PrintingError` when the printer cannot be started or takes no further page."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready:
            raise PrintingError(f"QtPdf cannot read the printout: {document.error()}",
                                user_message=Text(QT_TRANSLATE_NOOP(
                                    "Errors", "The printout could not be prepared for the "
                                    "printer. Save it as a PDF and print that instead.")))
        return _paint(document, printer, progress=progress, cancelled=cancelled)
    finally:
        document.close()
        buffer.close()


def _paint(document: QPdfDocument, printer: QPrinter, *,
           progress: Callable[[int, int], object], cancelled: Callable[[], bool]) -> int | None:
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintingError(f"the printer {printer.printerName()!r} cannot be started",
                            user_message=Text(QT_TRANSLATE_NOOP(
                                "Errors", "The printer cannot be used now. Check that it is on "
                                "and connected, or choose another one.")))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for page in range(pages):
            if cancelled():
                printer.abort()
                return None
            if page and not printer.newPage():
                raise PrintingError(f"the printer took no page after {page}",
                                    user_message=Text(QT_TRANSLATE_NOOP(
                                        "Errors", "The printer stopped taking pages after page "
                                        "%1. Check it, then print again."), page))
            area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            image = _page_image(document, page, min(printer.resolution(), MAX_DPI))
            painter.drawImage(_fitted(QSizeF(image.size()), area), image)
            progress(page + 1, pages)
    finally:
        painter.end()
    return pages


def _page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """Page `page` at `dpi`, black on white, in grey."""
    points = document.pagePointSize(page)
    size = QSize(max(1, round(points.width() * dpi / 72)),
                 max(1, round(points.height() * dpi / 72)))
    rendered = document.render(page, size)
    # QtPdf leaves what the page does not paint transparent: lay it on white paper.
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def _fitted(size: QSizeF, area: QRectF) -> QRectF:
    """`size` scaled to fit `area`, its proportions kept, centred."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRectF(area.x() + (area.width() - scaled.width()) / 2,
                  area.y() + (area.height() - scaled.height()) / 2,
                  scaled.width(), scaled.height())
