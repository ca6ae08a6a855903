"""`WindowNotice`: the notifications inside the window, for a desktop with no system tray
(`TrayIcon.tray` is None: some Linux desktops). There the tray can show no message, so what the
`Notifier` decides — new orders, an account that needs attention — appears as a bar at the top
of the window instead: the message, "Show" (the new orders, as a click on the tray's message
does) and a button to dismiss it. A newer message replaces the one shown.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton, QWidget

from allegro_desktop.ui.banner import Banner
from allegro_desktop.ui.window.notifications import Notification, Notifier

__all__ = ["WindowNotice"]


class WindowNotice(Banner):
    """The bar showing `notifier`'s messages in the window (see the module); hidden until
    there is one. Put it in the window with `MainWindow.add_banner`."""

    def __init__(self, *, notifier: Notifier, parent: QWidget) -> None:
        super().__init__(name="windowNotice", tone="note", parent=parent, right_margin=8)
        self._notifier = notifier
        self.notification: Notification | None = None
        self.message.setObjectName("windowNoticeText")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        row = self.row
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.setObjectName("windowNoticeShow")
        self.show_button.setToolTip(self.tr("Show these orders in the table"))
        self.show_button.clicked.connect(self._on_show_clicked)
        row.addWidget(self.show_button)
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("windowNoticeDismiss")
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        row.addWidget(self.dismiss_button)
        self.hide()
        notifier.notification_ready.connect(self._on_notifier_notification_ready)

    def dismiss(self) -> None:
        """Hide the message shown."""
        self.notification = None
        self.hide()

    def _on_notifier_notification_ready(self, notification: Notification) -> None:
        self.notification = notification
        lines = [html.escape(line) for line in notification.text.splitlines() if line.strip()]
        self.message.setText(f"<b>{html.escape(notification.title)}</b>"
                             + (f"<br>{' · '.join(lines)}" if lines else ""))
        self.show_button.setVisible(notification.kind == "orders")
        self.show()

    def _on_show_clicked(self) -> None:
        self._notifier.message_clicked()
        self.dismiss()
