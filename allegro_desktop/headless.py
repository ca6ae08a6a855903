"""Terminal commands: `allegro-desktop login` and `allegro-desktop accounts`.

`login` runs the same device flow as the Connect dialog: it prints the link and the code, waits
for the seller to approve the app on Allegro, and prints the connected login. Useful on a server
(a sync job without a screen) and in end-to-end tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from typing import TextIO

from allegro_desktop.api.errors import DeviceFlowError
from allegro_desktop.auth.device_flow import FlowState
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.config.connection import open_connection
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.domain.errors import AppError


def login(*, paths: AppPaths, environment: str | None, out: TextIO = sys.stdout,
          err: TextIO = sys.stderr) -> int:
    """Connect an account from the terminal. 0 when connected, 1 when not, 130 on Ctrl+C."""
    try:
        connection = open_connection(paths)
        env = connection.environment(environment)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    session = DeviceLogin(environment=env, store=connection.store,
                          registry=connection.registry, governor=connection.governor)

    async def run() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, session.cancel)
        auth = await session.start()
        minutes = max(int((auth.expires_at - time.time()) // 60), 1)
        print(f"Open this link and approve Allegro Desktop: {auth.verification_uri_complete}",
              file=out)
        print(f"Check that Allegro shows the code: {auth.formatted_user_code}", file=out)
        print(f"(Or open {auth.verification_uri} and type the code.) The code expires in "
              f"{minutes} minutes. Waiting for approval — Ctrl+C to cancel.", file=out,
              flush=True)
        account = await session.finish(lambda state: None)
        print(f"Connected: {account.login} (seller id {account.seller_id}) on {env.label}.",
              file=out, flush=True)
        return 0

    try:
        return asyncio.run(run())
    except DeviceFlowError as exc:
        if session.state is FlowState.CANCELLED:
            print("Cancelled.", file=err)
            return 130
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    except asyncio.CancelledError:
        print("Cancelled.", file=err)
        return 130


def accounts(*, paths: AppPaths, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """List the connected accounts (no secrets: the registry holds none)."""
    from allegro_desktop.auth.accounts import AccountRegistry

    try:
        registered = AccountRegistry(paths.config_dir / "accounts.json").all()
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return 1
    if not registered:
        print("No Allegro accounts are connected. Connect one with: allegro-desktop login",
              file=out)
        return 0
    width = max(len(a.login) for a in registered)
    for account in registered:
        state = "connected" if account.state is AccountState.CONNECTED else "connect again"
        print(f"{account.login:<{width}}  seller {account.seller_id:<10}  "
              f"{account.environment}  ({state})", file=out)
    return 0
