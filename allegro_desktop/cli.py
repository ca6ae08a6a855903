"""The `allegro-desktop` command: the desktop app, demo mode, and the emulator.

    allegro-desktop [--data-dir DIR] [--environment ENV] [--demo]   the app
    allegro-desktop [--data-dir DIR] [--environment ENV] login      connect an account headless
    allegro-desktop [--data-dir DIR] accounts                       list connected accounts
    allegro-desktop [--data-dir DIR] sync [--json] [--wait S]       sync every account once
    allegro-desktop [--data-dir DIR] doctor [--json] [--full]       health checks; 1 if one fails
    allegro-desktop [--data-dir DIR] export --format csv|xlsx|json --out FILE [filters]
                                                                    export stored orders
    allegro-desktop [--data-dir DIR] print packing-slips|pick-list --out FILE.pdf [filters]
                                                                    print orders to a PDF
    allegro-desktop [--data-dir DIR] backup --out FILE              back up the order database
    allegro-desktop [--data-dir DIR] restore FILE                   restore a backup
    allegro-desktop [--data-dir DIR] orders set-status --status S ORDER_ID...
    allegro-desktop [--data-dir DIR] orders add-tracking ORDER_ID --carrier C --waybill N
                                                                    act on orders on Allegro
    allegro-desktop [--data-dir DIR] orders tag --add NAME|--remove NAME ORDER_ID...
    allegro-desktop [--data-dir DIR] orders note ORDER_ID --text TEXT
                                                                    the seller's own labels
    allegro-desktop emulator --port 0 --orders N ...                a local Allegro API
    allegro-desktop --version

Qt is imported only when a window is opened, so the emulator and the terminal commands start
fast and run on machines without a display.

Every command ends with one of `headless.ExitCode`'s codes — 0 done, 1 failed, 2 bad options,
70 a bug (details in the log file), 75 `sync` found the profile busy, and when stopped: 130 by
Ctrl+C, 143 by SIGTERM, 129 by SIGHUP, each after the same clean-up (nothing half-written) —
and says what went wrong in one line on stderr, never with a traceback. A bug on another thread
of a terminal command (an exception nothing caught) is logged with its traceback and ends the
command with 70 too. The process's files are private (`umask` 077).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from allegro_desktop import __version__, headless_labels

if TYPE_CHECKING:
    from allegro_desktop.config.paths import AppPaths
    from allegro_desktop.headless import ExitCode

log = logging.getLogger("allegro_desktop")

DEMO_ORDERS = 1500
#: The commands that run without a window (`headless.py`).
HEADLESS_COMMANDS = ("login", "accounts", "sync", "export", "doctor", "backup", "restore",
                     "print", "orders")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 86400.0:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be a share between 0 and 1")
    return value


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {text}") from exc
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-11-24T10:00:00+00:00")
    return moment


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _add_order_filters(command: argparse.ArgumentParser) -> None:
    """The filters of the stored orders `export` and `print` choose by."""
    command.add_argument("--status", default="all",
                         choices=("to-process", "processing", "sent", "cancelled", "unpaid",
                                  "all"),
                         help="only orders at this stage (default: all)")
    command.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD",
                         help="only orders bought on this day or later (local time)")
    command.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD",
                         help="only orders bought on this day or earlier (local time)")
    command.add_argument("--search", default="", metavar="TEXT",
                         help="only orders matching TEXT, as in the app's search box")
    command.add_argument("--account", metavar="LOGIN",
                         help="only this account's orders (its Allegro login)")


def _add_time_zone(command: argparse.ArgumentParser) -> None:
    command.add_argument("--time-zone", metavar="ZONE",
                         help="show times (and read --from/--to) in this time zone, e.g. "
                              "Europe/Warsaw (default: the computer's)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allegro-desktop",
        description="A free, fast, private order manager for Allegro.pl sellers.",
        epilog="Exit codes of every command: 0 done, 1 failed (the reason on stderr), 2 options "
               "that do not fit, 70 a bug (the details in the log file), 75 sync: the data "
               "folder is busy (another copy syncs it); stopped, with nothing half-written: "
               "130 by Ctrl+C, 143 by SIGTERM, 129 by SIGHUP.",
    )
    parser.add_argument("--version", action="version", version=f"allegro-desktop {__version__}")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="keep all of the app's files (database, settings, logs) in DIR")
    parser.add_argument("--environment", metavar="ENV",
                        help="production (default), sandbox, or the base URL of an Allegro API "
                             "emulator such as http://127.0.0.1:8080")
    parser.add_argument("--demo", action="store_true",
                        help="run against the built-in Allegro emulator with demo data")
    parser.add_argument("--language", choices=("system", "pl", "en"),
                        help="the window's language (default: the setting, else the system's)")
    parser.add_argument("--log-level", type=str.upper,
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="how much to log (default: the log_level setting, else INFO); "
                             "the log file is in the log folder (see: allegro-desktop doctor)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "login", help="connect an Allegro account from the terminal",
        description="Connect an Allegro account: prints a code and a link, waits until you "
                    "approve the app on Allegro, then prints the connected login. Exits 0 on "
                    "success, 1 if access is denied, the code expires or connecting fails.")
    sub.add_parser("accounts", help="list the connected Allegro accounts")
    sync = sub.add_parser(
        "sync", help="sync the orders of every connected account once",
        description="Sync the orders of every connected account once and print a summary. "
                    "Exits 0 when every account synced, 1 otherwise (reasons on stderr), 75 "
                    "when the window or another sync is syncing the same data folder (after "
                    "--wait), 143 when stopped by SIGTERM, 129 by SIGHUP, 130 by Ctrl+C (the "
                    "sync recorded as cancelled).")
    sync.add_argument("--json", action="store_true", help="print the reports as JSON")
    sync.add_argument("--wait", type=_seconds, default=30.0, metavar="SECONDS",
                      help="when another copy of the app is syncing this data folder, wait "
                           "this long for it to finish (default 30), then exit 75")
    doctor = sub.add_parser(
        "doctor", help="check that everything the app needs works",
        description="Check the app's health: Allegro reachable, each account's sign-in, the "
                    "system keyring, the order database, free disk space, the rate limit and "
                    "each account's last sync; then versions and paths. No secret is printed. "
                    "Exits 1 when a check FAILED, 0 otherwise (warnings included).")
    doctor.add_argument("--json", action="store_true", help="print the results as JSON")
    doctor.add_argument("--full", action="store_true",
                        help="check the database's integrity whatever its size (a big file "
                             "takes minutes)")
    export = sub.add_parser(
        "export", help="export the stored orders to CSV, XLSX or JSON",
        description="Export the stored orders to a spreadsheet (CSV or XLSX) or JSON, newest "
                    "first: every order, or those the filters select. The file appears whole "
                    "or not at all. CSV's separator and decimal mark follow your locale "
                    "(LC_ALL/LC_NUMERIC/LANG) unless given. Exits 0 on success, 1 if the "
                    "export fails, 2 for options that do not fit.")
    export.add_argument("--format", dest="export_format", choices=("csv", "xlsx", "json"),
                        required=True, help="file format")
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="the file to write (replaced when the export is complete)")
    _add_order_filters(export)
    export.add_argument("--per", choices=("order", "line-item"), default="order",
                        help="a row per order (default) or per line item")
    export.add_argument("--columns", metavar="A,B,C",
                        help="the columns, by id, comma-separated (default: the table's, "
                             "the currency next to the total; e.g. "
                             "bought_at,order_id,buyer_name,total,currency,offer_title)")
    export.add_argument("--delimiter", metavar="CHAR",
                        help="CSV separator: ';', ',', 'tab', ... (default: your locale's)")
    export.add_argument("--decimal", choices=("comma", "point"),
                        help="CSV decimal mark (default: your locale's)")
    _add_time_zone(export)
    export.add_argument("--raw", action="store_true",
                        help="JSON only: the checkout forms exactly as Allegro sent them "
                             "(takes --account, no other filter)")

    printout = sub.add_parser(
        "print", help="print packing slips or a pick list of stored orders to a PDF",
        description="Write the packing slips (one per order: id and QR code, buyer, address or "
                    "pickup point, items, the buyer's message) or the pick list (the items "
                    "summed by SKU, with their orders) of the orders the filters select, or "
                    "of --ids, to one PDF, in the app's language. The file appears whole or "
                    "not at all. Exits 0 when every order is printed, 1 when some could not "
                    "be (one line each; the others written) or none, 2 for options that do "
                    "not fit.")
    printout.add_argument("kind", choices=("packing-slips", "pick-list"),
                          help="what to print")
    printout.add_argument("--out", type=Path, required=True, metavar="FILE.pdf",
                          help="the PDF to write (replaced when it is complete)")
    printout.add_argument("--ids", metavar="ID,ID,...",
                          help="these orders (Allegro's order ids), in this order, instead of "
                               "filters")
    _add_order_filters(printout)
    printout.add_argument("--size", choices=("a4", "label"), default="a4",
                          help="packing slips on A4 (default) or 100x150 mm labels")
    _add_time_zone(printout)

    backup = sub.add_parser(
        "backup", help="back up the order database to one file",
        description="Write a backup of the order database to FILE: one consistent, "
                    "self-contained SQLite file (also while the app syncs), checked before it "
                    "replaces FILE. Automatic backups are kept in the data folder's backups/ "
                    "(see the settings). Exits 0 on success, 1 if the backup fails.")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="the backup file to write (replaced once the backup is whole)")
    restore = sub.add_parser(
        "restore", help="replace the order database with a backup",
        description="Restore the order database from FILE, a backup made by Allegro Desktop "
                    "(refused if it is not one, is damaged, or is from a newer version). The "
                    "current database is first saved in the data folder's backups/. Quit the "
                    "app first. Exits 0 on success, 1 otherwise (nothing changed).")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    _add_order_commands(sub)

    emu = sub.add_parser(
        "emulator", help="serve a local emulator of Allegro's REST API",
        description="Serve a local, faithful emulator of Allegro's REST API (OAuth device "
                    "flow, /me, order events and checkout forms). Prints its base URL as the "
                    "first line of output and serves until stopped (Ctrl+C). Control API: "
                    "BASE/__emulator__/.")
    emu.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default: loopback only)")
    emu.add_argument("--port", type=_positive_int, default=0, help="0 picks a free port")
    emu.add_argument("--orders", type=_positive_int, default=500,
                     help="orders of history for the first seller (default 500)")
    emu.add_argument("--sellers", type=int, default=1, choices=(1, 2, 3),
                     help="seller accounts to emulate (the others get a third of the orders)")
    emu.add_argument("--seed", type=int, default=1, help="seed of the data generator")
    emu.add_argument("--now", type=_moment, help="start the emulator's clock at this time")
    emu.add_argument("--history-days", type=int, default=395,
                     help="how far back the generated orders go (default 395, 13 months)")
    emu.add_argument("--client-id", default=None, help="device-type client id to accept")
    emu.add_argument("--client-secret", default=None, help="its secret")
    emu.add_argument("--token-ttl", type=int, default=43200,
                     help="access-token lifetime in seconds (default 12 h)")
    emu.add_argument("--device-interval", type=int, default=5,
                     help="device-flow polling interval in seconds (default 5)")
    emu.add_argument("--rate-limit", type=int, default=9000,
                     help="requests a minute per client id before 429 (default 9000)")
    emu.add_argument("--quirks", choices=("none", "realistic", "all"), default="none",
                     help="journal quirks: duplicates, out-of-order, missing and merged events")
    emu.add_argument("--latency-ms", type=float, default=0.0, help="added latency per request")
    emu.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency")
    emu.add_argument("--error-rate", type=_share, default=0.0,
                     help="share of requests answered 500/502/503")
    emu.add_argument("--drop-rate", type=_share, default=0.0,
                     help="share of connections dropped without an answer")
    emu.add_argument("--truncate-rate", type=_share, default=0.0,
                     help="share of answers cut off half-way")
    emu.add_argument("--live", action="store_true",
                     help="keep new orders and status changes coming")
    emu.add_argument("--live-orders-per-minute", type=float, default=2.0)
    emu.add_argument("--live-changes-per-minute", type=float, default=4.0)
    return parser


def _add_order_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`orders set-status` and `orders add-tracking` (headless_orders.py), `orders tag` and
    `orders note` (headless_labels.py)."""
    from allegro_desktop.domain.order_actions import SELLER_STATUSES

    orders = sub.add_parser(
        "orders", help="act on orders: statuses and tracking numbers on Allegro, the seller's "
                       "own tags and notes",
        description="set-status and add-tracking queue actions on orders and send them to "
                    "Allegro, waiting until they are sent. What Allegro cannot take yet "
                    "(offline, rate limited) is tried until --wait seconds have passed, then "
                    "stays queued for the app or the next command. Exits 0 when every action "
                    "was sent, 1 with one line per action refused, failed or not sent yet, 75 "
                    "when another copy syncs the data folder. tag and note change the seller's "
                    "own tags and notes, kept only in this data folder.")
    commands = orders.add_subparsers(dest="orders_command", metavar="ACTION", required=True)
    wait_help = ("keep trying what Allegro cannot take yet for this many seconds (default 60; "
                 "0: one try)")
    status = commands.add_parser("set-status", help="set the fulfillment status of orders")
    status.add_argument("--status", required=True, type=str.upper, choices=SELLER_STATUSES,
                        metavar="|".join(SELLER_STATUSES), help="the fulfillment status")
    status.add_argument("order_ids", nargs="+", metavar="ORDER_ID",
                        help="checkout-form ids of stored orders")
    status.add_argument("--wait", type=_seconds, default=60.0, metavar="SECONDS",
                        help=wait_help)
    tracking = commands.add_parser("add-tracking", help="add a parcel's tracking number")
    tracking.add_argument("order_id", metavar="ORDER_ID")
    tracking.add_argument("--carrier", required=True, metavar="CARRIER_ID",
                          help="Allegro's carrier id, e.g. INPOST, DPD, POCZTA_POLSKA, OTHER")
    tracking.add_argument("--carrier-name", metavar="NAME",
                          help="the carrier's name (required with OTHER)")
    tracking.add_argument("--waybill", required=True, metavar="NUMBER",
                          help="the tracking number")
    tracking.add_argument("--mark-sent", action="store_true",
                          help="then set the order's status to SENT")
    tracking.add_argument("--wait", type=_seconds, default=60.0, metavar="SECONDS",
                          help=wait_help)
    headless_labels.add_parsers(commands)


def _run_emulator(args: argparse.Namespace) -> int:
    from allegro_desktop.emulator.core import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        Emulator,
        EmulatorConfig,
    )
    from allegro_desktop.emulator.limits import FaultProfile
    from allegro_desktop.emulator.runner import serve_forever
    from allegro_desktop.emulator.store import Quirks

    quirks = {"none": Quirks(), "realistic": Quirks.realistic(), "all": Quirks.everything()}
    config = EmulatorConfig(
        seed=args.seed,
        orders=args.orders,
        sellers=args.sellers,
        history_days=args.history_days,
        now=args.now,
        client_id=args.client_id or DEMO_CLIENT_ID,
        client_secret=args.client_secret or DEMO_CLIENT_SECRET,
        access_ttl=args.token_ttl,
        device_interval=args.device_interval,
        rate_per_minute=args.rate_limit,
        quirks=quirks[args.quirks],
        faults=FaultProfile(latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
                            error_rate=args.error_rate, drop_rate=args.drop_rate,
                            truncate_rate=args.truncate_rate),
        live=args.live,
        live_orders_per_minute=args.live_orders_per_minute,
        live_changes_per_minute=args.live_changes_per_minute,
    )
    emulator = Emulator(config)

    def ready(base_url: str) -> None:
        print(base_url, flush=True)
        log.info("Allegro API emulator at %s (client id %s); control API at %s/__emulator__/",
                 base_url, config.client_id, base_url)

    serve_forever(emulator, host=args.host, port=args.port, on_ready=ready)
    return 0


def _log_to_file(paths: AppPaths, command_line_level: str | None, *, console: bool,
                 to_file: bool = True) -> None:
    """The log file of the profile (none with `to_file` False: the demo logs to its own,
    app.py `demo_paths`), at the level `--log-level` or the settings say."""
    from allegro_desktop.config.logging_setup import configure_logging, resolve_level
    from allegro_desktop.config.settings import Settings

    setting = Settings(paths.settings_file).log_level
    configure_logging(level=resolve_level(command_line_level, setting),
                      log_file=paths.log_file if to_file else None, console=console)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv`; the process's exit code (`headless.ExitCode`).

    Whatever happens, the user sees one line, never a traceback: Ctrl+C is "Cancelled." (130),
    SIGTERM and SIGHUP of a terminal command "Stopped on SIGTERM." (143, 129) after the same
    clean-up, a bug is one line naming the log file, which has the details (70)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in HEADLESS_COMMANDS:
        from allegro_desktop.headless import stop_on_signals

        stop_on_signals()  # as Ctrl+C: no temporary file of buyers' data left behind
    from allegro_desktop.config.logging_setup import (
        configure_logging,
        log_file_in_use,
        resolve_level,
    )
    from allegro_desktop.config.paths import use_private_umask

    use_private_umask()
    configure_logging(level=resolve_level(args.log_level, None))  # stderr until paths are known
    try:
        if args.command == "emulator":
            return _run_emulator(args)
        from allegro_desktop.config.paths import AppPathsError, resolve_paths

        try:
            paths = resolve_paths(args.data_dir)
        except AppPathsError as exc:
            print(f"allegro-desktop: {exc}", file=sys.stderr)
            return _exit_codes().USAGE
        # The terminal commands print their own one-line messages: log records go to the
        # file only, unless --log-level asks to see them.
        headless_command = args.command in HEADLESS_COMMANDS
        demo = args.demo and not headless_command
        _log_to_file(paths, args.log_level,
                     console=not headless_command or args.log_level is not None,
                     to_file=not demo)
        if headless_command:
            # The command's name only: its arguments may hold a buyer's data (a note's text).
            log.info("the %s command started (allegro-desktop %s)", args.command, __version__)
            return _run_headless_noting_bugs(args, paths)
        from allegro_desktop.app import run_gui

        return run_gui(paths=paths, demo=args.demo, demo_orders=DEMO_ORDERS,
                       environment=args.environment, language=args.language)
    except KeyboardInterrupt as interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C while ending: ignored
        from allegro_desktop.headless import signal_of, stopped

        return stopped(signal_of(interrupt), sys.stderr)
    except BrokenPipeError:
        # The reader of the output went away (`allegro-desktop doctor | head -1`): nothing
        # more can be said to it, and Python must not complain when it flushes at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _exit_codes().FAILED
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        log.error("unexpected error in %s", args.command or "the app", exc_info=True)
        log_file = log_file_in_use()  # the demo's own, once it has one
        where = f"; the details are in {log_file}" if log_file else ""
        print(f"allegro-desktop: an unexpected error stopped it ({type(exc).__name__}: "
              f"{exc}){where}. Please report it.", file=sys.stderr)
        return _exit_codes().INTERNAL


def _exit_codes() -> type[ExitCode]:
    """`headless.ExitCode`, imported when needed (the emulator starts without it)."""
    from allegro_desktop.headless import ExitCode

    return ExitCode


def _run_headless_noting_bugs(args: argparse.Namespace, paths: AppPaths) -> int:
    """`_run_headless`, an exception nothing caught on any of its threads logged (with its
    traceback) and then said in one line, the command ending with `ExitCode.INTERNAL`."""
    from allegro_desktop.config.uncaught import UncaughtExceptions, describe

    bugs: list[str] = []
    hooks = UncaughtExceptions(lambda exc, where: bugs.append(f"in {where} ({describe(exc)})"))
    hooks.install()
    try:
        code = _run_headless(args, paths)
    finally:
        hooks.uninstall()
    if not bugs:
        return code
    print(f"allegro-desktop: an unexpected error happened {bugs[0]}; the details are in "
          f"{paths.log_file}. Please report it.", file=sys.stderr)
    return _exit_codes().INTERNAL


def _run_headless(args: argparse.Namespace, paths: AppPaths) -> int:
    """The command's own module, imported now: a command loads only what it needs."""
    if args.command == "orders" and args.orders_command in headless_labels.LABEL_COMMANDS:
        return headless_labels.run(args, paths)
    if args.command == "orders":
        from allegro_desktop import headless_orders

        if args.orders_command == "set-status":
            return headless_orders.set_status(paths=paths, status=args.status,
                                              order_ids=args.order_ids, wait=args.wait)
        return headless_orders.add_tracking(
            paths=paths, order_id=args.order_id, carrier=args.carrier, waybill=args.waybill,
            carrier_name=args.carrier_name, mark_sent=args.mark_sent, wait=args.wait)
    if args.command in ("backup", "restore"):
        from allegro_desktop import headless_backup

        if args.command == "backup":
            return headless_backup.backup(paths=paths, out_file=args.out)
        return headless_backup.restore(paths=paths, backup_file=args.file)
    if args.command == "doctor":
        from allegro_desktop.headless_doctor import doctor

        return doctor(paths=paths, environment=args.environment, as_json=args.json,
                      full=args.full)
    if args.command == "login":
        from allegro_desktop.headless_login import login

        return login(paths=paths, environment=args.environment)
    if args.command == "sync":
        from allegro_desktop.headless_sync import sync

        return sync(paths=paths, as_json=args.json, wait=args.wait)
    if args.command == "print":
        from allegro_desktop.headless_print import print_orders

        return print_orders(
            paths=paths, kind=args.kind, out_file=args.out, ids=args.ids,
            account=args.account, status=args.status, date_from=args.date_from,
            date_to=args.date_to, search=args.search, size=args.size,
            time_zone=args.time_zone, language=args.language)
    if args.command == "export":
        from allegro_desktop.headless_export import export

        return export(
            paths=paths, fmt=args.export_format, out_file=args.out, account=args.account,
            status=args.status, date_from=args.date_from, date_to=args.date_to,
            search=args.search, per=args.per, columns=args.columns,
            delimiter=args.delimiter, decimal=args.decimal, raw=args.raw,
            time_zone=args.time_zone)
    from allegro_desktop import headless

    return headless.accounts(paths=paths)
