"""The OS keyring: where account tokens and client secrets live (ARCHITECTURE.md "Secrets":
never in SQLite, settings or logs). This is the only module of the app that touches `keyring`.

Entries, all under one keyring service ("allegro-desktop"):

- one per account and environment: username `Account.key` ("production|48213377"), value the
  JSON of its `TokenPair`;
- one client secret per environment: username `client-secret|<environment key>`;
- the outgoing webhook's signing secret: username `webhook-secret`.

Why the extra care:

- No silent plaintext fallback. `keyring` picks "the best backend available"; on a bare Linux box
  that is a backend that fails every call, and with `keyrings.alt` installed it can be a plaintext
  file. Refresh tokens are 3-month credentials to a seller's shop, so `check_available` refuses
  those and says how to get a real keyring instead (`keyring_help`).
- Windows Credential Manager holds at most 2560 bytes (1280 UTF-16 characters) per entry, less
  than a pair of Allegro JWTs. Long values are split over several entries ("shards"), written
  before the entry that points to them, in one of two alternating shard sets: a crash half-way
  leaves the previous value readable, never a mix.
- Keyring failures (a locked collection, a D-Bus error, a dismissed unlock prompt) become a
  `KeyringUnavailableError` with a message for the seller, never a raw traceback.
- Choosing a backend is slow: unless configured (`PYTHON_KEYRING_BACKEND`, keyring's own
  keyringrc.cfg), `keyring` imports every backend it knows and asks each whether it works here
  (D-Bus round trips) — a good part of a terminal command's start. The choice is remembered in
  the cache folder (`remember_in`) and later loaded alone, checked viable as keyring does for a
  configured one; chosen afresh when it no longer is.

Calls block (D-Bus, an unlock prompt): async callers run them in a worker thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import keyring
import keyring.core
from keyring.backend import KeyringBackend, NullCrypter
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, KeyringLocked, PasswordDeleteError

from allegro_desktop.api.models import TokenPair
from allegro_desktop.auth.demo_keyring import DemoMemoryKeyring
from allegro_desktop.auth.errors import KeyringUnavailableError
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text

log = logging.getLogger("allegro_desktop.auth")

SERVICE = "allegro-desktop"
CLIENT_SECRET_PREFIX = "client-secret|"
WEBHOOK_SECRET_USERNAME = "webhook-secret"
WEBHOOK_URL_USERNAME = "webhook-url"

#: Longest value stored in one entry: 1000 ASCII characters are 2000 bytes in UTF-16, under the
#: 2560-byte limit of Windows Credential Manager (keyring issue #355: "The stub received bad data").
SHARD_CHARS = 1000
_SHARD_MARKER = "allegro-desktop:sharded:"  # "<marker><set>:<count>" in the pointing entry
_TOKEN_FORMAT = 1

#: Backends that keep secrets unencrypted in a file (keyrings.alt; keyring itself before v8).
_PLAINTEXT_BACKENDS = frozenset({
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.pyfs.PlaintextKeyring",
    "keyring.backends.file.PlaintextKeyring",
})
#: Libraries a keyring backend talks through; their exceptions are keyring failures too.
_BACKEND_LIBRARIES = frozenset({"secretstorage", "jeepney", "dbus", "gi", "win32ctypes",
                                "pywintypes", "keyrings"})

_T = TypeVar("_T")
_ABSENT = object()


def keyring_help(platform: str = sys.platform) -> Text:
    """How to get a usable keyring on `platform`, in words for the seller."""
    if platform == "darwin":
        return Text(QT_TRANSLATE_NOOP(
            "Errors", "macOS has a keychain built in. Make sure your login keychain is unlocked "
            "(open Keychain Access, select \"login\" and unlock it), then try again."))
    if platform.startswith(("win", "cygwin")):
        return Text(QT_TRANSLATE_NOOP(
            "Errors", "Windows has Credential Manager built in. Sign in to Windows with your "
            "own user account (not a temporary profile) and try again."))
    return Text(QT_TRANSLATE_NOOP(
        "Errors",
        "On Linux the app needs a Secret Service provider running in your desktop session "
        "(over D-Bus): GNOME Keyring (package gnome-keyring), KeePassXC with \"Secret Service "
        "integration\" enabled, or KWallet. Install one, log out and in again, and make sure it "
        "is unlocked.\n"
        "On a server or a bare system without a desktop, start the app inside a D-Bus session "
        "with an unlocked keyring, for example:\n"
        "  dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock; "
        "allegro-desktop'\n"
        "(replace pass with a password of your choice). The app never stores your Allegro "
        "sign-in in a plain file."))


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_plaintext(backend: KeyringBackend) -> bool:
    for cls in type(backend).__mro__:
        if f"{cls.__module__}.{cls.__qualname__}" in _PLAINTEXT_BACKENDS:
            return True
    if "plaintext" in type(backend).__name__.lower():
        return True
    # keyrings.alt's file backends name their encryption `scheme`; pyfs ones carry a crypter.
    if getattr(backend, "scheme", None) == "no encryption":
        return True
    crypter = getattr(backend, "_crypter", _ABSENT)
    return crypter is None or isinstance(crypter, NullCrypter)


def unusable_reason(backend: KeyringBackend) -> str | None:
    """Why `backend` must not hold our secrets, or None if it may."""
    name = _backend_name(backend)
    if isinstance(backend, DemoMemoryKeyring):
        return None  # chosen explicitly, for demo mode only (never selected automatically)
    if isinstance(backend, fail.Keyring):
        return "no keyring backend was found"
    if isinstance(backend, null.Keyring):
        return "the keyring is disabled (the null backend is configured)"
    if isinstance(backend, chainer.ChainerBackend):
        backends: list[KeyringBackend] = list(type(backend).backends)
        if not backends:
            return "no usable keyring backend was found"
        # The chainer writes to its first backend: that one must be safe.
        return unusable_reason(backends[0])
    if _is_plaintext(backend):
        return f"{name} stores secrets unencrypted in a file"
    try:
        priority = float(type(backend).priority)
    except Exception as exc:  # keyring's way to say "not viable here"
        return f"{name} cannot be used here: {exc}"
    if priority < 1:
        # keyring itself recommends only backends of priority >= 1 (keyring.core.recommended);
        # below are the fallbacks (files, a getpass prompt a desktop app cannot answer).
        return f"{name} is not a recommended keyring (priority {priority:g})"
    return None


def _is_backend_failure(exc: BaseException) -> bool:
    if isinstance(exc, KeyringError | OSError | RuntimeError):
        return True
    return type(exc).__module__.split(".")[0] in _BACKEND_LIBRARIES


def _unavailable(reason: str, *, cause: BaseException | None = None) -> KeyringUnavailableError:
    if isinstance(cause, KeyringLocked):
        user = Text(QT_TRANSLATE_NOOP(
            "Errors", "The system keyring is locked, so the app cannot read or save your "
            "Allegro sign-in. Unlock it (or accept the unlock prompt) and try again."))
    else:
        user = Text(QT_TRANSLATE_NOOP(
            "Errors", "The app keeps your Allegro sign-in in the system keyring, but no usable "
            "keyring is available (%1).\n\n%2"), reason, keyring_help())
    return KeyringUnavailableError(f"keyring unavailable: {reason}", user_message=user)


class _CorruptEntryError(Exception):
    """An entry (or one of its shards) cannot be read back."""


class TokenStore:
    """Account token pairs and client secrets in the OS keyring.

    `backend=None` uses the keyring the `keyring` library selects (its configuration file or
    `PYTHON_KEYRING_BACKEND` included); tests pass an in-memory one. `remember_in`: a file
    where that choice is remembered, so that later processes load that backend alone instead
    of probing every one (see the module docstring). Thread-safe: the keyring library is, and
    a lock keeps a value's entries (its shards) consistent within this process.
    """

    def __init__(self, *, backend: KeyringBackend | None = None,
                 service: str = SERVICE, remember_in: Path | None = None) -> None:
        self._given = backend
        self._remember_in = remember_in
        self._service = service
        self._lock = threading.RLock()
        self._verified: KeyringBackend | None = None

    # -- availability --------------------------------------------------------------------

    def check_available(self) -> None:
        """Raise `KeyringUnavailableError` (with how to fix it) unless a secure keyring is there.

        Done before the first read or write too; the app calls it at start to show the problem
        before the seller connects an account.
        """
        self._backend()

    def _backend(self) -> KeyringBackend:
        with self._lock:
            if self._verified is not None:
                return self._verified
            backend = self._given
            remember = False
            if backend is None:
                try:
                    backend = keyring.core.load_env() or keyring.core.load_config()
                    if backend is None:
                        backend = self._remembered()
                    if backend is None:
                        backend = keyring.get_keyring()  # probes every backend
                        remember = True
                except Exception as exc:  # a broken PYTHON_KEYRING_BACKEND or keyringrc.cfg
                    if not (_is_backend_failure(exc)
                            or isinstance(exc, ImportError | AttributeError)):
                        raise
                    raise _unavailable(f"the configured keyring cannot be loaded: {exc}",
                                       cause=exc) from exc
            reason = unusable_reason(backend)
            if reason is not None:
                log.warning("Keyring refused: %s", reason)
                raise _unavailable(reason)
            log.debug("Using keyring %s", _backend_name(backend))
            if remember:
                self._remember(backend)
            self._verified = backend
            return backend

    def _remembered(self) -> KeyringBackend | None:
        """The backend chosen by an earlier process, loaded alone; None when there is none
        or it cannot be used here any more (then it is chosen again)."""
        if self._remember_in is None:
            return None
        try:
            name = self._remember_in.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            log.info("the remembered keyring choice cannot be read (%s): choosing again", exc)
            return None
        try:
            # What keyring does with a configured name: the class, checked viable here.
            backend = keyring.core.load_keyring(name)
        except Exception as exc:
            if not (_is_backend_failure(exc) or isinstance(exc, ImportError | AttributeError
                                                            | ValueError)):
                raise
            log.info("the remembered keyring %s cannot be used (%s): choosing again",
                     name[:100], exc)
            return None
        if unusable_reason(backend) is not None:  # a hand-edited file
            return None
        return backend

    def _remember(self, backend: KeyringBackend) -> None:
        """Remember the chosen backend for the next processes: a chainer's first one, which
        it writes to (and so holds our entries)."""
        if self._remember_in is None or isinstance(backend, DemoMemoryKeyring):
            return
        if isinstance(backend, chainer.ChainerBackend):
            backend = type(backend).backends[0]
        try:
            self._remember_in.parent.mkdir(parents=True, exist_ok=True)
            self._remember_in.write_text(_backend_name(backend) + "\n", encoding="utf-8")
        except OSError as exc:  # a cache: the next process only chooses again
            log.info("the keyring choice cannot be remembered in %s: %s", self._remember_in,
                     exc)

    def _call(self, what: str, function: Callable[..., _T], *args: Any) -> _T:
        """A keyring call, its failures turned into `KeyringUnavailableError`."""
        try:
            return function(*args)
        except PasswordDeleteError:
            raise
        except Exception as exc:
            if not _is_backend_failure(exc):
                raise
            log.warning("Keyring %s failed: %s", what, type(exc).__name__)
            raise _unavailable(f"the keyring failed to {what}: {type(exc).__name__}",
                               cause=exc) from exc

    # -- raw entries (sharded when long) -------------------------------------------------

    def _get_raw(self, username: str) -> str | None:
        backend = self._backend()
        value: str | None = self._call("read", backend.get_password, self._service, username)
        return value

    def _set_raw(self, username: str, value: str) -> None:
        backend = self._backend()
        self._call("save", backend.set_password, self._service, username, value)

    def _delete_raw(self, username: str) -> None:
        backend = self._backend()
        with contextlib.suppress(PasswordDeleteError):  # not there: deleting is idempotent
            self._call("delete", backend.delete_password, self._service, username)

    @staticmethod
    def _pointer(value: str | None) -> tuple[str, int] | None:
        if value is None or not value.startswith(_SHARD_MARKER):
            return None
        shard_set, _, count = value.removeprefix(_SHARD_MARKER).partition(":")
        if shard_set not in ("a", "b") or not count.isdigit():
            raise _CorruptEntryError("bad shard pointer")
        return shard_set, int(count)

    def _get(self, username: str) -> str | None:
        with self._lock:
            value = self._get_raw(username)
            pointer = self._pointer(value)
            if pointer is None:
                return value
            shard_set, count = pointer
            parts = []
            for index in range(count):
                part = self._get_raw(f"{username}|{shard_set}{index}")
                if part is None:
                    raise _CorruptEntryError(f"shard {index} of {count} is missing")
                parts.append(part)
            return "".join(parts)

    def _put(self, username: str, value: str) -> None:
        with self._lock:
            try:
                old = self._pointer(self._get_raw(username))
            except _CorruptEntryError:
                old = None
            if len(value) <= SHARD_CHARS and not value.startswith(_SHARD_MARKER):
                self._set_raw(username, value)
            else:
                shard_set = "b" if old is not None and old[0] == "a" else "a"
                chunks = [value[i:i + SHARD_CHARS] for i in range(0, len(value), SHARD_CHARS)]
                for index, chunk in enumerate(chunks):
                    self._set_raw(f"{username}|{shard_set}{index}", chunk)
                # The pointer last: until it is written, the previous value stays whole.
                self._set_raw(username, f"{_SHARD_MARKER}{shard_set}:{len(chunks)}")
            if old is not None:  # the previous shards (never the set just written: see above)
                self._delete_shards(username, old)

    def _delete_shards(self, username: str, pointer: tuple[str, int]) -> None:
        shard_set, count = pointer
        for index in range(count):
            self._delete_raw(f"{username}|{shard_set}{index}")

    def _remove(self, username: str) -> None:
        with self._lock:
            try:
                old = self._pointer(self._get_raw(username))
            except _CorruptEntryError:
                old = None
            self._delete_raw(username)
            if old is not None:
                self._delete_shards(username, old)

    # -- token pairs ---------------------------------------------------------------------

    def save(self, account_key: str, pair: TokenPair) -> None:
        """Store the account's pair, replacing the previous one (durably, before it is used)."""
        value = json.dumps({
            "format": _TOKEN_FORMAT,
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "access_expires_at": pair.access_expires_at,
            "refresh_expires_at": pair.refresh_expires_at,
            "scope": pair.scope,
        }, separators=(",", ":"))
        self._put(account_key, value)
        log.debug("Saved the token pair of %s", account_key)

    def load(self, account_key: str) -> TokenPair | None:
        """The account's pair; None if there is none or the entry is damaged (logged: the
        account then needs connecting again, which beats a crash at every start)."""
        try:
            value = self._get(account_key)
            if value is None:
                return None
            data = json.loads(value)
            if not isinstance(data, dict) or data.get("format") != _TOKEN_FORMAT:
                raise _CorruptEntryError("not a token entry of a known format")
            access, refresh = data["access_token"], data["refresh_token"]
            scope = data.get("scope", "")
            if not (isinstance(access, str) and isinstance(refresh, str)
                    and isinstance(scope, str) and access and refresh):
                raise _CorruptEntryError("tokens missing")
            return TokenPair(access_token=access, refresh_token=refresh,
                             access_expires_at=float(data["access_expires_at"]),
                             refresh_expires_at=float(data["refresh_expires_at"]),
                             scope=scope)
        except (_CorruptEntryError, ValueError, KeyError, TypeError) as exc:
            # The exception text may quote the value: log only its kind.
            log.warning("The keyring entry of %s is damaged and is ignored (%s)", account_key,
                        exc if isinstance(exc, _CorruptEntryError) else type(exc).__name__)
            return None

    def delete(self, account_key: str) -> None:
        """Forget the account's tokens (nothing happens if there are none)."""
        self._remove(account_key)
        log.debug("Deleted the token pair of %s", account_key)

    # -- client secrets ------------------------------------------------------------------

    def save_client_secret(self, environment_key: str, secret: str) -> None:
        """Keep the app's client secret for an environment (e.g. a developer's sandbox app)."""
        if not secret:
            raise ValueError("an empty client secret")
        self._put(CLIENT_SECRET_PREFIX + environment_key, secret)
        log.debug("Saved the client secret for %s", environment_key)

    def load_client_secret(self, environment_key: str) -> str | None:
        try:
            return self._get(CLIENT_SECRET_PREFIX + environment_key) or None
        except _CorruptEntryError as exc:
            log.warning("The keyring's client secret for %s is damaged and is ignored (%s)",
                        environment_key, exc)
            return None

    def delete_client_secret(self, environment_key: str) -> None:
        self._remove(CLIENT_SECRET_PREFIX + environment_key)
        log.debug("Deleted the client secret for %s", environment_key)

    # -- the webhook's signing secret ----------------------------------------------------

    def save_webhook_secret(self, secret: str) -> None:
        """Keep the secret the outgoing webhook signs its requests with (HMAC-SHA256)."""
        if not secret:
            raise ValueError("an empty webhook secret")
        self._put(WEBHOOK_SECRET_USERNAME, secret)
        log.debug("Saved the webhook secret")

    def load_webhook_secret(self) -> str | None:
        try:
            return self._get(WEBHOOK_SECRET_USERNAME) or None
        except _CorruptEntryError as exc:
            log.warning("The keyring's webhook secret is damaged and is ignored (%s)", exc)
            return None

    def delete_webhook_secret(self) -> None:
        self._remove(WEBHOOK_SECRET_USERNAME)
        log.debug("Deleted the webhook secret")

    def save_webhook_url(self, url: str) -> None:
        """Keep the webhook's address: a Slack or Discord address is itself the credential
        (whoever has it can post to the channel), so it is a secret too."""
        if not url:
            raise ValueError("an empty webhook address")
        self._put(WEBHOOK_URL_USERNAME, url)
        log.debug("Saved the webhook address")

    def load_webhook_url(self) -> str | None:
        try:
            return self._get(WEBHOOK_URL_USERNAME) or None
        except _CorruptEntryError as exc:
            log.warning("The keyring's webhook address is damaged and is ignored (%s)", exc)
            return None

    def delete_webhook_url(self) -> None:
        self._remove(WEBHOOK_URL_USERNAME)
        log.debug("Deleted the webhook address")
