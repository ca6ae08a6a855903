"""`ActionRun`: one request of the seller over many orders ("set these 40 orders to Ready for
shipment") followed from queueing to its end, without widgets: per order whether it was
refused here (with the reason), queued, sent, failed (Allegro's reason), waits to be tried
again (offline, rate limited), or was cancelled. The sync thread's `actions_sent` outcomes move
it on (`apply`); Cancel discards what has not been sent (`cancelled`)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from allegro_desktop.domain.errors import Text
from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.services.order_actions import Queued
from allegro_desktop.sync.actions import ActionOutcome

__all__ = ["ActionRun", "RunEntry", "Step"]


class Step(enum.StrEnum):
    """Where one order of a run stands."""

    QUEUED = "queued"  # written locally, not sent yet
    SENT = "sent"
    FAILED = "failed"  # Allegro refused it, or it no longer made sense: `reason`
    REFUSED = "refused"  # the app did not queue it: `reason`
    LATER = "later"  # not sent for now (offline, rate limited): tried again by itself
    CANCELLED = "cancelled"  # discarded by Cancel before it was sent

    @property
    def final(self) -> bool:
        return self not in (Step.QUEUED, Step.LATER)


@dataclass
class RunEntry:
    """One order of the run (`label`: how the seller knows it, e.g. the buyer)."""

    order_id: str
    label: str
    step: Step
    action_id: int | None = None
    reason: Text | str | None = None


class ActionRun:
    """The orders of one request, in the order they were asked for (see the module)."""

    def __init__(self, title: str, results: Sequence[Queued],
                 labels: dict[str, str] | None = None) -> None:
        self.title = title
        labels = labels or {}
        self.entries: list[RunEntry] = []
        self._by_action: dict[int, RunEntry] = {}
        self.cancelling = False
        for queued in results:
            label = labels.get(queued.order_id, queued.order_id)
            if queued.action is None:
                self.entries.append(RunEntry(queued.order_id, label, Step.REFUSED,
                                             reason=queued.refusal))
                continue
            entry = RunEntry(queued.order_id, label, _step_of(queued.action.state),
                             action_id=queued.action.id, reason=queued.action.last_error)
            self.entries.append(entry)
            self._by_action[queued.action.id] = entry

    @property
    def action_ids(self) -> list[int]:
        return list(self._by_action)

    def unsent_action_ids(self) -> list[int]:
        """The actions Cancel may still discard."""
        return [entry.action_id for entry in self.entries
                if entry.action_id is not None and not entry.step.final]

    def apply(self, outcomes: Iterable[ActionOutcome]) -> bool:
        """The sync thread's outcomes (any run's): whether one of this run's moved."""
        moved = False
        for outcome in outcomes:
            entry = self._by_action.get(outcome.action_id)
            if entry is None or entry.step in (Step.SENT, Step.CANCELLED):
                continue
            entry.step = _step_of(outcome.state)
            if entry.step is Step.QUEUED:  # tried, not sent for now: goes again by itself
                entry.step = Step.LATER
            entry.reason = outcome.message
            moved = True
        return moved

    def cancelled(self, discarded: Iterable[int]) -> None:
        """These actions were discarded by Cancel (the others were sent or being sent)."""
        for action_id in discarded:
            entry = self._by_action.get(action_id)
            if entry is not None:
                entry.step = Step.CANCELLED
                entry.reason = None
        self.cancelling = False

    def count(self, step: Step) -> int:
        return sum(1 for entry in self.entries if entry.step is step)

    @property
    def done(self) -> int:
        """Orders whose outcome is known (sent, failed, refused, cancelled)."""
        return sum(1 for entry in self.entries if entry.step.final)

    @property
    def finished(self) -> bool:
        """Nothing more will happen while the window watches (waiting ones go by themselves)."""
        return all(entry.step is not Step.QUEUED for entry in self.entries)

    def problems(self) -> list[RunEntry]:
        """The orders that were not done, with why."""
        return [entry for entry in self.entries
                if entry.step in (Step.FAILED, Step.REFUSED, Step.LATER)]


def _step_of(state: ActionState) -> Step:
    if state is ActionState.SENT:
        return Step.SENT
    if state is ActionState.FAILED:
        return Step.FAILED
    if state is ActionState.DISCARDED:
        return Step.CANCELLED
    return Step.QUEUED

