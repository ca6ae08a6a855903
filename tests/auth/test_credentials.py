"""Where the app's client id and secret come from, and the `bake` command that builds carry."""

from __future__ import annotations

import io
import os
import runpy
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from allegro_desktop.api.environments import EnvironmentError_
from allegro_desktop.auth.credentials import (
    BUILD_CONFIG_MODULE,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    main,
    resolve_environment,
)
from allegro_desktop.auth.errors import KeyringUnavailableError, MissingCredentialsError
from allegro_desktop.auth.token_store import TokenStore
from tests.helpers.memory_keyring import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def build(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, str]]:
    """The generated build config of an installer build (its entries can be filled in)."""
    module = types.ModuleType(BUILD_CONFIG_MODULE)
    entries: dict[str, tuple[str, str]] = {}
    module.CLIENT_CREDENTIALS = entries  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, BUILD_CONFIG_MODULE, module)
    return entries


@pytest.fixture(autouse=True)
def no_real_build_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's checkout may hold a generated config: these tests must not see it."""
    monkeypatch.setitem(sys.modules, BUILD_CONFIG_MODULE, None)  # type: ignore[arg-type]


def test_production_without_credentials_says_where_to_put_them() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        resolve_environment("production", settings_client_id=None, store=None, env={})
    text = caught.value.user_message
    assert "client ID and client secret" in text
    assert "ALLEGRO_CLIENT_ID" in text
    assert "ALLEGRO_CLIENT_SECRET" in text
    assert "store-secret --environment production" in text
    assert "https://apps.developer.allegro.pl/" in text
    assert "bake" in text


def test_only_the_missing_part_is_named(store: TokenStore) -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        resolve_environment("sandbox", settings_client_id="abc", store=store, env={})
    assert "no client secret for Allegro Sandbox" in caught.value.user_message
    assert "ALLEGRO_CLIENT_ID" not in caught.value.user_message
    assert "allegrosandbox" in caught.value.user_message


def test_client_id_order_settings_then_environment_then_build(
        build: dict[str, tuple[str, str]]) -> None:
    build["production"] = ("built-id", "built-secret")
    env = {"ALLEGRO_CLIENT_ID": "env-id"}

    def client_id(settings: str | None, env: dict[str, str]) -> str:
        return resolve_environment("production", settings_client_id=settings, store=None,
                                   env=env).client_id

    assert client_id("settings-id", env) == "settings-id"
    assert client_id(None, env) == "env-id"
    assert client_id("  ", env) == "env-id"
    assert client_id(None, {}) == "built-id"


def test_secret_order_keyring_then_environment_then_build(
        build: dict[str, tuple[str, str]], store: TokenStore) -> None:
    build["sandbox"] = ("built-id", "built-secret")
    env = {"ALLEGRO_SANDBOX_CLIENT_SECRET": "env-secret"}

    def secret(env: dict[str, str]) -> str:
        return resolve_environment("sandbox", settings_client_id=None, store=store,
                                   env=env).client_secret

    assert secret({}) == "built-secret"
    assert secret(env) == "env-secret"
    store.save_client_secret("sandbox", "keyring-secret")
    assert secret(env) == "keyring-secret"
    store.save_client_secret("production", "other-environment")  # per environment
    assert secret({}) == "keyring-secret"


def test_the_build_holds_credentials_per_environment(
        build: dict[str, tuple[str, str]]) -> None:
    build["production"] = ("prod-id", "prod-secret")
    prod = resolve_environment("production", settings_client_id=None, store=None, env={})
    assert (prod.client_id, prod.client_secret) == ("prod-id", "prod-secret")
    assert prod.auth_url == "https://allegro.pl"
    with pytest.raises(MissingCredentialsError):
        resolve_environment("sandbox", settings_client_id=None, store=None, env={})


def test_the_emulator_defaults_to_its_public_demo_app(build: dict[str, tuple[str, str]]) -> None:
    build["production"] = ("prod-id", "prod-secret")  # never sent to a custom URL
    emulator = resolve_environment("http://127.0.0.1:8080/", settings_client_id=None,
                                   store=None, env={})
    assert emulator.key == "custom:http://127.0.0.1:8080"
    assert (emulator.client_id, emulator.client_secret) == (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    configured = resolve_environment("http://127.0.0.1:8080", settings_client_id="mine",
                                     store=None,
                                     env={"ALLEGRO_EMULATOR_CLIENT_SECRET": "my-secret"})
    assert (configured.client_id, configured.client_secret) == ("mine", "my-secret")
    with pytest.raises(MissingCredentialsError):  # an id of another app needs its secret
        resolve_environment("http://127.0.0.1:8080", settings_client_id="mine", store=None,
                            env={})


def test_the_secret_is_not_in_the_environments_repr() -> None:
    environment = resolve_environment("sandbox", settings_client_id="id", store=None,
                                      env={"ALLEGRO_SANDBOX_CLIENT_SECRET": "very-secret"})
    assert "very-secret" not in repr(environment)


def test_an_unusable_keyring_matters_only_if_nothing_else_has_the_secret() -> None:
    locked = MemoryKeyring()
    locked.locked = True
    store = TokenStore(backend=locked)
    with pytest.raises(KeyringUnavailableError):
        resolve_environment("sandbox", settings_client_id="id", store=store, env={})
    environment = resolve_environment("sandbox", settings_client_id="id", store=store,
                                      env={"ALLEGRO_SANDBOX_CLIENT_SECRET": "env-secret"})
    assert environment.client_secret == "env-secret"


def test_a_malformed_environment_is_refused() -> None:
    with pytest.raises(EnvironmentError_):
        resolve_environment("ftp://example", settings_client_id=None, store=None, env={})


# -- bake and store-secret ---------------------------------------------------------------------


def run(argv: list[str], *, env: dict[str, str] | None = None, stdin: str = "",
        store: TokenStore | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, env=env or {}, stdin=io.StringIO(stdin), stdout=out, stderr=err,
                  store=store)
    return status, out.getvalue(), err.getvalue()


def test_bake_writes_the_build_config(tmp_path: Path) -> None:
    output = tmp_path / "_build_config.py"
    status, out, _ = run(["bake", "--client-id", "prod-id", "--client-secret-env", "CI_SECRET",
                          "--output", str(output)], env={"CI_SECRET": "prod-secret\n"})
    assert status == 0
    assert "Do not commit" in out
    assert "prod-secret" not in out
    status, _, _ = run(["bake", "--environment", "sandbox", "--client-id", "sand-id",
                        "--client-secret-stdin", "--output", str(output)],
                       stdin="sand 'secret\"\n")
    assert status == 0
    config = runpy.run_path(str(output))
    assert config["CLIENT_CREDENTIALS"] == {"production": ("prod-id", "prod-secret"),
                                            "sandbox": ("sand-id", "sand 'secret\"")}
    if os.name == "posix":
        assert stat.S_IMODE(output.stat().st_mode) == 0o600  # it holds secrets
    assert [p.name for p in tmp_path.iterdir()] == ["_build_config.py"]


def test_a_baked_config_is_what_the_app_resolves(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "_build_config.py"
    assert run(["bake", "--client-id", "prod-id", "--client-secret-env", "S", "--output",
                str(output)], env={"S": "prod-secret"})[0] == 0
    module = types.ModuleType(BUILD_CONFIG_MODULE)
    module.__dict__.update(runpy.run_path(str(output)))
    monkeypatch.setitem(sys.modules, BUILD_CONFIG_MODULE, module)
    prod = resolve_environment("production", settings_client_id=None, store=None, env={})
    assert (prod.client_id, prod.client_secret) == ("prod-id", "prod-secret")


def test_bake_refuses_a_secret_on_the_command_line(tmp_path: Path) -> None:
    output = tmp_path / "_build_config.py"
    status, out, err = run(["bake", "--client-id", "id", "--client-secret", "hunter2",
                            "--output", str(output)])
    assert status == 2
    assert "refusing --client-secret" in err
    assert "hunter2" not in out + err
    assert not output.exists()


def test_bake_refuses_an_empty_secret_and_a_foreign_file(tmp_path: Path) -> None:
    output = tmp_path / "_build_config.py"
    status, _, err = run(["bake", "--client-id", "id", "--client-secret-env", "NOPE",
                          "--output", str(output)])
    assert status == 1
    assert "NOPE is empty or not set" in err
    status, _, err = run(["bake", "--client-id", "id", "--client-secret-stdin", "--output",
                          str(output)], stdin="\n")
    assert status == 1
    assert not output.exists()
    output.write_text("import os\nos.system('rm -rf /')\n", encoding="utf-8")
    status, _, err = run(["bake", "--client-id", "id", "--client-secret-stdin", "--output",
                          str(output)], stdin="s\n")
    assert status == 1
    assert "not a build config" in err
    assert "os.system" in output.read_text(encoding="utf-8")


def test_bake_from_the_command_line_refuses_the_secret_argument(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "allegro_desktop.auth.credentials", "bake", "--client-id", "id",
         "--client-secret", "hunter2", "--output", str(tmp_path / "c.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env=os.environ | {"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "refusing --client-secret" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr


def test_store_secret_keeps_it_in_the_keyring(store: TokenStore) -> None:
    status, out, _ = run(["store-secret", "--environment", "sandbox"], stdin="sand-secret\n",
                         store=store)
    assert status == 0
    assert "sand-secret" not in out
    assert store.load_client_secret("sandbox") == "sand-secret"
    status, _, _ = run(["store-secret", "--environment", "http://127.0.0.1:9/",
                        "--client-secret-env", "X"], env={"X": "emu-secret"}, store=store)
    assert status == 0
    assert store.load_client_secret("custom:http://127.0.0.1:9") == "emu-secret"
    status, _, _ = run(["store-secret", "--environment", "sandbox", "--client-secret", "x"],
                       store=store)
    assert status == 2


def test_environment_variables_never_cross_environments(store: TokenStore) -> None:
    """A production secret in ALLEGRO_CLIENT_SECRET must not be sent to the sandbox or to
    whatever host a custom URL names."""
    env = {"ALLEGRO_CLIENT_ID": "prod-id", "ALLEGRO_CLIENT_SECRET": "prod-secret"}
    production = resolve_environment("production", settings_client_id=None, store=store, env=env)
    assert (production.client_id, production.client_secret) == ("prod-id", "prod-secret")
    custom = resolve_environment("http://example.test:8080", settings_client_id=None,
                                 store=store, env=env)
    assert custom.client_secret != "prod-secret"
    with pytest.raises(MissingCredentialsError) as caught:
        resolve_environment("sandbox", settings_client_id=None, store=store, env=env)
    assert "ALLEGRO_SANDBOX_CLIENT_ID" in caught.value.user_message
    sandbox = resolve_environment("sandbox", settings_client_id=None, store=store, env={
        "ALLEGRO_SANDBOX_CLIENT_ID": "sb-id", "ALLEGRO_SANDBOX_CLIENT_SECRET": "sb-secret"})
    assert (sandbox.client_id, sandbox.client_secret) == ("sb-id", "sb-secret")
