"""Terminal commands for the seller's own labels on orders (services/order_labels.py):

    allegro-desktop orders tag --add NAME|--remove NAME ORDER_ID...
    allegro-desktop orders note ORDER_ID --text TEXT

`tag --add` puts a tag on the orders (a tag of a new name is made, in the default colour);
`tag --remove` takes it off; `note` replaces the order's private note (`--text ""` deletes it).
Local only: nothing is sent to Allegro, so nothing waits for the network.

Each order id that is not stored gets its own line on stderr and the others are still changed;
the command then exits 1 (`headless.ExitCode.FAILED`), as it does for a name, colour or note
that cannot be kept (one line saying why, nothing changed). The parsers are declared here
(`add_parsers`) so cli.py only dispatches; the work's imports are made when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from allegro_desktop.config.paths import AppPaths
    from allegro_desktop.headless import ExitCode
    from allegro_desktop.storage import Database

__all__ = ["LABEL_COMMANDS", "add_parsers", "note", "run", "tag"]

#: The sub-commands of `orders` this module runs.
LABEL_COMMANDS = ("tag", "note")


def add_parsers(orders_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare `orders tag` and `orders note` under `orders`'s sub-parsers."""
    tag_parser = orders_sub.add_parser(
        "tag", help="put a tag on orders, or take it off (local only)",
        description="Put your own tag on the orders (--add; a tag of a new name is made) or take "
                    "it off (--remove). Tags are kept only on this computer and travel with "
                    "backups. An order id that is not stored is said on its own line; the "
                    "others are still tagged. Exits 0 when every order was done, 1 otherwise.")
    action = tag_parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--add", metavar="NAME", help="the tag to put on the orders")
    action.add_argument("--remove", metavar="NAME", help="the tag to take off the orders")
    tag_parser.add_argument("order_ids", nargs="+", metavar="ORDER_ID",
                            help="checkout-form ids of stored orders")
    note_parser = orders_sub.add_parser(
        "note", help="set an order's private note (local only)",
        description="Replace the order's private note with TEXT (an empty TEXT deletes it). "
                    "The note is kept only on this computer, found by the app's search, and "
                    "travels with backups. Exits 0 when saved, 1 otherwise (nothing changed).")
    note_parser.add_argument("order_id", metavar="ORDER_ID", help="the order's checkout-form id")
    note_parser.add_argument("--text", required=True, metavar="TEXT",
                             help="the note (up to 5000 characters; line breaks kept)")


def run(args: argparse.Namespace, paths: AppPaths) -> ExitCode:
    """Run `orders tag` or `orders note` as `args` say."""
    if args.orders_command == "tag":
        return tag(paths=paths, add=args.add, remove=args.remove, order_ids=args.order_ids)
    return note(paths=paths, order_id=args.order_id, text=args.text)


def _fail(err: TextIO, message: str) -> None:
    from allegro_desktop.domain.safe_text import escaped

    print(f"allegro-desktop: {escaped(message)}", file=err)


def _writable(paths: AppPaths, err: TextIO) -> Database | None:
    """The profile's order database, open for writing; None (said on `err`) when it cannot be."""
    from allegro_desktop import __version__
    from allegro_desktop.domain.errors import AppError
    from allegro_desktop.storage import Database

    if not paths.database.is_file():
        _fail(err, f"there is no order database in {paths.data_dir} yet: sync first")
        return None
    try:
        database = Database.open(paths.database, app_version=__version__)
    except AppError as exc:
        _fail(err, exc.user_message)
        return None
    try:
        if database.damage is not None and not database.verify():  # unless repaired since
            database.check_writable()  # refused: the message names the newest backup
    except AppError as exc:
        database.close()
        _fail(err, exc.user_message)
        return None
    return database


def tag(*, paths: AppPaths, add: str | None, remove: str | None, order_ids: list[str],
        out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> ExitCode:
    """`orders tag`: 0 when every order was done, 1 otherwise (a line per failure)."""
    from allegro_desktop.domain.errors import AppError
    from allegro_desktop.headless import ExitCode
    from allegro_desktop.services.order_labels import OrderLabels, UnknownOrdersError

    database = _writable(paths, err)
    if database is None:
        return ExitCode.FAILED
    with database:
        labels = OrderLabels(database=database)
        wanted = list(dict.fromkeys(order_ids))
        try:
            labels.check_orders(wanted)
            unknown: tuple[str, ...] = ()
        except UnknownOrdersError as exc:
            unknown = exc.ids
        for order_id in unknown:
            _fail(err, f"no order {order_id} is stored here (check the id, or sync first)")
        known = [order_id for order_id in wanted if order_id not in unknown]
        if not known:
            return ExitCode.FAILED
        try:
            if add is not None:
                change = labels.tag(known, add)
                verb, already = "Tagged", "already had it"
            else:
                assert remove is not None
                change = labels.untag(known, remove)
                verb, already = "Untagged", "did not have it"
        except AppError as exc:
            _fail(err, exc.user_message)
            return ExitCode.FAILED
    from allegro_desktop.domain.safe_text import escaped

    rest = len(known) - change.changed
    print(f"{verb} {len(known)} order{'s' if len(known) != 1 else ''} "
          f"{'with' if add is not None else 'from'} \"{escaped(change.tag.name)}\""
          + (f" ({rest} {already})" if rest else ""), file=out)
    return ExitCode.FAILED if unknown else ExitCode.OK


def note(*, paths: AppPaths, order_id: str, text: str, out: TextIO = sys.stdout,
         err: TextIO = sys.stderr) -> ExitCode:
    """`orders note`: 0 when saved (or already so), 1 otherwise (one line why)."""
    from allegro_desktop.domain.errors import AppError
    from allegro_desktop.headless import ExitCode
    from allegro_desktop.services.order_labels import OrderLabels

    database = _writable(paths, err)
    if database is None:
        return ExitCode.FAILED
    with database:
        labels = OrderLabels(database=database)
        try:
            changed = labels.set_note(order_id, text)
        except AppError as exc:
            _fail(err, exc.user_message)
            return ExitCode.FAILED
        kept = labels.note(order_id)
    from allegro_desktop.domain.safe_text import escaped

    said = escaped(order_id)
    if not changed:
        print(f"The note of order {said} is already so.", file=out)
    elif kept:
        print(f"Saved the note of order {said}.", file=out)
    else:
        print(f"Deleted the note of order {said}.", file=out)
    return ExitCode.OK
