"""The "Connect Allegro" dialog: the device-flow code, a link, a QR code, a countdown, live state.

The seller reads a short code here, opens allegro.pl (the link, or the QR code on a phone),
checks the code and clicks Allow. The dialog polls in the background and closes itself once the
account is connected. Denied, expired and failed flows end on a clear message and "Try again".
"""

from __future__ import annotations

import functools
import io
import logging
import time
from collections.abc import Callable
from typing import Final, Protocol

import segno
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.api.errors import (
    ClientCredentialsError,
    DeviceFlowError,
    NetworkError,
    UnauthorizedClientError,
)
from allegro_desktop.api.models import DeviceAuthorization
from allegro_desktop.auth.device_flow import FlowState
from allegro_desktop.domain.accounts import Account
from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.event_loop import TaskSet
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.links import open_link

log = logging.getLogger("allegro_desktop.ui")

#: The code's fonts, the first one installed wins: monospaced fonts whose zero is slashed or
#: dotted (Allegro's codes mix letters and digits: an O must not pass for a 0), then the
#: system's monospaced font.
CODE_FONTS: Final = ("DejaVu Sans Mono", "Noto Sans Mono", "Consolas", "Menlo", "Cascadia Mono",
                     "monospace")


class LoginSession(Protocol):
    """One device-flow login, as the dialog drives it (see `auth/login.py`)."""

    @property
    def state(self) -> FlowState: ...

    async def start(self) -> DeviceAuthorization: ...

    async def finish(self, on_state: Callable[[FlowState], None]) -> Account: ...

    def cancel(self) -> None: ...


def qr_pixmap(text: str, *, scale: int = 5) -> QPixmap:
    """A QR code of `text` (medium error correction, a quiet zone of 2 modules)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class ConnectDialog(QDialog):
    """Connects one Allegro account through the device flow.

    Signals:
        state_changed(str): "starting", "waiting", "connected", "denied", "expired", "failed",
            "cancelled" — what the dialog shows now.
        account_connected(object): the connected `Account`.
    """

    state_changed = Signal(str)
    account_connected = Signal(object)

    def __init__(self, *, new_session: Callable[[], LoginSession], environment_label: str,
                 clock: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._new_session = new_session
        self._clock = clock
        self._session: LoginSession | None = None
        self._tasks = TaskSet("a Connect Allegro login")
        self._authorization: DeviceAuthorization | None = None
        self._state = ""
        self.setWindowTitle(self.tr("Connect Allegro"))
        self.setModal(True)
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Connect your Allegro account"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        if environment_label != "Allegro":
            where = QLabel(self.tr("on %1").replace("%1", environment_label))
            where.setObjectName("environmentLabel")
            layout.addWidget(where)

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_progress_page())
        self._pages.addWidget(self._build_code_page())
        self._pages.addWidget(self._build_result_page())
        layout.addWidget(self._pages, 1)

        self._buttons = QDialogButtonBox(self)
        self._retry = self._buttons.addButton(self.tr("Try again"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self._retry.setObjectName("retryButton")
        self._retry.clicked.connect(self.start)
        self._close = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._close.setObjectName("closeButton")
        self._close.clicked.connect(self.reject)
        layout.addWidget(self._buttons)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._on_countdown_timeout)

    # -- pages -----------------------------------------------------------------------------

    def _build_progress_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self._progress_label = QLabel(self.tr("Asking Allegro for a code…"), page)
        layout.addWidget(self._progress_label)
        busy = QProgressBar(page)
        busy.setRange(0, 0)
        layout.addWidget(busy)
        layout.addStretch(1)
        return page

    def _build_code_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout(page)
        left = QVBoxLayout()
        steps = QLabel(self.tr(
            "1. Open Allegro with the button below, or scan the QR code with your phone.<br>"
            "2. Log in if asked, check that Allegro shows this code, and click "
            "<b>Pozwól</b> (Allow)."), page)
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        left.addWidget(steps)

        code_row = QHBoxLayout()
        self._code_label = QLabel(page)
        self._code_label.setObjectName("userCode")
        code_font = QFont()
        code_font.setFamilies(list(CODE_FONTS))
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        code_font.setFeature(QFont.Tag("zero"), 1)  # a slashed zero where the font has one
        code_font.setPointSizeF(self.font().pointSizeF() * 2.6)
        code_font.setBold(True)
        self._code_label.setFont(code_font)
        self._code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The big bold letters' ink overhangs what the label measures: keep the Copy button a
        # letter of the code (and a normal letter) clear of them.
        self._code_label.setContentsMargins(
            0, 0, QFontMetrics(code_font).horizontalAdvance("M"), 0)
        code_row.setSpacing(self.fontMetrics().horizontalAdvance("M"))
        code_row.addWidget(self._code_label)
        copy = QPushButton(self.tr("Copy"), page)
        copy.setObjectName("copyButton")
        copy.setToolTip(self.tr("Copy the code to the clipboard"))
        copy.clicked.connect(self._on_copy_clicked)
        code_row.addWidget(copy, 0, Qt.AlignmentFlag.AlignVCenter)
        code_row.addStretch(1)
        left.addLayout(code_row)

        self._open_button = QPushButton(self.tr("Open Allegro in the browser"), page)
        self._open_button.setObjectName("openButton")
        self._open_button.setDefault(True)
        self._open_button.clicked.connect(self._on_open_clicked)
        left.addWidget(self._open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._link_label = QLabel(page)
        self._link_label.setObjectName("verificationLink")
        self._link_label.setWordWrap(True)
        self._link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self._link_label)

        self._status_label = QLabel(page)
        self._status_label.setObjectName("statusLabel")
        self._status_label.setWordWrap(True)
        left.addWidget(self._status_label)
        self._expiry_label = QLabel(page)
        self._expiry_label.setObjectName("expiryLabel")
        left.addWidget(self._expiry_label)
        left.addStretch(1)
        row.addLayout(left, 1)

        self._qr_label = QLabel(page)
        self._qr_label.setObjectName("qrCode")
        self._qr_label.setToolTip(self.tr("Scan with your phone to open Allegro with the code"))
        row.addWidget(self._qr_label, 0, Qt.AlignmentFlag.AlignTop)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self._result_title = QLabel(page)
        self._result_title.setObjectName("resultTitle")
        font = self._result_title.font()
        font.setBold(True)
        self._result_title.setFont(font)
        layout.addWidget(self._result_title)
        self._result_text = QLabel(page)
        self._result_text.setObjectName("resultText")
        self._result_text.setWordWrap(True)
        self._result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._result_text)
        layout.addStretch(1)
        return page

    # -- flow ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    def _set_state(self, state: str) -> None:
        self._state = state
        waiting = state in ("starting", "waiting")
        self._retry.setVisible(state in ("denied", "expired", "failed"))
        self._close.setText(self.tr("Cancel") if waiting else self.tr("Close"))
        self.state_changed.emit(state)

    def start(self) -> None:
        """Begin (or begin again) a device-flow login, on the GUI thread's asyncio loop."""
        self._cancel_session()
        self._authorization = None
        self._progress_label.setText(self.tr("Asking Allegro for a code…"))
        self._pages.setCurrentIndex(0)
        self._set_state("starting")
        session = self._new_session()
        self._session = session
        self._tasks.start(self._log_in(session))

    async def _log_in(self, session: LoginSession) -> None:
        """One attempt: show the code, wait for the seller's approval, then the account. Every
        failure ends on its message (an unexpected one also in the log); a cancelled attempt
        ends silently."""
        try:
            authorization = await session.start()
        except Exception as exc:
            self._on_session_failed(session, exc)
            return
        if session is not self._session:
            return  # a cancelled attempt answering late
        self._on_session_started(authorization)
        try:
            account = await session.finish(functools.partial(self._on_flow_state, session))
        except Exception as exc:
            self._on_session_failed(session, exc)
            return
        self._on_connected(session, account)

    def _on_session_started(self, auth: DeviceAuthorization) -> None:
        self._authorization = auth
        self._code_label.setText(auth.formatted_user_code)
        self._link_label.setText(auth.verification_uri)
        self._qr_label.setPixmap(qr_pixmap(auth.verification_uri_complete))
        self._status_label.setText(self.tr("Waiting for you to approve the app on Allegro…"))
        self._pages.setCurrentIndex(1)
        self._set_state("waiting")
        self._on_countdown_timeout()
        self._countdown.start()

    @property
    def pending_work(self) -> bool:
        """Whether a login task has yet to end (tests wait on it)."""
        return self._tasks.pending

    def _on_flow_state(self, session: LoginSession, state: FlowState) -> None:
        if session is not self._session:
            return
        if state is FlowState.CONNECTED:
            self._status_label.setText(self.tr("Approved. Reading your account…"))

    def _on_connected(self, session: LoginSession, account: Account) -> None:
        if session is not self._session:
            return
        self._countdown.stop()
        self._session = None
        self._set_state("connected")
        log.info("connected account %s (%s)", account.login, account.environment)
        self.account_connected.emit(account)
        self.accept()

    def _on_session_failed(self, session: LoginSession, error: BaseException) -> None:
        if session is not self._session:
            return
        self._countdown.stop()
        self._session = None
        state, title, text = self._describe(session.state, error)
        if state == "failed" and not isinstance(error, AppError):
            log.error("device flow failed unexpectedly", exc_info=error)
        self._result_title.setText(title)
        self._result_text.setText(text)
        self._pages.setCurrentIndex(2)
        self._set_state(state)

    def _describe(self, flow_state: FlowState, error: BaseException) -> tuple[str, str, str]:
        if isinstance(error, DeviceFlowError):
            if flow_state is FlowState.DENIED:
                return ("denied", self.tr("Access was denied"), self.tr(
                    "You (or someone) clicked Odmów (Deny) on Allegro. Click Try again for a "
                    "new code if that was a mistake."))
            if flow_state is FlowState.EXPIRED:
                return ("expired", self.tr("The code expired"), self.tr(
                    "The code is valid for a limited time and works only once. Click Try "
                    "again for a new code."))
        if isinstance(error, UnauthorizedClientError | ClientCredentialsError):
            return ("failed", self.tr("This copy of the app cannot log in to Allegro"),
                    translated(error))
        if isinstance(error, NetworkError):
            return ("failed", self.tr("Allegro cannot be reached"), self.tr(
                "Check your internet connection, then click Try again."))
        if isinstance(error, AppError):
            return ("failed", self.tr("Connecting failed"), translated(error))
        return ("failed", self.tr("Connecting failed"), self.tr(
            "An unexpected error occurred (details are in the log). Click Try again."))

    def _cancel_session(self) -> None:
        """Stop the running attempt at once: the session stops polling and its task is
        cancelled; nothing more is sent for it."""
        session, self._session = self._session, None
        self._countdown.stop()
        if session is not None:
            session.cancel()
        self._tasks.cancel()

    # -- slots -----------------------------------------------------------------------------

    def _on_countdown_timeout(self) -> None:
        if self._authorization is None:
            return
        left = max(int(self._authorization.expires_at - self._clock()), 0)
        self._expiry_label.setText(self.tr("The code expires in %1.").replace(
            "%1", f"{left // 60}:{left % 60:02d}"))

    def _on_copy_clicked(self) -> None:
        if self._authorization is not None:
            QGuiApplication.clipboard().setText(self._authorization.user_code.upper())

    def _on_open_clicked(self) -> None:
        if self._authorization is not None:
            open_link(QUrl(self._authorization.verification_uri_complete), self)

    def done(self, result: int) -> None:
        """Closing the dialog in any way stops polling at once."""
        if self._session is not None:
            self._cancel_session()
            self._set_state("cancelled")
        super().done(result)
