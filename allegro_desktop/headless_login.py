"""`allegro-desktop login`: the same device flow as the Connect dialog — it prints the link and
the code, waits for the seller to approve the app on Allegro, and prints the connected login.
Useful on a server (a sync job without a screen) and in end-to-end tests."""

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
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.headless import (
    STOP_SIGNALS,
    ExitCode,
    ignore_stop_signals,
    own_signal_handlers,
    stopped,
)


def login(*, paths: AppPaths, environment: str | None, out: TextIO = sys.stdout,
          err: TextIO = sys.stderr) -> ExitCode:
    """Connect an account from the terminal. 0 when connected, 1 when not, 130 on Ctrl+C
    (129 on SIGHUP, 143 on SIGTERM)."""
    try:
        services = open_app_services(paths)
        env = services.environment(environment)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    session = DeviceLogin(environment=env, store=services.store,
                          registry=services.registry, governor=services.governor)
    stopped_by: list[str] = []

    def stop(name: str) -> None:
        stopped_by.append(name)
        session.cancel()

    async def run() -> ExitCode:
        loop = asyncio.get_running_loop()
        for name in ("SIGINT", *STOP_SIGNALS):
            if (number := getattr(signal, name, None)) is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(number, stop, name)
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
        return ExitCode.OK

    try:
        with own_signal_handlers():
            return asyncio.run(run())
    except DeviceFlowError as exc:
        if session.state is FlowState.CANCELLED:
            ignore_stop_signals()
            return stopped(stopped_by[0] if stopped_by else "SIGINT", err)
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except asyncio.CancelledError:
        ignore_stop_signals()
        return stopped(stopped_by[0] if stopped_by else "SIGINT", err)
