"""`TaskQueue`: callables on background threads, their outcomes back on the GUI thread — real
Qt threads and a real event loop; a task is held where a test needs it with a
`threading.Event`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.tasks import Cancelled, Task, TaskQueue, failure_text

#: A held task waits at most this long (s) for its gate: only a broken test waits that long.
HOLD = 20


@pytest.fixture
def make_queue() -> Iterator[Any]:
    made: list[TaskQueue] = []

    def make(**options: Any) -> TaskQueue:
        queue = TaskQueue("test", **options)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        if shiboken6.isValid(queue):
            assert queue.shutdown()


class Gate:
    """Holds the task that calls `hold()` until the test opens it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()

    def hold(self) -> None:
        self.entered.set()
        assert self.opened.wait(HOLD)

    def wait_entered(self) -> None:
        assert self.entered.wait(HOLD)


def deliver_queued() -> None:
    """Process what the queue's threads posted (they posted it before `wait()` returned)."""
    QCoreApplication.processEvents()


def test_the_result_and_the_progress_arrive_on_the_gui_thread_in_order(
        qtbot: QtBot, make_queue: Any) -> None:
    queue = make_queue()
    seen: list[tuple[str, Any, int]] = []
    worker: list[int] = []

    def work(task: Task[int]) -> str:
        worker.append(threading.get_ident())
        for step in range(3):
            task.report(step)
        return "done"

    with qtbot.waitCallback() as finished:
        queue.submit(work, progress=lambda step: seen.append(
            ("progress", step, threading.get_ident())),
                     done=lambda result: (seen.append(("done", result, threading.get_ident())),
                                          finished(result)))
    gui = threading.get_ident()
    assert worker
    assert worker[0] != gui
    assert seen == [("progress", 0, gui), ("progress", 1, gui), ("progress", 2, gui),
                    ("done", "done", gui)]


def test_a_serial_queue_runs_its_tasks_one_by_one_oldest_first(qtbot: QtBot,
                                                               make_queue: Any) -> None:
    queue = make_queue(threads=1)
    gate = Gate()
    ran: list[int] = []
    done: list[int] = []

    def work(number: int) -> Any:
        def run(_task: Task[None]) -> int:
            if number == 0:
                gate.hold()
            ran.append(number)
            return number
        return run

    for number in range(4):
        queue.submit(work(number), done=done.append)
    gate.wait_entered()
    assert ran == []  # the others wait for the one thread
    gate.opened.set()
    qtbot.waitUntil(lambda: len(done) == 4)
    assert ran == done == [0, 1, 2, 3]


def test_a_superseded_submission_is_dropped_and_a_waiting_one_never_runs(
        qtbot: QtBot, make_queue: Any) -> None:
    """Three submissions to one lane while the first is held: the second, waiting, never
    runs; the first sees it is cancelled, and what it reports and returns goes nowhere; only
    the newest arrives."""
    queue = make_queue(threads=2)
    gate = Gate()
    ran: list[str] = []
    delivered: list[str] = []
    noticed: list[bool] = []

    def first(task: Task[str]) -> str:
        ran.append("first")
        gate.hold()
        noticed.append(task.is_cancelled())
        task.report("late progress")
        return "first"

    def held_back(_task: Task[str]) -> str:
        ran.append("second")
        return "second"

    blocker = Gate()

    def occupy(_task: Task[str]) -> str:  # keeps the second thread busy
        blocker.hold()
        return "occupied"

    older = queue.submit(first, done=delivered.append, progress=delivered.append,
                         lane="query")
    gate.wait_entered()
    assert not older.is_cancelled()
    queue.submit(occupy)
    blocker.wait_entered()
    second = queue.submit(held_back, done=delivered.append, lane="query")
    assert older.is_cancelled()
    with qtbot.waitCallback() as newest:
        third = queue.submit(lambda _task: "third", done=newest, lane="query")
        assert second.is_cancelled()
        assert (older.generation, second.generation, third.generation) == (1, 2, 3)
        assert queue.generation("query") == 3
        blocker.opened.set()
    assert newest.args == ["third"]
    gate.opened.set()
    assert queue.wait()
    deliver_queued()
    assert noticed == [True]
    assert ran == ["first"]
    assert delivered == []


def test_cancel_drops_the_outcome_and_asks_the_task_to_give_up(qtbot: QtBot,
                                                                make_queue: Any) -> None:
    queue = make_queue(threads=1)
    gate = Gate()
    delivered: list[Any] = []
    gave_up = threading.Event()

    def patient(task: Task[None]) -> str:
        gate.hold()
        try:
            task.raise_if_cancelled()
        except Cancelled:
            gave_up.set()
            raise
        return "finished"

    task = queue.submit(patient, done=delivered.append, failed=delivered.append)
    unlaned_waiting = queue.submit(lambda _task: "waiting", done=delivered.append)
    laned = queue.submit(lambda _task: "laned", done=delivered.append, lane="x")
    gate.wait_entered()
    queue.cancel_all()
    assert task.is_cancelled()
    assert unlaned_waiting.is_cancelled()
    assert laned.is_cancelled()
    gate.opened.set()
    assert queue.wait()
    deliver_queued()
    assert gave_up.is_set()
    assert delivered == []
    # one task alone
    with qtbot.waitCallback() as kept:
        cancelled = queue.submit(lambda _task: "cancelled", done=delivered.append)
        cancelled.cancel()
        queue.submit(lambda _task: "kept", done=kept)
    assert kept.args == ["kept"]
    assert queue.wait()
    deliver_queued()
    assert delivered == []


def test_errors_reach_the_failed_callback_and_bugs_are_logged(
        qtbot: QtBot, make_queue: Any, caplog: pytest.LogCaptureFixture) -> None:
    queue = make_queue()
    expected = AppError("the database is closed", user_message="The orders cannot be read.")

    def fails(_task: Task[None]) -> None:
        raise expected

    def bug(_task: Task[None]) -> None:
        raise ZeroDivisionError("division by zero")

    with qtbot.waitCallback() as failed:
        queue.submit(fails, done=lambda _r: pytest.fail("no result"), failed=failed)
    assert failed.args == [expected]
    assert failure_text(expected) == "The orders cannot be read."
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.ui"), \
            qtbot.waitCallback() as crashed:
        queue.submit(bug, failed=crashed)
    [error] = crashed.args
    assert isinstance(error, ZeroDivisionError)
    assert failure_text(error) == "ZeroDivisionError: division by zero"
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None
    assert record.exc_info[1] is error
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.ui"):
        queue.submit(fails)  # no one to tell: the log is
        assert queue.wait()
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "the database is closed" in caplog.records[0].getMessage()


def test_a_full_newest_first_queue_drops_the_oldest_waiting(qtbot: QtBot,
                                                            make_queue: Any) -> None:
    """Rows asked while scrolling: the thread serves the newest ask first, and asks beyond
    `max_waiting` push the oldest out (told at once, so their owner can ask again)."""
    queue = make_queue(threads=1, newest_first=True, max_waiting=3)
    gate = Gate()
    ran: list[int] = []
    dropped: list[int] = []

    def work(number: int) -> Any:
        def run(_task: Task[None]) -> int:
            if number == 0:
                gate.hold()
            ran.append(number)
            return number
        return run

    queue.submit(work(0))
    gate.wait_entered()
    for number in range(1, 6):
        queue.submit(work(number), dropped=lambda n=number: dropped.append(n))
    assert dropped == [1, 2]
    gate.opened.set()
    qtbot.waitUntil(lambda: len(ran) == 4)
    assert queue.wait()
    assert ran == [0, 5, 4, 3]


def test_shutdown_waits_for_the_running_task_and_delivers_nothing(make_queue: Any) -> None:
    queue = make_queue(threads=2)
    gate = Gate()
    ended = threading.Event()
    delivered: list[Any] = []

    def cooperative(task: Task[None]) -> str:
        gate.entered.set()
        while not task.is_cancelled():  # until the shutdown says so
            gate.opened.wait(0.005)
        ended.set()
        return "late"

    queue.submit(cooperative, done=delivered.append)
    never = queue.submit(lambda _task: "never", done=delivered.append)
    gate.wait_entered()
    assert queue.shutdown()
    assert ended.is_set()  # the shutdown returned once the task had ended
    assert never.is_cancelled()
    deliver_queued()
    assert delivered == []
    assert queue.is_shut_down
    with pytest.raises(RuntimeError):
        queue.submit(lambda _task: None)


def test_shutdown_gives_up_at_its_deadline(make_queue: Any,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """A task that does not give up (stuck in a call): the shutdown returns False at its
    deadline (the caller then knows its database may still be in use), and says so."""
    queue = make_queue()
    gate = Gate()
    delivered: list[Any] = []
    queue.submit(lambda _task: (gate.hold(), "late")[1], done=delivered.append)
    gate.wait_entered()
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.ui"):
        assert not queue.shutdown(timeout_ms=200)
    assert "still running" in caplog.text
    gate.opened.set()
    assert queue.wait()
    deliver_queued()
    assert delivered == []


class Owner(QObject):
    """A window object with its own queue, noting what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks = TaskQueue("owner", parent=self)
        self.received: list[str] = []

    def on_done(self, result: str) -> None:
        self.received.append(result)


def test_nothing_is_delivered_after_the_owner_is_deleted() -> None:
    owner = Owner()
    received = owner.received
    gate = Gate()
    owner.tasks.submit(lambda _task: (gate.hold(), "late")[1], done=owner.on_done)
    gate.wait_entered()
    gate.opened.set()
    assert owner.tasks.wait()  # the result is on its way to the GUI thread...
    shiboken6.delete(owner)  # ...when the owner goes
    deliver_queued()
    assert received == []


def test_nothing_is_delivered_to_a_deleted_context(qtbot: QtBot, make_queue: Any) -> None:
    """A dialog using its controller's queue: closed and deleted, it gets nothing more;
    the queue goes on serving others."""
    queue = make_queue()
    dialog = QObject()
    delivered: list[str] = []
    gate = Gate()
    queue.submit(lambda _task: (gate.hold(), "late")[1], done=delivered.append,
                 context=dialog)
    gate.wait_entered()
    gate.opened.set()
    assert queue.wait()
    shiboken6.delete(dialog)
    deliver_queued()
    assert delivered == []
    alive = QObject()
    with qtbot.waitCallback() as done:
        queue.submit(lambda _task: "next", done=done, context=alive)
    assert done.args == ["next"]
