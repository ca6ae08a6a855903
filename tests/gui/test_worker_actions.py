"""The window's sync thread sends the seller's queued actions (docs/ORDER-ACTIONS.md): when
asked (`SyncWorker.send_actions()`, after an action is queued) and after each successful sync
of the account, telling each outcome by `actions_sent` (and, while sending, by
`actions_progressed`)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.services.order_actions import OrderActions
from tests.helpers.sync_app import MakeSyncApp, SyncApp


def _paid(app: SyncApp, count: int) -> list[str]:
    return [app.emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}})[
        "checkoutForms"][0]["id"] for _ in range(count)]


def _synced(qtbot: QtBot, app: SyncApp) -> None:
    with qtbot.waitSignal(app.worker.sync_finished, timeout=30_000) as finished:
        app.worker.request_sync(app.account.key)
    assert finished.args[0].report.succeeded


def _status(app: SyncApp, order_id: str) -> str:
    forms = app.emu.control("GET", "/checkout-forms")["checkoutForms"]
    return next(f["fulfillment"]["status"] for f in forms if f["id"] == order_id)


def test_the_sync_thread_sends_queued_actions_when_asked_and_after_a_sync(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(orders=10)
    first, second = _paid(app, 2)
    _synced(qtbot, app)
    actions = OrderActions(app.database)

    actions.queue_status([first], "PROCESSING")
    with qtbot.waitSignal(app.worker.actions_sent, timeout=30_000) as sent:
        assert app.worker.send_actions()
    assert [(o.order_id, o.state) for o in sent.args[0]] == [(first, ActionState.SENT)]
    assert _status(app, first) == "PROCESSING"

    actions.queue_status([second], "READY_FOR_SHIPMENT")  # the next sync round sends it
    with qtbot.waitSignal(app.worker.actions_sent, timeout=30_000) as sent:
        app.worker.request_sync(app.account.key)
    assert [(o.order_id, o.state) for o in sent.args[0]] == [(second, ActionState.SENT)]
    assert _status(app, second) == "READY_FOR_SHIPMENT"


def test_a_bulk_run_tells_its_outcomes_as_they_come(qtbot: QtBot,
                                                    make_sync_app: MakeSyncApp) -> None:
    """While many actions are sent, `actions_progressed` tells the outcomes known so far (here
    at every outcome: no pause between signals), before `actions_sent` tells them all."""
    app = make_sync_app(orders=10)
    paid = _paid(app, 6)
    _synced(qtbot, app)
    OrderActions(app.database).queue_status(paid, "PROCESSING")
    app.worker.progress_every = 0.0
    progressed: list[list[object]] = []
    app.worker.actions_progressed.connect(progressed.append)
    with qtbot.waitSignal(app.worker.actions_sent, timeout=30_000) as sent:
        assert app.worker.send_actions()
    told = [outcome for batch in progressed for outcome in batch]
    assert len(progressed) == len(told) == 6  # one signal per outcome, each told once
    assert sorted(o.action_id for o in told) == sorted(o.action_id for o in sent.args[0])
    assert {o.state for o in told} == {ActionState.SENT}
