"""`OrderLabels`: the seller's tags and private notes on orders, as the window and the command
line change them (Qt-free; what they are: domain/labels.py; where they are kept:
storage/labels.py).

Every method checks what the seller typed first and raises a `LabelError` with a clear message
(an empty or too long name, a name already taken, a colour that is not "#rrggbb", a note over
5000 characters, a control character, an order that is not stored) before anything is written;
each change is one transaction. The calls are short writes to the local database: the window
runs them off its GUI thread like its other database writes, the command line directly.

Orders are named by their checkout-form ids (`OrderRow.id`). Nothing here talks to Allegro.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.labels import (
    DEFAULT_COLOUR,
    LabelError,
    Tag,
    clean_colour,
    clean_note,
    clean_tag_name,
)
from allegro_desktop.domain.safe_text import escaped
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.labels import LabelRepository

__all__ = ["LabelError", "OrderLabels", "TagChange", "UnknownOrdersError"]


class UnknownOrdersError(LabelError):
    """Order ids that are not stored in this profile (`ids`: those, in the order given)."""

    def __init__(self, ids: Sequence[str]) -> None:
        shown = ", ".join(escaped(i)[:60] for i in ids[:5]) + (", …" if len(ids) > 5 else "")
        super().__init__(f"unknown order ids: {shown}", user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "No order %1 is stored here (check the id, or sync first)."), shown))
        self.ids = tuple(ids)


@dataclass(frozen=True, slots=True)
class TagChange:
    """What tagging or untagging did: the tag, and how many orders changed (the others
    carried it already, or did not carry it)."""

    tag: Tag
    changed: int


class OrderLabels:
    """Tags and private notes (see the module's docstring)."""

    def __init__(self, *, database: Database) -> None:
        self._repository = LabelRepository(database=database)

    # -- tags ---------------------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        """Every tag of the profile, by name (case ignored): the filter's and the menu's
        list."""
        return self._repository.tags()

    def tag_counts(self) -> dict[int, int]:
        """How many orders carry each tag, by tag id (a tag on none is absent)."""
        return self._repository.tag_counts()

    def tag_named(self, name: str) -> Tag | None:
        """The tag called `name` (case ignored; surrounding blanks trimmed), if any."""
        try:
            return self._repository.tag_named(clean_tag_name(name))
        except LabelError:
            return None

    def create_tag(self, name: str, colour: str = DEFAULT_COLOUR) -> Tag:
        return self._repository.create_tag(clean_tag_name(name), clean_colour(colour))

    def rename_tag(self, tag_id: int, name: str) -> None:
        self._repository.rename_tag(tag_id, clean_tag_name(name))

    def recolour_tag(self, tag_id: int, colour: str) -> None:
        self._repository.recolour_tag(tag_id, clean_colour(colour))

    def delete_tag(self, tag_id: int) -> int:
        """Delete the tag (taken off every order); how many orders carried it."""
        return self._repository.delete_tag(tag_id)

    def tag(self, order_ids: Sequence[str], tag: Tag | str) -> TagChange:
        """Put `tag` on these orders; a name (str) of a tag that does not exist yet creates it
        (in the default colour). `UnknownOrdersError` if any id is not stored (nothing
        changed then)."""
        self.check_orders(order_ids)
        if isinstance(tag, str):
            name = clean_tag_name(tag)
            found = self._repository.tag_named(name)
            if found is None:
                try:
                    found = self._repository.create_tag(name, DEFAULT_COLOUR)
                except LabelError:  # made meanwhile (the window and a script at once)
                    found = self._repository.tag_named(name)
                    if found is None:
                        raise
            tag = found
        return TagChange(tag, self._repository.tag_orders(order_ids, tag.id))

    def untag(self, order_ids: Sequence[str], tag: Tag | str) -> TagChange:
        """Take `tag` off these orders. `UnknownOrdersError` if any id is not stored, a
        `LabelError` for a name no tag has (nothing changed then)."""
        self.check_orders(order_ids)
        if isinstance(tag, str):
            name = clean_tag_name(tag)
            found = self._repository.tag_named(name)
            if found is None:
                raise LabelError(f"no tag named {name!r}", user_message=Text(
                    QT_TRANSLATE_NOOP("Errors", "There is no tag named \"%1\"."), name))
            tag = found
        return TagChange(tag, self._repository.untag_orders(order_ids, tag.id))

    def tags_of(self, order_ids: Iterable[str]) -> dict[str, list[Tag]]:
        """The tags of these orders, by order id (an order without tags is absent)."""
        return self._repository.tags_of(order_ids)

    # -- notes --------------------------------------------------------------------------------

    def note(self, order_id: str) -> str:
        """The order's private note ("" if none)."""
        return self._repository.note(order_id) or ""

    def set_note(self, order_id: str, text: str) -> bool:
        """Keep `text` as the order's private note (cleaned: `domain.labels.clean_note`;
        blank deletes the note). Whether the note changed; `UnknownOrdersError` if the order
        is not stored."""
        cleaned = clean_note(text)
        self.check_orders([order_id])
        return self._repository.set_notes({order_id: cleaned}) > 0

    def check_orders(self, order_ids: Sequence[str]) -> None:
        """`UnknownOrdersError` naming the ids that are not stored orders (a `LabelError` for
        none at all)."""
        if not order_ids:
            raise LabelError("no orders", user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "Choose at least one order.")))
        stored = self._repository.stored_ids(order_ids)
        unknown = [i for i in dict.fromkeys(order_ids) if i not in stored]
        if unknown:
            raise UnknownOrdersError(unknown)
