"""The device-flow state machine against the emulator's real OAuth endpoints (ALLEGRO-API.md
§3.4-§3.6).

Every wait between polls goes through `EmulatorTime.sleep`, which moves the emulator's clock:
a 5 s interval costs no real time, and the emulator's slow_down and expiry rules see exactly the
pacing the flow chose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    AccessDenied,
    ClientCredentialsError,
    DeviceFlowError,
    InvalidDeviceCode,
    UnauthorizedClientError,
)
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.device_flow import DeviceFlow, FlowCancelledError, FlowState
from tests.helpers.auth_flow import EmulatorTime, pending_user_code, stats
from tests.helpers.emulator import RunningEmulator

MakeFlow = Callable[[], DeviceFlow]


def approve_before_poll(emu: RunningEmulator, flow: DeviceFlow, poll_number: int,
                        action: str = "approve") -> Callable[[int], Awaitable[None]]:
    """A `before_return` hook: the seller clicks Allow (or Deny) just before poll N (1-based)."""

    async def hook(index: int) -> None:
        if index == poll_number - 1:
            assert flow.authorization is not None
            await asyncio.to_thread(emu.control, "POST", f"/device/{action}",
                                    {"user_code": flow.authorization.user_code})

    return hook


async def test_approve_connects_with_the_sellers_token(
        emu: RunningEmulator, make_flow: MakeFlow, etime: EmulatorTime) -> None:
    flow = make_flow()
    assert flow.state is FlowState.STARTING
    authorization = await flow.start()
    assert flow.state is FlowState.WAITING
    assert flow.authorization == authorization
    assert authorization.user_code == pending_user_code(emu)
    assert flow.seconds_left() == pytest.approx(3600, abs=5)

    states: list[FlowState] = []
    etime.before_return = approve_before_poll(emu, flow, 2)
    pair = await flow.wait(states.append)

    assert flow.state is FlowState.CONNECTED
    assert states == [FlowState.CONNECTED]
    assert etime.sleeps == [5, 5]  # the first poll one interval after the code, then pending
    assert stats(emu)["device_polls"] == 2
    me = emu.api(pair.access_token, "/me")
    assert me.status_code == 200
    assert me.json()["login"] == "DomOgrodPlus"
    assert pair.access_expires_at == pytest.approx(etime.clock() + 43199, abs=15)


async def test_deny_ends_in_denied(emu: RunningEmulator, make_flow: MakeFlow,
                                   etime: EmulatorTime) -> None:
    flow = make_flow()
    await flow.start()
    etime.before_return = approve_before_poll(emu, flow, 1, action="deny")
    states: list[FlowState] = []
    with pytest.raises(AccessDenied) as caught:
        await flow.wait(states.append)
    assert isinstance(caught.value, DeviceFlowError)
    assert "refused" in caught.value.user_message
    assert flow.state is FlowState.DENIED
    assert states == [FlowState.DENIED]
    assert stats(emu)["device_polls"] == 1


async def test_own_deadline_expires_the_flow_without_polling(
        emu: RunningEmulator, make_flow: MakeFlow) -> None:
    flow = make_flow()
    authorization = await flow.start()
    emu.advance(3601)  # the seller went for lunch
    assert flow.seconds_left() == 0
    with pytest.raises(DeviceFlowError) as caught:
        await flow.wait()
    assert flow.state is FlowState.EXPIRED
    assert "expired or was already used" in caught.value.user_message
    assert "start again" in caught.value.user_message
    assert stats(emu)["device_polls"] == 0
    assert authorization.device_code not in str(caught.value)


async def test_code_expired_on_allegros_side_ends_in_expired(
        emu: RunningEmulator, oauth: OAuthClient, etime: EmulatorTime) -> None:
    # Our clock lags Allegro's (here: it stands still): our deadline has not passed, Allegro
    # says "Invalid device code".
    frozen = etime.clock()
    flow = DeviceFlow(oauth=oauth, clock=lambda: frozen, sleep=etime.sleep)
    await flow.start()
    emu.advance(3601)
    with pytest.raises(InvalidDeviceCode) as caught:
        await flow.wait()
    assert flow.state is FlowState.EXPIRED
    assert "expired or was already used" in caught.value.user_message
    assert stats(emu)["device_polls"] == 1


async def test_slow_down_adds_five_seconds_for_the_rest_of_the_flow(
        emu: RunningEmulator, make_flow: MakeFlow, etime: EmulatorTime) -> None:
    flow = make_flow()
    await flow.start()
    # Our clock runs fast once: the second poll comes 1 s after the first, Allegro says slow_down.
    etime.skew = lambda index, seconds: 1.0 if index == 1 else seconds
    etime.before_return = approve_before_poll(emu, flow, 4)
    await flow.wait()
    assert flow.state is FlowState.CONNECTED
    assert flow.interval == 10
    assert etime.sleeps == [5, 5, 10, 10]  # pending, slow_down, pending, approved
    assert stats(emu)["device_polls"] == 4


async def test_a_used_code_is_invalid_for_a_second_flow(
        emu: RunningEmulator, make_flow: MakeFlow, etime: EmulatorTime) -> None:
    first = make_flow()
    authorization = await first.start()
    etime.before_return = approve_before_poll(emu, first, 1)
    await first.wait()
    etime.before_return = None

    second = make_flow()
    second.resume(authorization)  # e.g. a stale dialog polling the same code again
    with pytest.raises(InvalidDeviceCode):
        await second.wait()
    assert second.state is FlowState.EXPIRED
    assert first.state is FlowState.CONNECTED


async def test_cancel_interrupts_the_sleep_and_nothing_is_polled_after(
        emu: RunningEmulator, oauth: OAuthClient, etime: EmulatorTime) -> None:
    asleep = asyncio.Event()

    async def sleep(seconds: float) -> None:
        if etime.sleeps:  # the second wait lasts until cancelled
            asleep.set()
            await asyncio.Event().wait()
        await etime.sleep(seconds)

    flow = DeviceFlow(oauth=oauth, clock=etime.clock, sleep=sleep)
    await flow.start()
    states: list[FlowState] = []
    waiting = asyncio.create_task(flow.wait(states.append))
    await asleep.wait()
    polls = stats(emu)["device_polls"]
    assert polls == 1

    flow.cancel()
    with pytest.raises(FlowCancelledError):
        await waiting
    assert flow.state is FlowState.CANCELLED
    assert states == [FlowState.CANCELLED]
    flow.cancel()  # again: nothing happens
    emu.advance(60)
    assert stats(emu)["device_polls"] == polls
    with pytest.raises(FlowCancelledError):
        await flow.wait()  # a cancelled flow does not start polling again
    assert stats(emu)["device_polls"] == polls


async def test_cancel_before_waiting_sends_nothing(emu: RunningEmulator,
                                                   make_flow: MakeFlow) -> None:
    flow = make_flow()
    await flow.start()
    flow.cancel()
    with pytest.raises(FlowCancelledError):
        await flow.wait()
    assert stats(emu)["device_polls"] == 0


async def test_cancelling_the_waiting_task_cancels_the_flow(
        oauth: OAuthClient, etime: EmulatorTime) -> None:
    asleep = asyncio.Event()

    async def sleep(seconds: float) -> None:
        asleep.set()
        await asyncio.Event().wait()

    flow = DeviceFlow(oauth=oauth, clock=etime.clock, sleep=sleep)
    await flow.start()
    waiting = asyncio.create_task(flow.wait())
    await asleep.wait()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert flow.state is FlowState.CANCELLED


async def test_one_poller_per_code(emu: RunningEmulator, oauth: OAuthClient,
                                   etime: EmulatorTime) -> None:
    asleep = asyncio.Event()

    async def sleep(seconds: float) -> None:
        asleep.set()
        await asyncio.Event().wait()

    flow = DeviceFlow(oauth=oauth, clock=etime.clock, sleep=sleep)
    authorization = await flow.start()
    waiting = asyncio.create_task(flow.wait())
    await asleep.wait()

    with pytest.raises(RuntimeError, match="already being polled"):
        await flow.wait()
    other = DeviceFlow(oauth=oauth, clock=etime.clock, sleep=sleep)
    other.resume(authorization)
    with pytest.raises(RuntimeError, match="already being polled"):
        await other.wait()

    flow.cancel()
    with pytest.raises(FlowCancelledError):
        await waiting
    assert stats(emu)["device_polls"] == 0


async def test_network_failures_keep_polling_with_a_backoff(
        emu: RunningEmulator, make_flow: MakeFlow, etime: EmulatorTime) -> None:
    flow = make_flow()
    await flow.start()
    emu.control("POST", "/faults", {"script": ["drop", "500"], "paths": ["/auth/oauth/token"]})
    etime.before_return = approve_before_poll(emu, flow, 3)
    await flow.wait()
    assert flow.state is FlowState.CONNECTED
    assert etime.sleeps == [5, 10, 20]  # interval, then a growing backoff after each failure


async def test_wrong_client_secret_fails_with_the_typed_error(
        emu: RunningEmulator, environment: Environment, http: httpx.AsyncClient,
        governor: RequestGovernor, etime: EmulatorTime) -> None:
    wrong = environment.with_credentials(environment.client_id, "not-the-secret")
    flow = DeviceFlow(oauth=OAuthClient(wrong, http=http, governor=governor, clock=etime.clock),
                      clock=etime.clock, sleep=etime.sleep)
    with pytest.raises(ClientCredentialsError) as caught:
        await flow.start()
    assert flow.state is FlowState.FAILED
    assert "not-the-secret" not in str(caught.value) + caught.value.user_message


async def test_web_app_credentials_fail_with_the_typed_error(
        environment: Environment, http: httpx.AsyncClient, governor: RequestGovernor,
        etime: EmulatorTime) -> None:
    web = environment.with_credentials("allegro-desktop-web", "web-secret")
    flow = DeviceFlow(oauth=OAuthClient(web, http=http, governor=governor, clock=etime.clock),
                      clock=etime.clock, sleep=etime.sleep)
    with pytest.raises(UnauthorizedClientError) as caught:
        await flow.start()
    assert flow.state is FlowState.FAILED
    assert "device" in caught.value.user_message


async def test_credentials_refused_while_polling_fail_the_flow(
        *, emu: RunningEmulator, environment: Environment, make_flow: MakeFlow,
        http: httpx.AsyncClient, governor: RequestGovernor, etime: EmulatorTime) -> None:
    flow = make_flow()
    await flow.start()
    # The app's secret was rotated on Allegro's side while the seller was approving.
    emu.control("POST", "/clients", {"client_id": environment.client_id,
                                     "client_secret": "rotated", "type": "device"})
    states: list[FlowState] = []
    with pytest.raises(ClientCredentialsError):
        await flow.wait(states.append)
    assert flow.state is FlowState.FAILED
    assert states == [FlowState.FAILED]


async def test_a_flow_can_start_again_after_it_ended(
        emu: RunningEmulator, make_flow: MakeFlow, etime: EmulatorTime) -> None:
    flow = make_flow()
    first = await flow.start()
    emu.advance(3601)
    with pytest.raises(DeviceFlowError):
        await flow.wait()
    second = await flow.start()
    assert second.device_code != first.device_code
    assert flow.state is FlowState.WAITING
    etime.before_return = approve_before_poll(emu, flow, 1)
    await flow.wait()
    assert flow.state is FlowState.CONNECTED


async def test_waiting_needs_a_started_flow(make_flow: MakeFlow) -> None:
    flow = make_flow()
    with pytest.raises(RuntimeError, match="start"):
        await flow.wait()
    assert flow.seconds_left() == 0
