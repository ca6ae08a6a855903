"""Long lists of keys in `IN (...)` queries: one statement per chunk of `IN_CHUNK` keys.

SQLite limits the bound parameters of one statement (32 766 since 3.32, 999 before), and a
short list keeps each statement small: a sync page's 100 ids, or the thousands a first sync
announces, cost a few statements, not one per key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final, TypeVar

__all__ = ["IN_CHUNK", "in_chunks"]

#: Keys per `IN (...)` statement: well under SQLite's limit on bound parameters.
IN_CHUNK: Final = 500

Key = TypeVar("Key")


def in_chunks(keys: Sequence[Key], size: int | None = None) -> Iterator[Sequence[Key]]:
    """`keys` in consecutive slices of at most `size` (default `IN_CHUNK`), in order (none
    for no keys)."""
    if size is None:
        size = IN_CHUNK
    if size < 1:
        raise ValueError(f"a chunk holds at least one key, not {size}")
    for start in range(0, len(keys), size):
        yield keys[start:start + size]
