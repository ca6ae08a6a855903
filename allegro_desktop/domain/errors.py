"""The root of the app's one exception hierarchy (DESIGN.md §8).

`AppError` is an expected, user- or environment-caused condition (offline, authorization needed,
rate limited, disk full, a locked database): it carries a message a seller can act on and is shown
as a state or a dialog. Anything else that escapes is a bug and is reported as one.
"""

from __future__ import annotations


class AppError(Exception):
    """An expected failure with a message fit for the user.

    `user_message` says what happened and what to do next, in plain words; `str(exc)` may carry
    technical detail for the log (never a secret).
    """

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or message
