"""`allegro-desktop orders tag` and `orders note` as real processes on a profile holding 300
orders: what they change is what the app reads; an unknown order id is one line of its own
(the others still done, exit 1); a name or note that cannot be kept is one line (nothing
changed, exit 1); options that do not fit are argparse's 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.filters import OrderFilter, OrderSort
from allegro_desktop.headless import ExitCode
from allegro_desktop.services.order_labels import OrderLabels
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.processes import app_env
from tests.helpers.stored_shop import realistic_forms, store_shop

TRACES = ("Traceback", "Logging error", "Exception ignored")


def _run(paths: AppPaths, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(paths.data_dir), "orders",
         *args], capture_output=True, text=True, env=app_env(), timeout=120, check=False)


def _errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert not any(trace in result.stderr for trace in TRACES), result.stderr
    return result.stderr.strip().splitlines()


@pytest.fixture
def profile(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "profile")
    store_shop(paths.database, realistic_forms()).close()
    return paths


@pytest.fixture
def ids(profile: AppPaths) -> list[str]:
    with Database.open(profile.database) as database:
        queries = OrderQueries(database=database)
        rows = queries.rows(queries.seqs(OrderFilter(), OrderSort()))
        return [row.id for row in rows.values()][:5]


def _labels(paths: AppPaths) -> tuple[dict[str, list[str]], dict[str, str]]:
    with Database.open(paths.database) as database:
        labels = OrderLabels(database=database)
        queries = OrderQueries(database=database)
        rows = queries.rows(queries.seqs(OrderFilter(), OrderSort()))
        tagged = {order_id: [t.name for t in found]
                  for order_id, found in labels.tags_of(r.id for r in rows.values()).items()}
        return tagged, {r.id: r.private_note for r in rows.values() if r.private_note}


def test_tag_add_and_remove(profile: AppPaths, ids: list[str]) -> None:
    added = _run(profile, "tag", "--add", "do spakowania 📦", *ids[:3])
    assert (added.returncode, _errors(added)) == (ExitCode.OK, [])
    assert added.stdout == 'Tagged 3 orders with "do spakowania 📦"\n'
    again = _run(profile, "tag", "--add", "DO SPAKOWANIA 📦", *ids[:4])  # the same tag
    assert again.stdout == 'Tagged 4 orders with "do spakowania 📦" (3 already had it)\n'
    removed = _run(profile, "tag", "--remove", "do spakowania 📦", ids[0])
    assert (removed.returncode, removed.stdout) == (
        ExitCode.OK, 'Untagged 1 order from "do spakowania 📦"\n')
    tagged, _ = _labels(profile)
    assert tagged == {i: ["do spakowania 📦"] for i in ids[1:4]}


def test_unknown_order_ids_are_one_line_each_and_the_others_are_done(
        profile: AppPaths, ids: list[str]) -> None:
    result = _run(profile, "tag", "--add", "pilne", "nie-ma-1", ids[0], "nie\x1b[2J-2")
    assert result.returncode == ExitCode.FAILED
    assert _errors(result) == [
        "allegro-desktop: no order nie-ma-1 is stored here (check the id, or sync first)",
        "allegro-desktop: no order nie\\x1b[2J-2 is stored here (check the id, or sync first)"]
    assert result.stdout == 'Tagged 1 order with "pilne"\n'
    assert _labels(profile)[0] == {ids[0]: ["pilne"]}
    only_unknown = _run(profile, "tag", "--remove", "pilne", "nie-ma-1")
    assert (only_unknown.returncode, len(_errors(only_unknown))) == (ExitCode.FAILED, 1)
    note = _run(profile, "note", "nie-ma-1", "--text", "x")
    assert (note.returncode, _errors(note)) == (ExitCode.FAILED, [
        "allegro-desktop: No order nie-ma-1 is stored here (check the id, or sync first)."])


@pytest.mark.parametrize(("args", "said"), [
    (["tag", "--add", "x" * 41], "A tag's name can be at most 40 characters long (this one "
                                 "has 41)."),
    (["tag", "--add", "zły\x07"], "A tag's name cannot contain the control character U+0007. "
                                  "Type the name again without it."),
    (["tag", "--remove", "nie ma takiego"], 'There is no tag named "nie ma takiego".'),
    (["note", "--text", "y" * 5001], "A note can be at most 5000 characters long (this one "
                                     "has 5001). Shorten it and save it again."),
    (["note", "--text", "\u202eodwrócone"], "A note cannot contain the control character "
                                            "U+202E. Remove it and save the note again."),
])
def test_what_cannot_be_kept_is_one_line_and_changes_nothing(
        profile: AppPaths, ids: list[str], args: list[str], said: str) -> None:
    args = [args[0], ids[0], *args[1:]] if args[0] == "note" else [*args, ids[0]]
    result = _run(profile, *args)
    assert (result.returncode, _errors(result)) == (ExitCode.FAILED, [f"allegro-desktop: {said}"])
    assert _labels(profile) == ({}, {})


def test_note_set_replace_and_delete(profile: AppPaths, ids: list[str]) -> None:
    text = "Klient prosi o fakturę\nzadzwonić przed wysyłką"
    saved = _run(profile, "note", ids[1], "--text", text)
    assert (saved.returncode, saved.stdout) == (ExitCode.OK,
                                                f"Saved the note of order {ids[1]}.\n")
    assert _labels(profile)[1] == {ids[1]: text}
    same = _run(profile, "note", ids[1], "--text", f"  {text}\n")
    assert same.stdout == f"The note of order {ids[1]} is already so.\n"
    with Database.open(profile.database) as database:  # the app's search finds it
        assert OrderQueries(database=database).count(OrderFilter(search="zadzwonic")) == 1
    deleted = _run(profile, "note", ids[1], "--text", "")
    assert (deleted.returncode, deleted.stdout) == (ExitCode.OK,
                                                    f"Deleted the note of order {ids[1]}.\n")
    assert _labels(profile)[1] == {}


def test_options_that_do_not_fit_and_no_database(profile: AppPaths, tmp_path: Path,
                                                 ids: list[str]) -> None:
    for args in (["tag", ids[0]], ["tag", "--add", "a", "--remove", "b", ids[0]],
                 ["tag", "--add", "a"], ["note", ids[0]], []):
        assert _run(profile, *args).returncode == ExitCode.USAGE, args
    empty = resolve_paths(tmp_path / "empty")
    result = _run(empty, "note", "abc", "--text", "x")
    assert result.returncode == ExitCode.FAILED
    assert _errors(result) == [f"allegro-desktop: there is no order database in "
                               f"{empty.data_dir} yet: sync first"]
