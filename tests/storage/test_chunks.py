"""`storage/chunks.py`: the one way long key lists are split for `IN (...)` statements."""

from __future__ import annotations

from array import array

import pytest

from allegro_desktop.storage.chunks import IN_CHUNK, in_chunks


def test_keys_come_in_order_in_chunks_of_at_most_the_size() -> None:
    assert list(in_chunks([])) == []
    assert list(in_chunks(["a", "b", "c"], 2)) == [["a", "b"], ["c"]]
    assert list(in_chunks(["a", "b"], 2)) == [["a", "b"]]
    keys = list(range(2 * IN_CHUNK + 1))
    pieces = list(in_chunks(keys))
    assert [len(piece) for piece in pieces] == [IN_CHUNK, IN_CHUNK, 1]
    assert [key for piece in pieces for key in piece] == keys
    assert IN_CHUNK <= 999  # SQLite's oldest limit on a statement's bound parameters
    seqs = array("q", range(5))
    assert [list(piece) for piece in in_chunks(seqs, 3)] == [[0, 1, 2], [3, 4]]


def test_a_chunk_holds_at_least_one_key() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        list(in_chunks([1], 0))
