"""Which client id and secret the app uses for an environment, and how builds get them.

Allegro's device flow needs the app's `client_id:client_secret` on every OAuth call, and Allegro
wants one registered (device-type) app for all users (ALLEGRO-API.md §2.1, §2.2). So the
credentials come, first found wins, from:

- client id: the app's settings (per environment), else the environment's variable
  (`ALLEGRO_CLIENT_ID` for production, `ALLEGRO_SANDBOX_CLIENT_ID`, `ALLEGRO_EMULATOR_CLIENT_ID`
  for a custom URL — see `env_variables`), else the build;
- client secret: the OS keyring (`TokenStore.load_client_secret`), else `ALLEGRO_CLIENT_SECRET`
  (or its sandbox/emulator counterpart), else the build;
- for a custom base URL (the local emulator) with nothing configured: the emulator's public
  demo app, `allegro-desktop-demo` / `demo-secret`.

The build's credentials live in `allegro_desktop/_build_config.py`, a module that is NOT in git:
whoever builds an installer generates it before packaging, reading the secret from an environment
variable (a CI secret) or from standard input — never from a command-line argument, which ends up
in shell history and in every process listing:

    ALLEGRO_PROD_SECRET=… python -m allegro_desktop.auth.credentials bake \\
        --environment production --client-id 0123abcd… --client-secret-env ALLEGRO_PROD_SECRET
    python -m allegro_desktop.auth.credentials bake --environment sandbox \\
        --client-id 4567ef… --client-secret-stdin < sandbox-secret.txt

Each run adds or replaces one environment's entry. A secret shipped inside a desktop app can be
extracted by a determined user (ALLEGRO-API.md §2.2); that is the accepted trade-off.

A developer can keep a secret in the keyring instead of the environment:

    python -m allegro_desktop.auth.credentials store-secret --environment sandbox < secret.txt
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import getpass
import importlib
import logging
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from allegro_desktop.api.environments import (
    PRODUCTION_KEY,
    SANDBOX_KEY,
    Environment,
    environment_from_key,
)
from allegro_desktop.auth.errors import KeyringUnavailableError, MissingCredentialsError
from allegro_desktop.auth.token_store import TokenStore

log = logging.getLogger("allegro_desktop.auth")

ENV_CLIENT_ID = "ALLEGRO_CLIENT_ID"
ENV_CLIENT_SECRET = "ALLEGRO_CLIENT_SECRET"


def env_variables(environment: Environment) -> tuple[str, str]:
    """The environment variables holding the client ID and secret for `environment`.

    Each environment has its own pair, so a production secret is never sent to the sandbox or
    to whatever host a custom URL names: ALLEGRO_CLIENT_ID/SECRET (production),
    ALLEGRO_SANDBOX_CLIENT_ID/SECRET, ALLEGRO_EMULATOR_CLIENT_ID/SECRET (a custom URL).
    """
    if environment.key == PRODUCTION_KEY:
        return ENV_CLIENT_ID, ENV_CLIENT_SECRET
    prefix = "ALLEGRO_SANDBOX" if environment.key == SANDBOX_KEY else "ALLEGRO_EMULATOR"
    return f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET"
#: The emulator's public demo app (docs/EMULATOR.md): not a secret, it only opens the emulator.
DEMO_CLIENT_ID = "allegro-desktop-demo"
DEMO_CLIENT_SECRET = "demo-secret"
BUILD_CONFIG_MODULE = "allegro_desktop._build_config"
BUILD_CONFIG_PATH = Path(__file__).resolve().parent.parent / "_build_config.py"
_BUILD_CONFIG_NAME = "CLIENT_CREDENTIALS"

_REGISTRATION = {
    PRODUCTION_KEY: "https://apps.developer.allegro.pl/",
    SANDBOX_KEY: "https://apps.developer.allegro.pl.allegrosandbox.pl/",
}


def build_credentials(environment_key: str) -> tuple[str | None, str | None]:
    """(client id, secret) baked into this build for the environment, or (None, None)."""
    try:
        module = importlib.import_module(BUILD_CONFIG_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == BUILD_CONFIG_MODULE:
            return None, None
        raise
    table = getattr(module, _BUILD_CONFIG_NAME, None)
    entry = table.get(environment_key) if isinstance(table, dict) else None
    if not (isinstance(entry, tuple) and len(entry) == 2
            and all(isinstance(part, str) for part in entry)):
        return None, None
    client_id, secret = entry
    return client_id or None, secret or None


def resolve_environment(key_or_url: str, *, settings_client_id: str | None,
                        store: TokenStore | None,
                        env: Mapping[str, str] = os.environ) -> Environment:
    """The environment named by `key_or_url`, with the app's credentials for it.

    Raises `MissingCredentialsError` (saying where to put them) when production or the
    sandbox has none, `KeyringUnavailableError` when the secret could only have come from an
    unusable keyring, `EnvironmentError_` for a malformed key or URL.
    """
    base = environment_from_key(key_or_url)
    built_id, built_secret = (None, None) if base.is_custom else build_credentials(base.key)
    id_var, secret_var = env_variables(base)

    client_id, id_source = _first(("settings", settings_client_id),
                                  (id_var, env.get(id_var)),
                                  ("the build", built_id))
    keyring_secret: str | None = None
    keyring_problem: KeyringUnavailableError | None = None
    if store is not None:
        try:
            keyring_secret = store.load_client_secret(base.key)
        except KeyringUnavailableError as exc:
            keyring_problem = exc
    secret, secret_source = _first(("the keyring", keyring_secret),
                                   (secret_var, env.get(secret_var)),
                                   ("the build", built_secret))

    if base.is_custom and secret is None and client_id in (None, DEMO_CLIENT_ID):
        client_id, id_source = DEMO_CLIENT_ID, id_source or "the emulator's demo app"
        secret, secret_source = DEMO_CLIENT_SECRET, "the emulator's demo app"
    if secret is None and keyring_problem is not None:
        raise keyring_problem
    if client_id is None or secret is None:
        raise _missing(base, client_id is None, secret is None)
    log.debug("Client credentials for %s: id from %s, secret from %s", base.key, id_source,
              secret_source)
    return base.with_credentials(client_id, secret)


def _first(*candidates: tuple[str, str | None]) -> tuple[str | None, str | None]:
    """(value, where it came from) of the first non-empty candidate."""
    for source, value in candidates:
        if value and value.strip():
            return value.strip(), source
    return None, None


def _missing(environment: Environment, no_id: bool, no_secret: bool) -> MissingCredentialsError:
    what = ("client ID and client secret" if no_id and no_secret
            else "client ID" if no_id else "client secret")
    where = []
    id_var, secret_var = env_variables(environment)
    if no_id:
        where.append(f"Put the client ID in the {id_var} environment variable (or in the "
                     "app's settings.ini, key client_id of the environment's [clients] "
                     "section).")
    if no_secret:
        where.append(
            "Put the client secret in the system keyring with `python -m "
            f"allegro_desktop.auth.credentials store-secret --environment {environment.key}` "
            f"(it reads the secret from standard input), or in the {secret_var} "
            "environment variable.")
    registration = _REGISTRATION.get(environment.key)
    if registration:
        where.append(f"They belong to a device-type app registered at {registration}.")
    where.append("Installers carry them built in: see `python -m "
                 "allegro_desktop.auth.credentials bake --help`.")
    return MissingCredentialsError(
        f"no {what} for {environment.key}",
        user_message=f"This copy of Allegro Desktop has no {what} for {environment.label}. "
                     + " ".join(where))


# -- the build config ------------------------------------------------------------------------


class BakeError(Exception):
    """The build config cannot be written as asked."""


def read_build_config(path: Path) -> dict[str, tuple[str, str]]:
    """The entries of an existing build config (empty if there is none)."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        tree = ast.parse(source, filename=str(path))
        for node in tree.body:
            if (isinstance(node, ast.Assign | ast.AnnAssign)
                    and any(isinstance(t, ast.Name) and t.id == _BUILD_CONFIG_NAME
                            for t in (node.targets if isinstance(node, ast.Assign)
                                      else [node.target]))
                    and node.value is not None):
                table = ast.literal_eval(node.value)
                if isinstance(table, dict) and all(
                        isinstance(k, str) and isinstance(v, tuple) and len(v) == 2
                        and all(isinstance(p, str) for p in v) for k, v in table.items()):
                    return dict(table)
                break
    except (SyntaxError, ValueError) as exc:
        raise BakeError(f"{path} is not a build config this tool wrote ({exc})") from exc
    raise BakeError(f"{path} is not a build config this tool wrote: remove it first")


def write_build_config(path: Path, entries: Mapping[str, tuple[str, str]]) -> None:
    """Write the build config atomically, readable by its owner only (it holds secrets)."""
    lines = [
        '"""Client credentials of this build. GENERATED by `python -m',
        "allegro_desktop.auth.credentials bake`: do not edit, do not commit (it holds the",
        'client secrets; see allegro_desktop/auth/credentials.py)."""',
        "",
        f"{_BUILD_CONFIG_NAME}: dict[str, tuple[str, str]] = {{",
        *(f"    {key!r}: ({cid!r}, {secret!r})," for key, (cid, secret) in sorted(entries.items())),
        "}",
        "",
    ]
    fd, temporary = tempfile.mkstemp(prefix=".build-config.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write("\n".join(lines))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read_secret(args: argparse.Namespace, env: Mapping[str, str], stdin: TextIO) -> str:
    if args.client_secret_env:
        secret = env.get(args.client_secret_env, "")
        if not secret.strip():
            raise BakeError(f"the environment variable {args.client_secret_env} is empty or "
                            "not set")
        return secret.strip()
    secret = (getpass.getpass("Client secret (not echoed): ") if stdin.isatty()
              else stdin.readline())
    if not secret.strip():
        raise BakeError("no client secret on standard input")
    return secret.strip()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m allegro_desktop.auth.credentials", allow_abbrev=False,
        description="Manage the app's Allegro client credentials.")
    commands = parser.add_subparsers(dest="command", required=True)

    bake = commands.add_parser(
        "bake", allow_abbrev=False,
        help="write allegro_desktop/_build_config.py for an installer build",
        description="Add (or replace) one environment's client credentials in the build config "
                    "module that installers carry. The secret is read from an environment "
                    "variable or standard input, never from the command line.")
    bake.add_argument("--environment", choices=(PRODUCTION_KEY, SANDBOX_KEY),
                      default=PRODUCTION_KEY)
    bake.add_argument("--client-id", required=True)
    source = bake.add_mutually_exclusive_group(required=True)
    source.add_argument("--client-secret-env", metavar="VAR",
                        help="read the secret from this environment variable")
    source.add_argument("--client-secret-stdin", action="store_true",
                        help="read the secret from standard input (one line)")
    # Declared only to refuse it with a reason instead of a bare "unrecognized argument".
    source.add_argument("--client-secret", help=argparse.SUPPRESS)
    bake.add_argument("--output", type=Path, default=BUILD_CONFIG_PATH,
                      help=f"where to write (default: {BUILD_CONFIG_PATH})")

    store = commands.add_parser(
        "store-secret", allow_abbrev=False,
        help="keep a client secret in the OS keyring (read from stdin or a variable)")
    store.add_argument("--environment", required=True,
                       help="production, sandbox or a base URL")
    store.add_argument("--client-secret-env", metavar="VAR",
                       help="read the secret from this environment variable instead of stdin")
    store.add_argument("--client-secret", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] = os.environ,
         stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, store: TokenStore | None = None) -> int:
    """The `bake` and `store-secret` commands; the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser().parse_args(argv)
    prog = "allegro_desktop.auth.credentials"
    if args.client_secret is not None:
        print(f"{prog}: refusing --client-secret: a secret on the command line is kept in the "
              "shell history and shown in process listings. Use --client-secret-env VAR or "
              "standard input.", file=stderr)
        return 2
    try:
        secret = _read_secret(args, env, stdin)
        if args.command == "bake":
            client_id = args.client_id.strip()
            if not client_id or any(c.isspace() for c in client_id):
                raise BakeError("the client id is empty or contains spaces")
            path: Path = args.output
            entries = read_build_config(path)
            entries[args.environment] = (client_id, secret)
            write_build_config(path, entries)
            print(f"Wrote the {args.environment} credentials to {path}. Do not commit it.",
                  file=stdout)
        else:
            key = environment_from_key(args.environment).key
            (store or TokenStore()).save_client_secret(key, secret)
            print(f"Saved the client secret for {key} in the system keyring.", file=stdout)
    except (BakeError, OSError, ValueError) as exc:
        print(f"{prog}: {exc}", file=stderr)
        return 1
    except KeyringUnavailableError as exc:
        print(f"{prog}: {exc.user_message}", file=stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
