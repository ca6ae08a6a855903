"""The keyring backend is chosen once: `keyring` probes every backend it knows (imports each, asks
each whether it works here) only when nothing was chosen before; later processes load the
remembered one alone, and choose again when it can no longer be used."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
import keyring.core
import pytest
from keyring.backend import KeyringBackend

from allegro_desktop.auth.token_store import TokenStore
from tests.helpers.memory_keyring import MemoryKeyring

REMEMBERED = "tests.helpers.memory_keyring.MemoryKeyring"


@pytest.fixture
def probes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """keyring left to choose by itself (no PYTHON_KEYRING_BACKEND, no keyringrc.cfg), its
    choice undone after the test; each probe of every backend noted. The probe finds the
    in-memory keyring (the machine's real ones are not the test's business)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-keyring-config"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    noted: list[str] = []

    def every_backend() -> list[KeyringBackend]:
        noted.append("probed")
        return [MemoryKeyring()]

    monkeypatch.setattr(keyring.backend, "get_all_keyring", every_backend)
    return noted


def test_the_choice_is_remembered_and_then_loaded_alone(tmp_path: Path,
                                                        probes: list[str]) -> None:
    remembered = tmp_path / "cache" / "keyring-backend"
    TokenStore(remember_in=remembered).check_available()
    assert probes == ["probed"]
    assert remembered.read_text(encoding="utf-8") == REMEMBERED + "\n"

    later = TokenStore(remember_in=remembered)
    later.check_available()  # the next process: no probe
    assert probes == ["probed"]
    assert isinstance(later._backend(), MemoryKeyring)


def test_a_remembered_backend_no_longer_there_is_chosen_again(
        tmp_path: Path, probes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    remembered = tmp_path / "keyring-backend"
    remembered.write_text("keyring.backends.gone.Keyring\n", encoding="utf-8")
    TokenStore(remember_in=remembered).check_available()
    assert probes == ["probed"]
    assert remembered.read_text(encoding="utf-8") == REMEMBERED + "\n"
    remembered.write_text("keyring.backends.fail.Keyring\n", encoding="utf-8")  # by hand
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # as in a new process
    TokenStore(remember_in=remembered).check_available()  # refused: chosen again
    assert probes == ["probed", "probed"]


def test_configured_keyrings_come_first(tmp_path: Path, probes: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHON_KEYRING_BACKEND (or keyring's own config file) wins over the remembered
    choice, and is not remembered: it is the user's explicit choice, read at every start."""
    remembered = tmp_path / "keyring-backend"
    remembered.write_text("keyring.backends.fail.Keyring\n", encoding="utf-8")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", REMEMBERED)
    TokenStore(remember_in=remembered).check_available()
    assert probes == []
    assert remembered.read_text(encoding="utf-8") == "keyring.backends.fail.Keyring\n"
