"""The keyring token store: round trips, damaged entries, Windows-sized entries, and refusing
every keyring that would not keep a refresh token safe."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from keyring.backend import KeyringBackend, NullCrypter
from keyring.backends import chainer, fail, null

from allegro_desktop.auth.errors import KeyringUnavailableError
from allegro_desktop.auth.token_store import SERVICE, SHARD_CHARS, TokenStore, keyring_help
from tests.helpers.auth_flow import a_pair
from tests.helpers.memory_keyring import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]
KEY = "production|48213377"


# -- imitations of backends that must be refused (keyrings.alt is not a dependency) -----------
# `viable = False` keeps them out of keyring's automatic selection in this test process.


class PlaintextKeyring(KeyringBackend):
    """Shaped like keyrings.alt.file.PlaintextKeyring: a file, "no encryption", priority 0.5."""

    priority = 0.5  # type: ignore[assignment]
    viable = False
    scheme = "no encryption"

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("a plaintext keyring must not even be read")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a plaintext keyring must not be written")


class UnencryptedFilesystemKeyring(KeyringBackend):
    """Shaped like keyrings.alt.pyfs's plaintext keyring: priority 2, a crypter that does
    nothing — its priority alone would pass."""

    priority = 2  # type: ignore[assignment]
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self._crypter = NullCrypter()

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("must not be read")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("must not be written")


class EmptyChain(chainer.ChainerBackend):
    """The chainer keyring picks when it finds no backend at all."""

    backends: ClassVar[list[KeyringBackend]] = []  # type: ignore[misc]
    viable = False


class ChainToPlaintext(chainer.ChainerBackend):
    backends: ClassVar[list[KeyringBackend]] = [PlaintextKeyring(), MemoryKeyring()]  # type: ignore[misc]
    viable = False


class ChainToMemory(chainer.ChainerBackend):
    backends: ClassVar[list[KeyringBackend]] = [MemoryKeyring(), PlaintextKeyring()]  # type: ignore[misc]
    viable = False


class FlakyKeyring(MemoryKeyring):
    """Fails the n-th write from now: a crash or a D-Bus error half-way through a save."""

    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.fail_at: int | None = None

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail_at is not None:
            self.fail_at -= 1
            if self.fail_at == 0:
                raise OSError("D-Bus connection lost")
        super().set_password(service, username, password)


# -- round trips -------------------------------------------------------------------------------


def test_pairs_round_trip_per_account(store: TokenStore, memory_keyring: MemoryKeyring) -> None:
    assert store.load(KEY) is None
    store.save(KEY, a_pair(tag="1"))
    store.save("sandbox|48213377", a_pair(tag="2"))
    assert store.load(KEY) == a_pair(tag="1")
    assert store.load("sandbox|48213377") == a_pair(tag="2")
    assert {username for _, username in memory_keyring.entries} == {KEY, "sandbox|48213377"}
    assert {service for service, _ in memory_keyring.entries} == {SERVICE}

    store.save(KEY, a_pair(tag="3"))  # a refresh replaces the pair
    assert store.load(KEY) == a_pair(tag="3")
    store.delete(KEY)
    assert store.load(KEY) is None
    store.delete(KEY)  # deleting twice is fine
    assert store.load("sandbox|48213377") == a_pair(tag="2")


def test_client_secrets_round_trip(store: TokenStore, memory_keyring: MemoryKeyring) -> None:
    assert store.load_client_secret("sandbox") is None
    store.save_client_secret("sandbox", "s3cr3t")
    assert store.load_client_secret("sandbox") == "s3cr3t"
    assert memory_keyring.entries[(SERVICE, "client-secret|sandbox")] == "s3cr3t"
    store.delete_client_secret("sandbox")
    assert store.load_client_secret("sandbox") is None
    with pytest.raises(ValueError, match="empty"):
        store.save_client_secret("sandbox", "")


@pytest.mark.parametrize("damage", [
    "not json at all",
    '{"format": 1, "access_token": "x"}',
    '{"format": 99, "access_token": "a", "refresh_token": "r", "access_expires_at": 1, '
    '"refresh_expires_at": 2}',
    '{"format": 1, "access_token": "a", "refresh_token": "r", "access_expires_at": "soon", '
    '"refresh_expires_at": 2}',
    "[1, 2]",
    "allegro-desktop:sharded:a:2",  # the shards are gone
    "allegro-desktop:sharded:z:x",
])
def test_a_damaged_entry_reads_as_none_with_a_warning(
        store: TokenStore, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture,
        damage: str) -> None:
    memory_keyring.set_password(SERVICE, KEY, damage)
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.auth"):
        assert store.load(KEY) is None
    assert "damaged" in caplog.text
    assert KEY in caplog.text
    store.save(KEY, a_pair())  # and it can be overwritten by connecting again
    assert store.load(KEY) == a_pair()


# -- long values (Windows Credential Manager) ------------------------------------------------


def test_long_pairs_are_split_to_fit_windows_credential_manager() -> None:
    backend = MemoryKeyring(max_length=1280)  # what Windows accepts per entry
    store = TokenStore(backend=backend)
    long_pair = a_pair(length=3000)
    with pytest.raises(OSError, match="stub received bad data"):  # one entry would not fit
        backend.set_password(SERVICE, KEY, "x" * 2000)
    store.save(KEY, long_pair)
    assert store.load(KEY) == long_pair
    assert all(len(value) <= SHARD_CHARS for value in backend.values())
    shards = len(backend.entries) - 1
    assert shards >= 6

    store.save(KEY, a_pair(length=2500, tag="b"))  # the other shard set; the old one goes
    assert store.load(KEY) == a_pair(length=2500, tag="b")
    assert len(backend.entries) - 1 < shards

    store.save(KEY, a_pair())  # short again: no shard left behind
    assert store.load(KEY) == a_pair()
    assert list(backend.entries) == [(SERVICE, KEY)]
    store.save(KEY, long_pair)
    store.delete(KEY)
    assert backend.entries == {}


def test_a_save_failing_half_way_leaves_the_previous_pair() -> None:
    backend = FlakyKeyring()
    store = TokenStore(backend=backend)
    before = a_pair(length=2500, tag="old")
    store.save(KEY, before)
    backend.fail_at = 2  # the second shard of the next save
    with pytest.raises(KeyringUnavailableError):
        store.save(KEY, a_pair(length=2500, tag="new"))
    assert store.load(KEY) == before
    backend.fail_at = None
    store.save(KEY, a_pair(length=2500, tag="new"))
    assert store.load(KEY) == a_pair(length=2500, tag="new")


def test_a_missing_shard_reads_as_none(store: TokenStore, memory_keyring: MemoryKeyring,
                                       caplog: pytest.LogCaptureFixture) -> None:
    store.save(KEY, a_pair(length=2500))
    memory_keyring.delete_password(SERVICE, f"{KEY}|a1")
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.auth"):
        assert store.load(KEY) is None
    assert "shard 1" in caplog.text


# -- unusable keyrings -------------------------------------------------------------------------


def assert_explains_how_to_get_a_keyring(error: KeyringUnavailableError) -> None:
    text = error.user_message
    for needle in ("Secret Service", "gnome-keyring", "KeePassXC", "KWallet", "D-Bus",
                   "dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock;",
                   "never stores your Allegro sign-in in a plain file"):
        assert needle in text


@pytest.mark.parametrize("backend", [
    fail.Keyring(), null.Keyring(), EmptyChain(), PlaintextKeyring(),
    UnencryptedFilesystemKeyring(), ChainToPlaintext(),
], ids=lambda b: type(b).__name__)
def test_unsafe_or_missing_keyrings_are_refused_with_a_how_to(backend: KeyringBackend) -> None:
    store = TokenStore(backend=backend)
    with pytest.raises(KeyringUnavailableError) as caught:
        store.check_available()
    assert_explains_how_to_get_a_keyring(caught.value)
    with pytest.raises(KeyringUnavailableError):
        store.save(KEY, a_pair())  # never a silent fallback
    with pytest.raises(KeyringUnavailableError):
        store.load(KEY)
    with pytest.raises(KeyringUnavailableError):
        store.save_client_secret("production", "s3cr3t")


def test_plaintext_is_named_as_the_reason() -> None:
    with pytest.raises(KeyringUnavailableError) as caught:
        TokenStore(backend=PlaintextKeyring()).check_available()
    assert "unencrypted" in str(caught.value)
    assert "unencrypted" in caught.value.user_message


def test_a_chain_writing_to_a_safe_keyring_is_accepted() -> None:
    store = TokenStore(backend=ChainToMemory())
    store.check_available()


def test_the_how_to_fits_the_platform() -> None:
    assert "built in" in str(keyring_help("darwin"))
    assert "Keychain" in str(keyring_help("darwin"))
    assert "Credential Manager" in str(keyring_help("win32"))
    assert "gnome-keyring" in str(keyring_help("linux"))


def test_a_locked_keyring_says_so(store: TokenStore, memory_keyring: MemoryKeyring) -> None:
    store.save(KEY, a_pair())
    memory_keyring.locked = True
    for call in (lambda: store.load(KEY), lambda: store.save(KEY, a_pair()),
                 lambda: store.delete(KEY), lambda: store.load_client_secret("production")):
        with pytest.raises(KeyringUnavailableError) as caught:
            call()
        assert "locked" in caught.value.user_message
        assert "Unlock it" in caught.value.user_message
    memory_keyring.locked = False
    assert store.load(KEY) == a_pair()


def _run_with_backend(backend: str) -> subprocess.CompletedProcess[str]:
    script = (
        "from allegro_desktop.auth.token_store import TokenStore\n"
        "from allegro_desktop.auth.errors import KeyringUnavailableError\n"
        "store = TokenStore()\n"
        "try:\n"
        "    store.save_client_secret('sandbox', 's3cr3t')\n"
        "    print('stored', store.load_client_secret('sandbox'))\n"
        "except KeyringUnavailableError as exc:\n"
        "    print('refused', exc.user_message)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYRING_")}
    env |= {"PYTHON_KEYRING_BACKEND": backend, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)


def test_the_default_keyring_is_the_one_keyring_selects() -> None:
    """`TokenStore()` uses keyring's own selection: the environment variable works, and a
    broken configuration is an explained refusal, not a traceback."""
    stored = _run_with_backend("tests.helpers.memory_keyring.MemoryKeyring").stdout
    assert stored == "stored s3cr3t\n"
    refused = _run_with_backend("no_such_module.Keyring").stdout
    assert refused.startswith("refused ")
    assert "cannot be loaded" in refused
    assert "gnome-keyring" in refused


def test_demo_keyring_works_when_chosen_but_is_never_chosen_automatically() -> None:
    import keyring.core

    from allegro_desktop.auth.demo_keyring import DemoMemoryKeyring

    store = TokenStore(backend=DemoMemoryKeyring())
    store.check_available()
    store.save_client_secret("custom:http://127.0.0.1:1", "demo-secret")
    assert store.load_client_secret("custom:http://127.0.0.1:1") == "demo-secret"
    # keyring's automatic choice only considers recommended backends (priority >= 1).
    assert not keyring.core.recommended(DemoMemoryKeyring())
