"""Where the app's log goes: stderr and a rotating file in the log folder, both redacted.

The file (`AppPaths.log_file`, about 1 MB × 5 files) is what the Diagnostics dialog shows and
what the diagnostics report quotes; it is also what a seller finds when support asks "send us
the log". So every line passes `services.redaction.redact` on its way out — the formatted
message *and* any traceback — and a secret logged by mistake (a token in an exception text, an
Authorization header in a debug dump) never reaches the disk or the terminal.

The level is the command line's `--log-level` if given, else the `log_level` setting, else
INFO. Below DEBUG, httpx's own line per request is left out (thousands a sync; the client logs
what matters — failures with Allegro's trace-id — itself), and Alembic's lines of a migration
("Running upgrade 0006 -> 0007") go to the file only, not to the terminal.

Several processes may write the same file (the window and a scheduled `allegro-desktop sync`):
lines stay whole (each is one append), only a rotation may move a few lines of the other
process into the older file.

The file is created readable by its owner only (it names buyers and accounts). When it cannot
be written — a full disk — that is said once, as one line on stderr, instead of a "Logging
error" traceback for every record; the app goes on. The terminal commands print their own
one-line messages, so they show log records on stderr only when `--log-level` asks for them
(`console=False` otherwise); the file gets them all the same.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path
from typing import Any, Final, TextIO

from allegro_desktop.domain.safe_text import escaped, storable_text
from allegro_desktop.services.redaction import redact

__all__ = [
    "LOG_BACKUPS",
    "LOG_FORMAT",
    "LOG_MAX_BYTES",
    "FileOnlyBelowWarning",
    "PrivateLogFile",
    "RedactingFormatter",
    "configure_logging",
    "line_level",
    "log_file_in_use",
    "log_to_file",
    "read_log_tail",
    "resolve_level",
]

LOG_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES: Final = 1_000_000
LOG_BACKUPS: Final = 5
LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
_OURS: Final = "_allegro_desktop_handler"
#: A record's first line: "2026-11-24 14:05:33,123 WARNING allegro_desktop.sync: …".
_RECORD_START: Final = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")

log = logging.getLogger("allegro_desktop.config")


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file: each file created 0600 (POSIX); a failure to write it (a full
    disk, a file too large) told once, as one line on stderr, and otherwise ignored. What is
    not text (a lone surrogate Allegro sent) is written as an escape, like on stderr."""

    def __init__(self, path: Path, *, max_bytes: int = LOG_MAX_BYTES,
                 backups: int = LOG_BACKUPS) -> None:
        self.failure_reported = False
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8",
                         errors="backslashreplace")

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                             0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        problem = sys.exc_info()[1]
        if not isinstance(problem, OSError):
            super().handleError(record)  # a bug in a logging call: shown as logging does
            return
        if self.failure_reported:
            return
        self.failure_reported = True
        stderr = sys.stderr
        if stderr is None:  # a windowed app on Windows has no stderr
            return
        with contextlib.suppress(OSError, ValueError):  # stderr itself is gone
            stderr.write(f"allegro-desktop: the log file {self.baseFilename} cannot be "
                         f"written ({problem.strerror or problem}); the log is incomplete "
                         "until it can.\n")
            stderr.flush()


class FileOnlyBelowWarning(logging.Filter):
    """Keeps a library's routine lines (Alembic's, at every start) off the terminal: records
    of the loggers under `names` pass only from WARNING up. The log file still gets them."""

    def __init__(self, *names: str) -> None:
        super().__init__()
        self._prefixes = tuple(f"{name}." for name in names)
        self._names = frozenset(names)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return record.name not in self._names and not record.name.startswith(self._prefixes)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output — message, arguments, traceback, stack — is redacted, and
    whose message is one line of text: what it quotes from outside (Allegro's answers, a
    file's name) cannot start a line that looks like another, colour a terminal or hold a
    character no file can take (`domain.safe_text.escaped`)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escaped(redact(record.message))  # redacted while still whole
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802
        text = super().formatException(ei)
        for said in _exception_texts(ei[1]):  # what the exceptions quote, escaped like a message
            text = text.replace(said, escaped(redact(said)))
        return storable_text(text)

    def format(self, record: logging.LogRecord) -> str:
        # The traceback as this formatter writes it, not as another handler's cached it.
        cached, record.exc_text = record.exc_text, None
        try:
            return redact(super().format(record))
        finally:
            record.exc_text = cached


def _exception_texts(exc: BaseException | None) -> list[str]:
    """The texts of `exc` and of the exceptions it was raised from or during that are not
    one printable line."""
    texts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(seen) < 20:
        seen.add(id(exc))
        try:
            said = str(exc)
        except Exception:  # a broken __str__: the traceback says so itself
            said = ""
        if said and not said.isprintable():
            texts.append(said)
        exc = exc.__cause__ or exc.__context__
    return texts


def resolve_level(command_line: str | None, setting: str | None) -> str:
    """The log level: `--log-level` wins, then the setting, then INFO."""
    for choice in (command_line, setting):
        if choice and choice.upper() in LEVELS:
            return choice.upper()
    return "INFO"


def configure_logging(*, level: str, log_file: Path | None = None,
                      stream: TextIO | None = None, console: bool = True) -> Path | None:
    """Log at `level` to `stream` (default stderr; not at all with `console` False) and, if
    given, to the rotating `log_file`.

    Returns the file in use, or None when there is none or it cannot be opened (then a
    line says why on `stream`, and the app runs on: a log is not worth refusing to start).
    Calling it again replaces what an earlier call installed.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    formatter = RedactingFormatter(LOG_FORMAT)
    output = stream if stream is not None else sys.stderr
    handlers: list[logging.Handler] = []
    if console:
        terminal = logging.StreamHandler(output)
        if level != "DEBUG":
            terminal.addFilter(FileOnlyBelowWarning("alembic"))
        handlers.append(terminal)
    used: Path | None = None
    problem: OSError | None = None
    if log_file is not None:
        try:
            log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handlers.append(PrivateLogFile(log_file))
            used = log_file
        except OSError as exc:
            problem = exc
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(level)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(quiet)
    if problem is not None:
        if console:
            log.warning("no log file: %s cannot be written (%s)", log_file,
                        problem.strerror or problem)
        elif output is not None:
            print(f"allegro-desktop: no log file: {log_file} cannot be written "
                  f"({problem.strerror or problem})", file=output)
    return used


def log_file_in_use() -> Path | None:
    """The file the log is written to now (what `configure_logging` or `log_to_file` set up),
    None when there is none: what the window names as "the log"."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _OURS, False) and isinstance(handler, PrivateLogFile):
            return Path(handler.baseFilename)
    return None


def log_to_file(log_file: Path) -> Path | None:
    """Write the log to `log_file` from now on, instead of the file (if any) it went to; the
    terminal's output and the level stay. Demo mode's own log (`config/paths.py`). Returns
    the file, or None when it cannot be opened (a line says why; the app runs on)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False) and isinstance(handler, PrivateLogFile):
            root.removeHandler(handler)
            handler.close()
    try:
        log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = PrivateLogFile(log_file)
    except OSError as exc:
        log.warning("no log file: %s cannot be written (%s)", log_file, exc.strerror or exc)
        return None
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    return log_file


def read_log_tail(path: Path, max_lines: int = 200, *, max_bytes: int = 512_000) -> list[str]:
    """The last `max_lines` lines of the log file (read from its end: at most `max_bytes`),
    redacted again — an older file may predate the redaction. Missing file: no lines."""
    try:
        with path.open("rb") as file:
            file.seek(0, 2)
            size = file.tell()
            file.seek(max(size - max_bytes, 0))
            data = file.read()
    except FileNotFoundError:
        return []
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if size > max_bytes and lines:
        lines = lines[1:]  # the first one is cut
    return [redact(line) for line in lines[-max_lines:]] if max_lines > 0 else []


def line_level(line: str) -> int | None:
    """The level of the record a line starts (`logging.WARNING`, …), None for a continuation
    line (a traceback's): it belongs to the record above it."""
    match = _RECORD_START.match(line)
    if match is None:
        return None
    level: int = logging.getLevelNamesMapping()[match.group(1)]
    return level
