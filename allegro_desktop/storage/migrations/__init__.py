"""Alembic migrations of the order database, run by `Database.open` at start-up.

The scripts are found next to this file, wherever the package lives (a source checkout, an
installed or editable package, a PyInstaller bundle that collects this folder as data), so no
alembic.ini is needed at run time. `alembic.ini` here is for developers only:
`alembic -c allegro_desktop/storage/migrations/alembic.ini revision -m "..."`.

Migrations are written by hand and never import `storage.schema` (which describes the newest
schema and keeps changing); `tests/storage/test_database.py` checks that head matches it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

__all__ = ["HEAD", "SCRIPT_LOCATION", "alembic_config", "include_object", "script_directory"]

SCRIPT_LOCATION = Path(__file__).resolve().parent

#: The newest revision of the scripts below (a test checks it against them: update it with
#: each new migration). Opening a database at this revision reads one row and imports nothing
#: of Alembic: importing it and reading its scripts cost about 0.4 s of every command's start.
HEAD: Final = "0011"


def alembic_config(*, connection: Connection | None = None) -> Config:
    """An Alembic configuration without an ini file; with `connection`, env.py migrates over
    that connection, inside the transaction the caller holds."""
    # env.py and the revision scripts are loaded by path, so PyInstaller's analysis cannot
    # see what they import: importing it here puts it in the bundle. (The scripts themselves
    # must be collected as data files: collect_data_files(..., include_py_files=True).)
    from alembic import context as _context  # noqa: F401
    from alembic import op as _op  # noqa: F401
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolates "%": a folder name may contain one.
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def script_directory() -> ScriptDirectory:
    """The migration scripts (read once per process: they do not change while it runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def include_object(_object: Any, name: str | None, type_: str, _reflected: bool,
                   _compare_to: Any) -> bool:
    """For autogenerate: the FTS5 tables and their shadow tables are not Core tables (created
    by hand in the migrations), so comparing them with `schema.metadata` is meaningless."""
    return not (type_ == "table" and name is not None
                and name.startswith(("orders_fts", "order_notes_fts")))
