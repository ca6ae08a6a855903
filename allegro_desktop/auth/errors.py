"""Errors of the auth layer: expected conditions with a message the seller can act on."""

from __future__ import annotations

from pathlib import Path

from allegro_desktop.domain.errors import AppError, Text


class KeyringUnavailableError(AppError):
    """No secure OS keyring can be used: tokens and client secrets would have nowhere safe to
    go. The app refuses to fall back to a plaintext file; `user_message` says how to get one."""


class MissingCredentialsError(AppError):
    """The app has no client id or secret for an environment (production or sandbox)."""


class AccountsFileError(AppError):
    """The accounts file cannot be read or written. It is never silently emptied: the seller
    decides what happens to it (the message names the file)."""

    def __init__(self, message: str, *, path: Path,
                 user_message: str | Text | None = None) -> None:
        super().__init__(message, user_message=user_message)
        self.path = path

