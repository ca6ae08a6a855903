"""`LabelRepository`: the seller's tags and private notes in the order database (migration
0009; what they are: domain/labels.py).

Reads and writes only; what a seller typed is checked before it gets here
(`services/order_labels.py`). Orders are named by their checkout-form id, as the links store
them, so a link outlives nothing but its order: retention and a disconnected account's clean-up
delete orders, and their links and notes go with them (ON DELETE CASCADE), the tags stay.
A note's search row (`order_notes_fts`, folded as `orders_fts` is) is written here with the
note, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.labels import LabelError, Tag, tag_key
from allegro_desktop.storage.chunks import in_chunks
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.schema import order_notes, order_notes_fts, order_tags, orders, tags
from allegro_desktop.storage.search import fold
from allegro_desktop.storage.times import from_ms, to_ms

__all__ = ["LabelRepository", "tag_of"]

_TAG_COLUMNS = (tags.c.id, tags.c.name, tags.c.colour, tags.c.created_at)


def tag_of(values: Sequence[Any]) -> Tag:
    """A `Tag` from a row of (id, name, colour, created_at)."""
    tag_id, name, colour, created_at = values
    return Tag(id=int(tag_id), name=name, colour=colour, created_at=from_ms(created_at))


def _name_taken(name: str) -> LabelError:
    return LabelError(f"tag name taken: {name!r}", user_message=Text(QT_TRANSLATE_NOOP(
        "Errors", "A tag named \"%1\" already exists."), name))


def _no_tag(tag_id: int) -> LabelError:
    return LabelError(f"no tag {tag_id}", user_message=Text(QT_TRANSLATE_NOOP(
        "Errors", "That tag no longer exists (deleted meanwhile?).")))


class LabelRepository:
    """Tags, their links to orders, and notes (see the module's docstring)."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    def _now(self) -> int:
        return to_ms(self._db.clock())

    # -- tags ---------------------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        """Every tag, by name (case ignored)."""
        with self._db.read() as connection:
            return [tag_of(row) for row in connection.execute(
                select(*_TAG_COLUMNS).order_by(tags.c.name_key, tags.c.id))]

    def tag_named(self, name: str) -> Tag | None:
        """The tag of this name, case ignored."""
        with self._db.read() as connection:
            row = connection.execute(
                select(*_TAG_COLUMNS).where(tags.c.name_key == tag_key(name))).first()
        return None if row is None else tag_of(row)

    def tag_counts(self) -> dict[int, int]:
        """How many orders carry each tag (tags on none are absent)."""
        with self._db.read() as connection:
            return {int(tag_id): int(count) for tag_id, count in connection.execute(
                select(order_tags.c.tag_id, func.count()).group_by(order_tags.c.tag_id))}

    def create_tag(self, name: str, colour: str) -> Tag:
        """A new tag (`name` and `colour` already checked); `LabelError` if the name is
        taken."""
        now = self._now()
        try:
            with self._db.write() as connection:
                tag_id = connection.execute(insert(tags).values(
                    name=name, name_key=tag_key(name), colour=colour, created_at=now)
                    .returning(tags.c.id)).scalar_one()
        except IntegrityError as exc:
            raise _name_taken(name) from exc
        return Tag(id=int(tag_id), name=name, colour=colour, created_at=from_ms(now))

    def rename_tag(self, tag_id: int, name: str) -> None:
        try:
            with self._db.write() as connection:
                changed = connection.execute(update(tags).where(tags.c.id == tag_id).values(
                    name=name, name_key=tag_key(name))).rowcount
        except IntegrityError as exc:
            raise _name_taken(name) from exc
        if not changed:
            raise _no_tag(tag_id)

    def recolour_tag(self, tag_id: int, colour: str) -> None:
        with self._db.write() as connection:
            changed = connection.execute(
                update(tags).where(tags.c.id == tag_id).values(colour=colour)).rowcount
        if not changed:
            raise _no_tag(tag_id)

    def delete_tag(self, tag_id: int) -> int:
        """Delete a tag and take it off every order; how many orders carried it."""
        with self._db.write() as connection:
            carried = int(connection.scalar(select(func.count()).select_from(order_tags)
                                            .where(order_tags.c.tag_id == tag_id)) or 0)
            deleted = connection.execute(delete(tags).where(tags.c.id == tag_id)).rowcount
        if not deleted:
            raise _no_tag(tag_id)
        return carried

    # -- orders -------------------------------------------------------------------------------

    def stored_ids(self, order_ids: Iterable[str]) -> set[str]:
        """Which of these checkout-form ids are stored orders."""
        found: set[str] = set()
        with self._db.read() as connection:
            for chunk in in_chunks(list(dict.fromkeys(order_ids))):
                found.update(connection.scalars(select(orders.c.id)
                                                .where(orders.c.id.in_(chunk))))
        return found

    def tag_orders(self, order_ids: Sequence[str], tag_id: int) -> int:
        """Put the tag on these orders (ids not stored are skipped); how many did not carry it
        yet. One transaction."""
        now = self._now()
        added = 0
        with self._db.write() as connection:
            if connection.scalar(select(tags.c.id).where(tags.c.id == tag_id)) is None:
                raise _no_tag(tag_id)
            for chunk in in_chunks(list(dict.fromkeys(order_ids))):
                statement = sqlite_insert(order_tags).from_select(
                    ["order_id", "tag_id", "account_key", "tagged_at"],
                    select(orders.c.id, literal(tag_id), orders.c.account_key, literal(now))
                    .where(orders.c.id.in_(chunk))).on_conflict_do_nothing()
                added += int(connection.execute(statement).rowcount)
        return added

    def untag_orders(self, order_ids: Sequence[str], tag_id: int) -> int:
        """Take the tag off these orders; how many carried it. One transaction."""
        removed = 0
        with self._db.write() as connection:
            for chunk in in_chunks(list(dict.fromkeys(order_ids))):
                removed += int(connection.execute(delete(order_tags).where(
                    order_tags.c.tag_id == tag_id, order_tags.c.order_id.in_(chunk))).rowcount)
        return removed

    def tags_of(self, order_ids: Iterable[str]) -> dict[str, list[Tag]]:
        """The tags of these orders by id, each list by name (orders without any absent)."""
        found: dict[str, list[Tag]] = {}
        with self._db.read() as connection:
            for chunk in in_chunks(list(dict.fromkeys(order_ids))):
                for order_id, *values in connection.execute(
                        select(order_tags.c.order_id, *_TAG_COLUMNS)
                        .join_from(order_tags, tags, tags.c.id == order_tags.c.tag_id)
                        .where(order_tags.c.order_id.in_(chunk))
                        .order_by(order_tags.c.order_id, tags.c.name_key)):
                    found.setdefault(order_id, []).append(tag_of(values))
        return found

    # -- notes --------------------------------------------------------------------------------

    def note(self, order_id: str) -> str | None:
        with self._db.read() as connection:
            return connection.scalar(
                select(order_notes.c.text).where(order_notes.c.order_id == order_id))

    def notes_of(self, order_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._db.read() as connection:
            for chunk in in_chunks(list(dict.fromkeys(order_ids))):
                for order_id, text in connection.execute(
                        select(order_notes.c.order_id, order_notes.c.text)
                        .where(order_notes.c.order_id.in_(chunk))):
                    found[order_id] = text
        return found

    def set_notes(self, notes: Mapping[str, str]) -> int:
        """Write these notes (already checked; "" deletes an order's note) with their search
        rows, in one transaction; how many orders' notes changed (ids not stored skipped)."""
        now = self._now()
        changed = 0
        with self._db.write() as connection:
            for order_id, text in notes.items():
                changed += _set_note(connection, order_id, text, now)
        return changed


def _set_note(connection: Connection, order_id: str, text: str, now: int) -> int:
    if not text:
        return int(connection.execute(
            delete(order_notes).where(order_notes.c.order_id == order_id)).rowcount)
    statement = sqlite_insert(order_notes).from_select(
        ["order_id", "account_key", "text", "updated_at"],
        select(orders.c.id, orders.c.account_key, literal(text), literal(now))
        .where(orders.c.id == order_id))
    seq = connection.execute(statement.on_conflict_do_update(
        index_elements=[order_notes.c.order_id],
        set_={"text": statement.excluded.text, "updated_at": statement.excluded.updated_at},
        where=order_notes.c.text != statement.excluded.text,
    ).returning(order_notes.c.seq)).scalar()
    if seq is None:  # not stored, or the same text again
        return 0
    connection.execute(delete(order_notes_fts).where(order_notes_fts.c.rowid == seq))
    connection.execute(insert(order_notes_fts).values(rowid=seq, text=fold(text)))
    return 1
