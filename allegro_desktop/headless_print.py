"""`allegro-desktop print packing-slips|pick-list`: the stored orders' packing slips or pick list
as one PDF (`services/printouts.py`), written as the export writes its files — whole or not at
all, never over the order database, a link, a folder or the app's own files
(`services/safe_write.py`).

The orders are those the export's filters select (newest first), or `--ids` in the order given.
The PDF is in the app's language (`--language`, else the setting, else the system's), its times
in the seller's time zone. An order that cannot be printed is left out with one line on stderr
("allegro-desktop print: ORDER: reason") and the command ends with 1 after writing the others.
"""

from __future__ import annotations

import sys
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.headless import (
    ExitCode,
    FilterOptionError,
    account_key_of,
    export_filter,
    filter_time_zone,
    signal_of,
    stopped,
)

if TYPE_CHECKING:
    from allegro_desktop.config.paths import AppPaths
    from allegro_desktop.services.printouts import Wording

__all__ = ["KINDS", "print_orders"]

#: The printouts `print` makes.
KINDS = ("packing-slips", "pick-list")


def print_orders(*, paths: AppPaths, kind: str, out_file: Path, ids: str | None = None,  # noqa: C901 - one check per command-line option
                 account: str | None = None, status: str = "all",
                 date_from: date | None = None, date_to: date | None = None, search: str = "",
                 size: str = "a4", time_zone: str | None = None, language: str | None = None,
                 out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> ExitCode:
    """Write the `kind` printout ("packing-slips" or "pick-list") of the chosen orders to
    `out_file`. 0 when every chosen order is in it, 1 when some could not be printed (one line
    each on `err`, the others written) or nothing could be written, 2 for options that do not
    fit, 130/143/129 when stopped (nothing written)."""
    from allegro_desktop import __version__
    from allegro_desktop.auth.account_registry import AccountRegistry
    from allegro_desktop.domain.filters import OrderSort, QuickFilter
    from allegro_desktop.services.printout_data import load_slips
    from allegro_desktop.services.printouts import (
        SlipSize,
        render_packing_slips,
        render_pick_list,
    )
    from allegro_desktop.services.safe_write import replacing_atomically
    from allegro_desktop.storage import Database
    from allegro_desktop.storage.order_query import OrderQueries

    def usage(message: str) -> ExitCode:
        print(f"allegro-desktop print: {message}", file=err)
        return ExitCode.USAGE

    if kind not in KINDS:
        return usage(f"unknown printout {kind!r} (choose {' or '.join(KINDS)})")
    try:
        quick = QuickFilter(status.replace("-", "_"))
        slip_size = SlipSize(size)
    except ValueError as exc:
        return usage(str(exc))
    wanted = [part.strip() for part in (ids or "").split(",") if part.strip()]
    if ids is not None and (not wanted or status != "all" or search or date_from or date_to
                            or account):
        return usage("--ids names the orders itself (one or more, comma-separated): it takes "
                     "no filter")
    if kind == "pick-list" and size != "a4":
        return usage("a pick list is printed on A4 only (--size is for packing slips)")
    try:
        zone = filter_time_zone(time_zone, date_from, date_to, search)
    except FilterOptionError as exc:
        return usage(str(exc))

    try:
        wording = _wording(paths, language, zone)
        known = AccountRegistry(paths.config_dir / "accounts.json").all()
        with Database.open(paths.database, app_version=__version__) as database:
            queries = OrderQueries(database=database)
            if ids is not None:
                found = queries.seqs_of(wanted)
                missing = [order_id for order_id in wanted if order_id not in found]
                if missing:
                    print(f"allegro-desktop print: no stored order {', '.join(missing)}",
                          file=err)
                    return ExitCode.FAILED
                seqs = [found[order_id] for order_id in dict.fromkeys(wanted)]
            else:
                key = None
                if account is not None:
                    key = account_key_of(account, known, queries, err)
                    if key is None:
                        return ExitCode.FAILED
                order_filter = export_filter(quick=quick, search=search, key=key,
                                             date_from=date_from, date_to=date_to, zone=zone)
                seqs = list(queries.seqs(order_filter, OrderSort()))
            if not seqs:
                print("allegro-desktop print: no order matches: nothing was written", file=err)
                return ExitCode.FAILED
            batch = load_slips(queries, seqs)
        if kind == "packing-slips":
            printout = render_packing_slips(batch.slips, size=slip_size, wording=wording,
                                            problems=batch.problems)
        else:
            printout = render_pick_list(batch.slips, wording=wording, problems=batch.problems)
        if printout.orders == 0:
            _problems(printout.problems, err)
            print("allegro-desktop print: no order could be printed: nothing was written",
                  file=err)
            return ExitCode.FAILED
        with replacing_atomically(Path(out_file).absolute()) as temporary:
            temporary.write_bytes(printout.pdf)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    except KeyboardInterrupt as interrupt:
        return stopped(signal_of(interrupt), err, "nothing was written")
    what = "packing slips" if kind == "packing-slips" else "the pick list"
    print(f"Printed {what} of {printout.orders} order{'s' if printout.orders != 1 else ''} to "
          f"{out_file} ({printout.pages} page{'s' if printout.pages != 1 else ''})", file=out)
    _problems(printout.problems, err)
    return ExitCode.FAILED if printout.problems else ExitCode.OK


def _problems(problems: tuple[object, ...], err: TextIO) -> None:
    for problem in problems:
        print(f"allegro-desktop print: left out {problem}", file=err)


def _wording(paths: AppPaths, language: str | None, zone: tzinfo | None) -> Wording:
    """The printout's language: `language` ("system", "pl", "en"), else the window's setting;
    its texts from the app's own translation (the `.qm` the window loads). A missing
    translation leaves the printout English, as it leaves the window."""
    from PySide6.QtCore import QTranslator

    from allegro_desktop.config.settings import Settings
    from allegro_desktop.files.resources import resource_dir
    from allegro_desktop.services.printouts import Wording
    from allegro_desktop.ui.i18n import resolve_language

    chosen = resolve_language(language or Settings(paths.settings_file).language)
    translator = QTranslator()
    if chosen == "en" or not translator.load(f"allegro_desktop_{chosen}",
                                             str(resource_dir() / "translations")):
        return Wording(language="en", time_zone=zone)

    def translated(text: Text) -> str:
        own = translator.translate(text.context, text.template) or text.template
        return text.format(own, lambda value: translated(value) if isinstance(value, Text)
                           else str(value))

    return Wording(language=chosen, translated=translated, time_zone=zone)
