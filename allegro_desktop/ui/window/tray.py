"""`TrayIcon`: the app in the system tray — the number of orders to process (a badge on the
icon, and the tooltip), the notifications the `Notifier` decides, and a menu (Show Allegro
Desktop, Sync now, Quit). Clicking the icon shows the window.

A system without a tray (`QSystemTrayIcon.isSystemTrayAvailable()` false: some Linux
desktops, offscreen tests) gets no icon; its messages show inside the window instead
(`window_notice.py`, wired by app.py); the menu and the badge are still built, so everything
else works the same.
"""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QLocale, QObject, QRectF, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from allegro_desktop.ui.formatting import count_grouped
from allegro_desktop.ui.window.notifications import Notification, Notifier

__all__ = ["TrayIcon", "badge_icon", "bring_to_front"]

log = logging.getLogger("allegro_desktop.ui")

#: How long a message stays (milliseconds; the desktop may decide otherwise).
MESSAGE_MS: Final = 10_000
_BADGE_SIZE: Final = 64


def badge_icon(base: QIcon, count: int, size: int = _BADGE_SIZE) -> QIcon:
    """`base` with `count` in a red disc in its top-right corner ("99+" above 99); `base`
    itself for 0 or less."""
    if count <= 0:
        return base
    pixmap = base.pixmap(size, size)
    if pixmap.isNull():
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
    text = str(count) if count < 100 else "99+"
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        diameter = size * (0.56 if len(text) < 3 else 0.68)
        disc = QRectF(size - diameter, 0, diameter, diameter)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(211, 47, 47))
        painter.drawEllipse(disc)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(diameter * (0.62 if len(text) == 1 else 0.5 if len(text) == 2
                                          else 0.4)))
        painter.setFont(font)
        painter.setPen(QColor(Qt.GlobalColor.white))
        painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()
    return QIcon(pixmap)


def bring_to_front(window: QWidget) -> None:
    """Show the window (restored if minimised or hidden) above the others."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


class TrayIcon(QObject):
    """The tray icon and its menu (see the module). `available` overrides the system's
    answer (tests).

    Signals:
        show_requested(): the seller clicked the icon or "Show Allegro Desktop".
        sync_requested(): "Sync now".
        quit_requested(): "Quit".
    """

    show_requested = Signal()
    sync_requested = Signal()
    quit_requested = Signal()

    def __init__(self, *, notifier: Notifier, icon: QIcon, available: bool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base_icon = icon
        self._icon = icon
        self._count = 0
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.show_action = self._action("trayShow", self.tr("Show Allegro Desktop"),
                                        self.show_requested)
        self.sync_action = self._action("traySync", self.tr("Sync now"), self.sync_requested)
        self.menu.addSeparator()
        self.quit_action = self._action("trayQuit", self.tr("Quit"), self.quit_requested)
        if available is None:
            available = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._on_tray_activated)
            self.tray.messageClicked.connect(notifier.message_clicked)
            self.tray.show()
        else:
            log.info("no system tray here: notifications show inside the window")
        self._update()
        notifier.notification_ready.connect(self._on_notifier_notification_ready)
        notifier.to_process_changed.connect(self._on_notifier_to_process_changed)

    def _action(self, name: str, text: str, signal: SignalInstance) -> QAction:
        action = QAction(text, self.menu)
        action.setObjectName(name)
        action.triggered.connect(signal)
        self.menu.addAction(action)
        return action

    # -- state ----------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """Orders to process, as shown."""
        return self._count

    @property
    def icon(self) -> QIcon:
        """The icon shown (with its badge)."""
        return self._icon

    @property
    def tooltip(self) -> str:
        if self._count <= 0:
            return self.tr("Allegro Desktop")
        if self._count == 1:
            return self.tr("Allegro Desktop — 1 order to process")
        return count_grouped(self.tr("Allegro Desktop — %Ln orders to process", "", self._count),
                             self._count, QLocale())

    def hide(self) -> None:
        """Take the icon out of the tray (when the app ends)."""
        if self.tray is not None:
            self.tray.hide()

    # -- helpers --------------------------------------------------------------------------

    def _update(self) -> None:
        self._icon = badge_icon(self._base_icon, self._count)
        if self.tray is not None:
            self.tray.setIcon(self._icon)
            self.tray.setToolTip(self.tooltip)

    # -- slots ----------------------------------------------------------------------------

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def _on_notifier_notification_ready(self, notification: Notification) -> None:
        if self.tray is None:
            return
        icon = (QSystemTrayIcon.MessageIcon.Warning if notification.kind == "alert"
                else QSystemTrayIcon.MessageIcon.Information)
        self.tray.showMessage(notification.title, notification.text, icon, MESSAGE_MS)

    def _on_notifier_to_process_changed(self, count: int) -> None:
        self._count = count
        self._update()
