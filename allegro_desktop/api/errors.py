"""Typed errors of Allegro's API, carrying Allegro's `code`, `userMessage` and `trace-id`.

Every error here is an `AppError`: an expected condition with a message for the seller. Error
texts never contain a token: Allegro echoes tokens in some `error_description`s
("Access token expired: <token>", "Invalid refresh token: <token>"), so those are scrubbed before
they reach an exception, a log line or the screen (`scrub`).
"""

from __future__ import annotations

import re

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

#: JWT-shaped or long opaque strings: what a token looks like. Replaced before anything is shown.
_SECRET_LIKE = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+|\b[A-Za-z0-9_\-]{32,}\b")


#: Checkout-form, line-item and payment ids: not secrets, and an error that hides which order it
#: is about is useless to the seller and to support.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def scrub(text: str) -> str:
    """`text` with anything token-like replaced by `<redacted>` (UUIDs are kept)."""
    return _SECRET_LIKE.sub(
        lambda m: m.group(0) if _UUID.fullmatch(m.group(0)) else "<redacted>", text)


class AllegroError(AppError):
    """Something Allegro (or the way to it) answered or failed to answer."""

    def __init__(self, message: str, *, user_message: str | Text | None = None,
                 trace_id: str | None = None) -> None:
        # The technical message may quote anything: scrub it. The user message is the app's
        # own text, or Allegro's userMessage already scrubbed where it was read (client.py,
        # oauth.py) — scrubbing it again would hide e.g. a 32-character client ID the app names.
        super().__init__(scrub(message), user_message=user_message)
        self.trace_id = trace_id

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} (trace-id {self.trace_id})" if self.trace_id else base


# -- transport --------------------------------------------------------------------------------


class NetworkError(AllegroError):
    """No usable answer: offline, DNS, refused or dropped connection, timeout, cut-off body."""


class TooSlowError(NetworkError):
    """An answer came so slowly that the request's deadline passed (`api/limits.py`), each
    time it was tried: a trickling server or a line too slow to use."""


class ServerError(AllegroError):
    """Allegro answered 5xx (after the retries an idempotent request gets)."""

    def __init__(self, message: str, *, status: int, trace_id: str | None = None) -> None:
        super().__init__(message, trace_id=trace_id, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "Allegro is having trouble right now. Try again in a few minutes.")))
        self.status = status


class MalformedResponseError(AllegroError):
    """An answer that is not what Allegro's API promises (not JSON, wrong shape)."""

    def __init__(self, message: str, *, user_message: str | Text | None = None,
                 trace_id: str | None = None) -> None:
        super().__init__(message, trace_id=trace_id, user_message=user_message or Text(
            QT_TRANSLATE_NOOP("Errors", "Allegro sent an answer the app cannot read. Try "
                              "again in a while; if it keeps happening, the app's log has the "
                              "details for support.")))


class RateLimitedError(AllegroError):
    """429: every request for this client id is paused until `retry_at` (epoch seconds)."""

    def __init__(self, message: str, *, retry_at: float, trace_id: str | None = None) -> None:
        super().__init__(message, trace_id=trace_id, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "Allegro asked the app to slow down for a while. Wait a little, then try again.")))
        self.retry_at = retry_at


# -- REST resources: {"errors": [...]} bodies ------------------------------------------------


class ApiError(AllegroError):
    """A 4xx answer of a REST resource, with Allegro's first error's `code` and `userMessage`."""

    def __init__(self, message: str, *, status: int, code: str | None,
                 user_message: str | Text | None = None, trace_id: str | None = None,
                 errors: list[dict[str, object]] | None = None) -> None:
        super().__init__(message, user_message=user_message, trace_id=trace_id)
        self.status = status
        self.code = code
        self.errors = errors or []


class NotFoundError(ApiError):
    """404, e.g. CheckoutFormNotFoundException (an old or merged order)."""


class ForbiddenError(ApiError):
    """403: the token lacks a scope, or the resource is not this seller's."""


class ConflictError(ApiError):
    """409, e.g. an outdated checkout-form revision."""


class StaleRevisionError(ConflictError):
    """409 to a fulfillment change guarded by `checkoutForm.revision`: the order changed on
    Allegro since that revision was read ("Provided revision is outdated"). Read the order
    again; if the change still makes sense, send it with the new revision. (A retried `PUT`
    whose first attempt did arrive may meet this too, if Allegro moved the revision: the
    order read again then already has the status.)"""


class InvoiceFileExistsError(ConflictError):
    """409 to an invoice file upload: that invoice already has its file — possibly from an
    earlier attempt whose answer was lost."""


class ValidationError(ApiError):
    """400/422: parameters Allegro refuses (e.g. offset+limit above 10 000)."""


class NotAcceptableError(ApiError):
    """406: the Accept header is wrong — a bug of ours, not the user's."""


class FileTooLargeError(ApiError):
    """413, or refused before sending: a file larger than Allegro takes (an invoice PDF: 3 MB)."""


# -- OAuth: {"error": ..., "error_description": ...} bodies ----------------------------------


class AuthError(AllegroError):
    """An OAuth or bearer-token failure; `error` is Allegro's machine-readable code."""

    def __init__(self, message: str, *, error: str, user_message: str | Text | None = None,
                 trace_id: str | None = None) -> None:
        super().__init__(message, user_message=user_message, trace_id=trace_id)
        self.error = error


class InvalidTokenError(AuthError):
    """401 invalid_token on a REST call: the access token is expired, replaced or revoked."""


class ReconnectNeededError(AuthError):
    """The refresh token was refused (invalid_grant) or the account's tokens are gone: the
    seller must connect the account again. Never retried: token issuance is rate-limited."""


class ClientCredentialsError(AuthError):
    """401 Unauthorized from the OAuth endpoints: wrong client id/secret, or credentials of the
    other environment (sandbox vs production)."""


class UnauthorizedClientError(AuthError):
    """The app is registered as a web app: it has no device_code grant (register a device app)."""


class DeviceFlowError(AuthError):
    """The device flow ended without a token: denied, expired, invalid or used code."""


_WAITING = Text(QT_TRANSLATE_NOOP("Errors",
                                  "Waiting for you to approve the app on the Allegro page."))

# The device flow's poll outcomes (ALLEGRO-API.md §3.5). Only `error` is matched, never
# `error_description`: Allegro localizes it ([#8049]).


class AuthorizationPending(DeviceFlowError):  # noqa: N818 - named after Allegro's error code
    """400 authorization_pending: the seller has not approved the code yet. Poll again after
    the interval; this is the normal answer while waiting, not a failure."""

    def __init__(self, *, trace_id: str | None = None) -> None:
        super().__init__("the seller has not approved the device code yet",
                         error="authorization_pending", trace_id=trace_id,
                         user_message=_WAITING)


class SlowDown(DeviceFlowError):  # noqa: N818 - named after Allegro's error code
    """400 slow_down: polled sooner than `interval`. Poll less often: add `add_seconds` to the
    interval for good (RFC 8628 §3.5 says +5 s; Allegro's samples add less, which is risky)."""

    add_seconds = 5.0

    def __init__(self, *, trace_id: str | None = None) -> None:
        super().__init__("polled the token endpoint too often", error="slow_down",
                         trace_id=trace_id, user_message=_WAITING)


class AccessDenied(DeviceFlowError):  # noqa: N818 - named after Allegro's error code
    """400 access_denied: the seller clicked Deny. Terminal: stop polling."""

    def __init__(self, *, trace_id: str | None = None) -> None:
        super().__init__("the seller denied the app access", error="access_denied",
                         trace_id=trace_id, user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "The connection was refused on the Allegro page. Start "
                             "again to connect the account.")))


class InvalidDeviceCode(DeviceFlowError):  # noqa: N818 - named like its siblings
    """400 invalid_request "Invalid device code", or any other unrecognised 400 of the poll:
    the code expired, was used already, or never existed. Terminal: Allegro asks to stop
    polling it and start a new device flow ([#11373]); it cannot be kept for later ([#1652])."""

    def __init__(self, message: str, *, error: str, trace_id: str | None = None) -> None:
        super().__init__(message, error=error, trace_id=trace_id, user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "The connection code has expired or was already used. "
                              "Start again to get a new code.")))
