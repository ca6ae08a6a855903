"""Checkout forms from Allegro, the two ways the engine gets them: time windows listed page by
page by keyset (`list_windows`; a fully listed `boughtAt` window is then reconciled with what is
stored) and one GET per form (`fetch_forms`). Listed pages are stored a few at a time, in one
transaction (`SyncRun.store_listed`), the last ones before a listing returns."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from allegro_desktop.api.errors import (
    ApiError,
    MalformedResponseError,
    NetworkError,
    NotAcceptableError,
    NotFoundError,
    ServerError,
)
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import PendingForm
from allegro_desktop.sync.records import Batch, form_id, logged
from allegro_desktop.sync.run import SyncRun
from allegro_desktop.sync.windows import (
    BOUGHT_AT,
    MAX_RESULT_WINDOW,
    PAGE_SIZE,
    Window,
    form_time,
    from_ms,
    iso,
    ms,
)

__all__ = ["fetch_forms", "list_windows"]

log = logging.getLogger("allegro_desktop.sync")

_T = TypeVar("_T")


async def list_windows(run: SyncRun, windows: Sequence[Window],
                       extra: Mapping[str, str] | None = None, *,
                       seen: set[str] | None = None,
                       on_listed: Callable[[Window], None] | None = None,
                       on_page: Callable[[Window, datetime], None] | None = None
                       ) -> list[Window]:
    """Every window, `window_concurrency` at a time; too big ones are split and queued.
    The ids listed are added to `seen`; `on_listed` hears of each window listed to its
    end and verified (a split window through its parts), `on_page` of each keyset
    position reached by a window still verified. A window whose pages did not add up
    (`_list_window`) is listed once more at the end; the ones still not verified then
    are returned."""
    unverified = await _list_all(run, windows, extra, seen=seen, on_listed=on_listed,
                                  on_page=on_page)
    if unverified:
        log.warning("%d list windows repeated orders within a page: listing them again",
                    len(unverified))
        unverified = await _list_all(run, unverified, extra, seen=seen, on_listed=on_listed,
                                  on_page=on_page)
    return unverified


async def _list_all(run: SyncRun, windows: Sequence[Window], extra: Mapping[str, str] | None,
                    *, seen: set[str] | None,
                    on_listed: Callable[[Window], None] | None,
                    on_page: Callable[[Window, datetime], None] | None
                    ) -> list[Window]:
    # Newest first, the parts of a split window too: a first sync stores the seller's
    # latest orders first, and the window shows them while the older ones come.
    queue: asyncio.PriorityQueue[tuple[float, int, Window]] = asyncio.PriorityQueue()
    order = itertools.count()

    def put(window: Window) -> None:
        queue.put_nowait((-window.end.timestamp(), next(order), window))

    for window in windows:
        put(window)
    failures: list[BaseException] = []
    unverified: list[Window] = []

    async def worker() -> None:
        while True:
            _newest, _order, window = await queue.get()
            run.windows_open += 1
            try:
                if not failures:
                    parts, verified = await _list_window(run, window, extra, failures,
                                                         seen_sink=seen, on_page=on_page)
                    for child in parts:
                        put(child)
                    if not parts and not failures:
                        if not verified:
                            unverified.append(window)
                        elif on_listed is not None:
                            on_listed(window)
            except Exception as exc:
                failures.append(exc)
            finally:
                run.windows_open -= 1
                queue.task_done()

    workers = [asyncio.create_task(worker())
               for _ in range(run.settings.window_concurrency)]
    try:
        await queue.join()
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    try:
        run.flush()  # what was listed is kept, also when a window failed
    except Exception:
        if not failures:
            raise
        log.warning("the pages listed before a failure could not be stored", exc_info=True)
    if failures:
        raise failures[0]
    return unverified


async def _list_window(run: SyncRun, window: Window, extra: Mapping[str, str] | None,  # noqa: C901 - the page loop and its outcomes
                       failures: list[BaseException], *,
                       seen_sink: set[str] | None = None,
                       on_page: Callable[[Window, datetime], None] | None = None
                       ) -> tuple[list[Window], bool]:
    """List and store one window page by page (keyset paging: ARCHITECTURE.md "The sync
    engine"): `([], verified)`; or, when it is too big (`Window.parts_for`), `(its parts,
    True)` with nothing stored. Verified: no page repeated an order and the keyset position
    moved on with every full page — what was read adds up, whatever `totalCount` said."""
    start_ms, end = ms(window.start), window.end
    skip = 0  # orders at exactly `start_ms` already read
    at_start: set[str] = set()  # their ids
    seen: set[str] = set()
    complete = verified = True
    first = True
    while True:
        run.check_cancel()
        if failures:
            return [], False
        page_window = Window(window.field, from_ms(start_ms), end)
        body = await run.call(run.client.checkout_forms(
            {**page_window.filters(), **(extra or {})}, offset=skip, limit=PAGE_SIZE,
            sort=window.field))
        forms = body["checkoutForms"]
        ids = [form_id(form) for form in forms]
        distinct = {one_id for one_id in ids if one_id is not None}
        full = len(forms) >= PAGE_SIZE
        if first:
            first = False
            total = max(int(body["totalCount"]), 0)
            parts = window.parts_for(total, full=full, target=run.settings.window_target)
            if parts > 1:
                log.info("%s %s..%s holds %d orders: split into %d parts", window.field,
                         iso(window.start), iso(window.end), total, parts)
                return window.split(parts), True
            if not full and total != len(distinct):
                log.warning("%s %s..%s: totalCount %d, but the list holds %d orders",
                            window.field, iso(window.start), iso(window.end), total,
                            len(distinct))
            run.expect(total if full else len(distinct))
        if len(distinct) < len(forms) - ids.count(None):
            if verified:
                log.warning("%s %s..%s: a page of %d orders repeats %d of them: the "
                            "window will be listed again", window.field,
                            iso(window.start), iso(window.end), len(forms),
                            len(forms) - ids.count(None) - len(distinct))
            verified = False
        unique = {id(form) if one_id is None else one_id: form
                  for one_id, form in zip(ids, forms, strict=True)}
        run.store_listed(run.parse_forms(list(unique.values())))
        seen.update(distinct)
        if not full:
            break  # the last page (or fewer orders than totalCount promised, [#3740])
        times = [form_time(form, window.field) for form in forms]
        known = [at for at in times if at is not None]
        if verified and any(b < a for a, b in itertools.pairwise(known)):
            log.warning("%s %s..%s: a page is not in time order: the window will be "
                        "listed again", window.field, iso(window.start), iso(window.end))
            verified = False
        last = times[-1]
        if last is None or not start_ms <= last <= ms(end):
            # No usable time (or one outside the window, which a keyset position there
            # would skip the rest of the window for): page on by offset.
            skip += len(forms)
        else:
            # Distinct ids: a page repeating an order at its last time must not make the
            # next page skip an order not read yet.
            at_last = {one_id for one_id, at in zip(ids, times, strict=True)
                       if at == last and one_id is not None}
            if last == start_ms:
                at_last |= at_start
            if last == start_ms and len(at_last) <= skip:
                log.warning("%s %s..%s: a full page brought no new order at %s: the "
                            "window will be listed again", window.field,
                            iso(window.start), iso(window.end), iso(from_ms(last)))
                verified = False
                break
            start_ms, skip, at_start = last, len(at_last), at_last
            if verified and on_page is not None:
                on_page(window, from_ms(start_ms))
        if skip + PAGE_SIZE > MAX_RESULT_WINDOW:
            complete = False
            log.warning("more than %d orders at %s: not all can be listed",
                        MAX_RESULT_WINDOW, from_ms(start_ms))
            break
    if seen_sink is not None:
        seen_sink.update(seen)
    if complete and verified and window.field == BOUGHT_AT and not extra:
        await _reconcile(run, window, seen)
    return [], verified


async def _reconcile(run: SyncRun, window: Window, seen: set[str]) -> None:
    """Stored orders of a fully listed `boughtAt` window that the list no longer has were
    merged into another purchase (no event names them, [#2141]): ask for each; a 404
    marks it gone."""
    missing = run.orders.ids_bought_between(run.account_key, window.start,
                                            window.end) - seen
    if missing:
        log.info("%d stored orders missing from %s..%s: checking them", len(missing),
                 window.start, window.end)
        run.store(await fetch_forms(run, sorted(missing)), (), None)


async def fetch_forms(run: SyncRun, wanted: Sequence[str], *,
                      all_may_fail: bool = False) -> Batch:
    """GET each form, `form_concurrency` at a time. A 404 is a gone id; a form Allegro
    refuses (another 4xx) becomes pending; so does a form Allegro keeps failing on (5xx,
    network) — unless every one failed so (and not `all_may_fail`): then Allegro is in
    trouble, and the error is raised."""
    limit = asyncio.Semaphore(run.settings.form_concurrency)
    gone: list[str] = []
    failed: list[tuple[str, AppError]] = []
    refused: list[str] = []

    async def fetch(one_id: str) -> dict[str, Any] | None:
        async with limit:
            run.check_cancel()
            try:
                return await run.call(run.client.checkout_form(one_id))
            except NotFoundError as exc:
                if exc.code != "CheckoutFormNotFoundException":
                    # A 404 of a gateway or proxy says nothing about the order: asked
                    # for again, like any other refusal of this one form.
                    log.warning("checkout form %s refused, to be asked again: %s",
                                logged(one_id), exc)
                    refused.append(one_id)
                else:
                    log.info("checkout form %s is gone (404: merged or too old)",
                             logged(one_id))
                    gone.append(one_id)
            except NotAcceptableError:
                raise  # the app's media type, not this form: every request gets it
            except ApiError as exc:
                # A 4xx about this one form (an id Allegro finds invalid, another
                # seller's order): it never holds the others, the cursor or later syncs
                # back, and is asked for again at every sync.
                log.warning("checkout form %s refused, to be asked again: %s",
                            logged(one_id), exc)
                refused.append(one_id)
            except (ServerError, MalformedResponseError, NetworkError) as exc:
                log.warning("checkout form %s failed, to be asked again: %s",
                            logged(one_id), exc)
                failed.append((one_id, exc))
            return None

    results = await _gather(fetch(one_id) for one_id in wanted)
    if failed and len(failed) == len(wanted) and not all_may_fail:
        raise failed[0][1]
    batch = run.parse_forms(
        [data for data in results if data is not None],
        asked=[one_id for one_id, data in zip(wanted, results, strict=True)
               if data is not None])
    batch.gone.extend(gone)
    batch.pending.extend(PendingForm(one_id, "failed")
                         for one_id in [*(one_id for one_id, _ in failed), *refused])
    return batch


async def _gather(coroutines: Iterable[Awaitable[_T]]) -> list[_T]:
    """Run every coroutine; the first failure cancels the rest and is raised."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
