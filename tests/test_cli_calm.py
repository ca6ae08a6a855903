"""The command line as a user meets it when things go wrong: one clear line and a documented
exit code, never a traceback. Real processes: an export refused (the live database, a link, a
pipe, a folder, the app's lock files), a full disk, Ctrl+C during sync, login and doctor,
SIGTERM and SIGHUP during a backup and login, a database of a newer version, a reader that
goes away; the codes are `headless.ExitCode`'s."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.filters import OrderFilter
from allegro_desktop.headless import ExitCode
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.sync.lease import LeaseHolder, ProfileBusyError, SyncLease
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.hostile_proxy import Hold, HostileProxy, Rule
from tests.helpers.lease_holder import LeaseHolderProcess
from tests.helpers.processes import app_env, code_from, shared_keyring, start_login
from tests.helpers.stored_shop import realistic_forms, store_shop

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, pipes and limits")
TRACES = ("Traceback", "Logging error", "Exception ignored", "ZipFile")


def _run(data_dir: Path, *args: str, **popen: Any) -> subprocess.CompletedProcess[str]:
    options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE,
                               "env": app_env(**shared_keyring(data_dir))} | popen
    return subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir), *args],
        text=True, timeout=120, check=False, **options)


def _calm(stderr: str) -> str:
    """The one line a failing command printed on stderr (no trace of any kind)."""
    assert not any(trace in stderr for trace in TRACES), stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def profile(tmp_path: Path) -> AppPaths:
    """A --data-dir profile whose database holds 300 orders."""
    paths = resolve_paths(tmp_path / "profile")
    store_shop(paths.database, realistic_forms()).close()
    return paths


def _orders(paths: AppPaths) -> int:
    with Database.open(paths.database) as database:
        return OrderQueries(database=database).count(OrderFilter())


# -- an export never destroys data ---------------------------------------------------------


@posix_only
def test_export_refuses_the_database_a_link_a_pipe_and_a_folder(profile: AppPaths,
                                                                tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("the user's own file")
    link = tmp_path / "link.csv"
    link.symlink_to(mine)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    warm = _run(profile.data_dir, "export", "--format", "csv", "--out",
                str(tmp_path / "first.csv"))  # records the app's version in the database
    assert warm.returncode == ExitCode.OK, warm.stderr
    database = profile.database.read_bytes()
    for target, reason in ((profile.database, "order database"),
                           (profile.data_dir / "orders.sqlite3-wal", "order database"),
                           (link, f"is a link to {mine}"),
                           (fifo, "named pipe"), (folder, "is a folder")):
        result = _run(profile.data_dir, "export", "--format", "json", "--out", str(target))
        assert result.returncode == ExitCode.FAILED
        line = _calm(result.stderr)
        assert line.startswith(f"allegro-desktop: {target}")
        assert reason in line
        assert "Exported" not in result.stdout
    assert profile.database.read_bytes() == database
    assert _orders(profile) == 300
    assert mine.read_text() == "the user's own file"
    assert os.readlink(link) == str(mine)
    assert list(folder.iterdir()) == []
    assert [p.name for p in tmp_path.rglob(".*.part")] == []


@posix_only
def test_export_refuses_the_apps_lock_files(profile: AppPaths, tmp_path: Path) -> None:
    """With --data-dir the data folder is the user's, but the sync lease's lock and owner files
    and the windows' locks in it are the app's: replacing sync.lock would let a second process
    sync alongside the one holding the lease."""
    data = profile.data_dir
    with LeaseHolderProcess(profile.database, LeaseHolder.COMMAND) as holder:
        (data / "window.lock").write_text(f"{holder.pid}\n")  # as a window's, and its demo's
        (data / "demo-window.lock").write_text(f"{holder.pid}\n")
        before = {name: (data / name).read_bytes() for name in (
            "sync.lock", "sync-owner.json", "window.lock", "demo-window.lock")}
        for name in before:
            result = _run(data, "export", "--format", "csv", "--out", str(data / name))
            assert result.returncode == ExitCode.FAILED, name
            assert _calm(result.stderr).startswith(f"allegro-desktop: {data / name} is ")
        assert {name: (data / name).read_bytes() for name in before} == before
        with pytest.raises(ProfileBusyError) as busy:  # the lease still excludes
            SyncLease(profile.database, holder=LeaseHolder.WINDOW).acquire(0)
        assert busy.value.owner is not None
        assert busy.value.owner.pid == holder.pid
    assert [p.name for p in data.rglob(".*.part")] == []


def _fill_log(paths: AppPaths, size: int) -> None:
    """The log file grown to `size` bytes, as after a long time of use."""
    with paths.log_file.open("a", encoding="utf-8") as log:
        log.write("x" * (size - paths.log_file.stat().st_size - 1) + "\n")


@posix_only
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_full_disk_during_an_export_is_one_line(profile: AppPaths, tmp_path: Path,
                                                  fmt: str) -> None:
    """The process may write no file beyond 40 kB (RLIMIT_FSIZE: the kernel refuses like a
    full disk): the export and the log file hit it. One line for the export, one saying the
    log is incomplete; no "Logging error" or ZipFile traceback; the older export intact."""
    limit = 40_000
    warm = _run(profile.data_dir, "export", "--format", "csv", "--out",
                str(tmp_path / "first.csv"))  # records the app's version in the database
    assert warm.returncode == ExitCode.OK, warm.stderr
    assert (tmp_path / "first.csv").stat().st_size > limit
    _fill_log(profile, limit - 50)
    target = tmp_path / f"orders.{fmt}"
    target.write_bytes(b"older export")

    import resource  # POSIX only

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = _run(profile.data_dir, "export", "--format", fmt, "--out", str(target),
                  preexec_fn=limited)
    assert result.returncode == ExitCode.FAILED
    assert not any(trace in result.stderr for trace in TRACES), result.stderr
    log_line, export_line = result.stderr.strip().splitlines()
    assert log_line.startswith(f"allegro-desktop: the log file {profile.log_file} cannot be "
                               "written (File too large)")
    assert export_line == (f"allegro-desktop: orders.{fmt} is too big for the disk or folder "
                           f"it is saved to ({tmp_path}), which limits the size of a file. "
                           "Save it somewhere else, or export fewer orders.")
    assert target.read_bytes() == b"older export"
    assert [p.name for p in tmp_path.rglob(".*.part")] == []


# -- Ctrl+C --------------------------------------------------------------------------------


@pytest.fixture
def held(start_emulator: StartEmulator) -> Iterator[tuple[RunningEmulator, HostileProxy]]:
    emu = start_emulator(device_interval=1, orders=120, history_days=100, seed=5)
    with HostileProxy(emu.base_url) as proxy:
        yield emu, proxy


def _signal_state(pid: int) -> str:
    """Whether SIGINT is ignored or blocked in process `pid`, as the kernel says (Linux): what
    a Ctrl+C that changes nothing would be explained by."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return "(no /proc)"
    masks = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    bit = 1 << (signal.SIGINT - 1)
    return ", ".join(f"SIGINT {what}: {bool(int(masks[key], 16) & bit)}"
                     for key, what in (("SigIgn", "ignored"), ("SigBlk", "blocked"))
                     if key in masks)


def _interrupt(process: subprocess.Popen[str], hold: Hold) -> tuple[str, str]:
    """Ctrl+C to `process` once its request is held at the proxy; its output. A Ctrl+C that
    changes nothing fails with whether the app ignored or blocked SIGINT, and its output."""
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN, \
        "this test process ignores SIGINT, which its children inherit (tests/conftest.py)"
    try:
        assert hold.arrived.wait(120), "the app never asked"
        state = _signal_state(process.pid)
        process.send_signal(signal.SIGINT)
        try:
            return process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            raise AssertionError(f"Ctrl+C did not stop the command ({state}); its output:\n"
                                 f"{out}\n{err}") from None
    finally:
        hold.release()


def _login_through(emu: RunningEmulator, proxy: HostileProxy, data_dir: Path) -> None:
    """An account of `emu` connected in `data_dir`, the app talking to it through `proxy`."""
    login = start_login(data_dir, proxy.base_url, **shared_keyring(data_dir))
    _lines, code = code_from(login)
    emu.control("POST", "/device/approve", {"user_code": code})
    assert login.wait(60) == ExitCode.OK


@posix_only
def test_ctrl_c_during_sync(held: tuple[RunningEmulator, HostileProxy],
                            tmp_path: Path) -> None:
    emu, proxy = held
    _login_through(emu, proxy, tmp_path)
    hold = Hold()
    proxy.add(Rule(path=r"^/order/checkout-forms$", hold=hold, times=1))
    sync = subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(tmp_path), "sync"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=app_env(**shared_keyring(tmp_path)))
    out, err = _interrupt(sync, hold)
    assert sync.returncode == ExitCode.CANCELLED
    assert _calm(err) == "Cancelled."
    assert out == ""
    with sqlite3.connect(resolve_paths(tmp_path).database) as database:
        outcomes = [row[0] for row in database.execute("SELECT outcome FROM sync_runs")]
    assert outcomes == ["cancelled"]


@posix_only
@pytest.mark.parametrize(("sig", "code", "line"), [
    (signal.SIGINT, ExitCode.CANCELLED, "Cancelled."),
    (signal.SIGTERM, ExitCode.TERMINATED, "Stopped on SIGTERM."),
    (signal.SIGHUP, ExitCode.HANGUP, "Stopped on SIGHUP."),
])
def test_ctrl_c_sigterm_or_sighup_during_login(
        held: tuple[RunningEmulator, HostileProxy], tmp_path: Path, sig: signal.Signals,
        code: ExitCode, line: str) -> None:
    _emu, proxy = held
    login = start_login(tmp_path, proxy.base_url)
    code_from(login)  # waiting for approval now
    login.send_signal(sig)
    _out, err = login.communicate(timeout=60)
    assert login.returncode == code
    assert line in err.splitlines()  # (its DEBUG log lines were asked for)
    assert "Traceback" not in err


# A backup held at a gate once its copy is whole in its temporary file (next to the target, with
# every buyer's data in it): the progress it reports then waits for a line on stdin.
_GATED_BACKUP = """
import sys

from allegro_desktop import cli
from allegro_desktop.storage import backup

real_back_up = backup.back_up


def gated_back_up(database, target, **options):
    def progress(step, done, total):
        if step is backup.BackupStep.CHECK:
            print("copied", flush=True)
            sys.stdin.readline()

    return real_back_up(database, target, progress=progress, **options)


backup.back_up = gated_back_up
sys.exit(cli.main(sys.argv[1:]))
"""


@posix_only
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, ExitCode.TERMINATED),
                                           (signal.SIGHUP, ExitCode.HANGUP)])
def test_sigterm_or_sighup_during_a_backup_leaves_no_temporary_file(
        profile: AppPaths, tmp_path: Path, sig: signal.Signals, code: ExitCode) -> None:
    out = tmp_path / "saved"
    out.mkdir()
    backup = subprocess.Popen(
        [sys.executable, "-c", _GATED_BACKUP, "--data-dir", str(profile.data_dir), "backup",
         "--out", str(out / "orders-backup.sqlite3")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=app_env())
    assert backup.stdout is not None
    assert backup.stderr is not None
    try:
        assert backup.stdout.readline() == "copied\n"
        [part] = out.glob(".*.part")
        assert part.stat().st_size > 100_000  # the orders are in it
        backup.send_signal(sig)
        assert backup.wait(timeout=120) == code
    finally:
        if backup.poll() is None:
            backup.kill()
    assert _calm(backup.stderr.read()) == f"Stopped on {sig.name}: nothing was written."
    assert list(out.iterdir()) == []
    assert _orders(profile) == 300


@posix_only
def test_ctrl_c_during_doctor(held: tuple[RunningEmulator, HostileProxy],
                              tmp_path: Path) -> None:
    _emu, proxy = held
    hold = Hold()
    proxy.add(Rule(path=r"^/", method=None, hold=hold, times=1))
    doctor = subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(tmp_path),
         "--environment", proxy.base_url, "doctor"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=app_env())
    _out, err = _interrupt(doctor, hold)
    assert doctor.returncode == ExitCode.CANCELLED, err
    assert _calm(err) == "Cancelled."


# -- other failures ------------------------------------------------------------------------


def test_a_failed_sync_says_why_once(held: tuple[RunningEmulator, HostileProxy],
                                     tmp_path: Path) -> None:
    """The account and the reason, in one line, the reason not repeated ("X (X)")."""
    emu, proxy = held
    _login_through(emu, proxy, tmp_path)
    proxy.add(Rule(path=r"^/order/", status=400, local_body=b'{"errors": []}'))
    result = _run(tmp_path, "sync")
    assert result.returncode == ExitCode.FAILED
    line = _calm(result.stderr)
    login = emu.emulator.store.sellers[emu.emulator.default_seller_id].seller.login
    assert line.startswith(f"allegro-desktop: {login}: ")
    reason = line.removeprefix(f"allegro-desktop: {login}: ")
    sentences = [part.strip() for part in reason.replace("(", ".").split(".") if part.strip()]
    assert len(sentences) == len(set(sentences)), reason


def test_a_database_of_a_newer_version_is_one_line(profile: AppPaths, tmp_path: Path) -> None:
    """A migration this version does not know, in a file last written by this very version
    (a development build): refused, untouched, said in one line."""
    from allegro_desktop import __version__

    with sqlite3.connect(profile.database) as database:
        database.execute("UPDATE alembic_version SET version_num = '0999'")
        database.execute("INSERT OR REPLACE INTO app_meta (key, value) "
                         "VALUES ('written_by', ?)", (__version__,))
    before = profile.database.read_bytes()
    result = _run(profile.data_dir, "export", "--format", "csv", "--out",
                  str(tmp_path / "x.csv"))
    assert result.returncode == ExitCode.FAILED
    line = _calm(result.stderr)
    assert line.startswith(f"allegro-desktop: The order database {profile.database}")
    assert "Nothing in the file was changed." in line
    assert profile.database.read_bytes() == before
    assert not (tmp_path / "x.csv").exists()


@posix_only
def test_a_reader_that_went_away_is_no_traceback(tmp_path: Path) -> None:
    """`allegro-desktop accounts | head -0`: the pipe's reader is gone before it writes."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = _run(tmp_path, "accounts", stdout=writer)
    finally:
        os.close(writer)
    assert result.returncode == ExitCode.FAILED
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


def test_the_exit_codes(tmp_path: Path) -> None:
    """0 done, 1 failed, 2 options that do not fit, 70 a bug (one line naming the log file;
    the traceback only in the log), 75 busy (tests/test_instance.py), 129/130/143 stopped by
    SIGHUP, Ctrl+C, SIGTERM (the tests above)."""
    assert [code.value for code in ExitCode] == [0, 1, 2, 70, 75, 129, 130, 143]
    data = tmp_path / "data"
    assert _run(data, "accounts").returncode == ExitCode.OK
    assert _run(data, "export", "--format", "csv", "--out", str(data)).returncode == \
        ExitCode.FAILED
    assert _run(data, "export", "--format", "ods", "--out", "x").returncode == ExitCode.USAGE
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert _run(blocked / "data", "accounts").returncode == ExitCode.USAGE

    # A bug, planted in a process of its own: `accounts` raising what no code expects.
    bug = ("import sys\n"
           "from allegro_desktop import cli, headless\n"
           "def broken(**_options): raise RuntimeError('a bug')\n"
           "headless.accounts = broken\n"
           "sys.exit(cli.main(sys.argv[1:]))\n")
    result, log_file = _accounts_with(bug, data)
    assert result.returncode == ExitCode.INTERNAL
    assert _calm(result.stderr) == (
        "allegro-desktop: an unexpected error stopped it (RuntimeError: a bug); the details "
        f"are in {log_file}. Please report it.")
    assert "Traceback" in log_file.read_text(encoding="utf-8")


def _accounts_with(bug: str, data: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`allegro-desktop --data-dir DATA accounts` in a process of its own, `bug` planted by
    the script that starts it; what it did, and its log file."""
    result = subprocess.run([sys.executable, "-c", bug, "--data-dir", str(data), "accounts"],
                            capture_output=True, text=True, env=app_env(), timeout=120,
                            check=False)
    return result, resolve_paths(data).log_file


def test_a_bug_on_a_thread_of_a_command_is_logged_and_ends_it_with_70(tmp_path: Path) -> None:
    """An exception nothing caught on another thread of a terminal command (Python's hook
    would print its traceback and let the command report success): the traceback goes to the
    log file, the terminal gets one line, the command ends with INTERNAL."""
    data = tmp_path / "data"
    bug = ("import sys, threading\n"
           "from allegro_desktop import cli, headless\n"
           "def fail(): raise RuntimeError('a bug in a thread')\n"
           "def threaded(**_options):\n"
           "    thread = threading.Thread(target=fail, name='allegro-helper')\n"
           "    thread.start()\n"
           "    thread.join()\n"
           "    return 0\n"
           "headless.accounts = threaded\n"
           "sys.exit(cli.main(sys.argv[1:]))\n")
    result, log_file = _accounts_with(bug, data)
    assert result.returncode == ExitCode.INTERNAL
    assert _calm(result.stderr) == (
        "allegro-desktop: an unexpected error happened in the thread allegro-helper "
        f"(RuntimeError: a bug in a thread); the details are in {log_file}. Please report it.")
    logged = log_file.read_text(encoding="utf-8")
    assert "CRITICAL allegro_desktop: an unexpected error in the thread allegro-helper" in logged
    assert "Traceback" in logged
    assert "in fail" in logged


_INTERRUPTED_WHILE_LOADING = """
import sys

WHEN = sys.argv.pop(1)

class Interrupt:
    "Ctrl+C as the module named first on the command line is being imported."

    def find_spec(self, name, path=None, target=None):
        if name == WHEN:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
from allegro_desktop.__main__ import run
sys.exit(run())
"""


@pytest.mark.parametrize("module", ["allegro_desktop.cli", "allegro_desktop.headless",
                                    "allegro_desktop.config.logging_setup"])
def test_ctrl_c_while_the_program_is_still_loading(tmp_path: Path, module: str) -> None:
    """A Ctrl+C in the first second, as modules load (before `cli.main` runs, or before its
    own handling starts): "Cancelled." and 130 as later, not Python's traceback."""
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_WHILE_LOADING, module,
         "--data-dir", str(tmp_path / "profile"), "accounts"],
        capture_output=True, text=True, timeout=120, check=False,
        env=app_env(**shared_keyring(tmp_path)))
    assert done.returncode == ExitCode.CANCELLED, done.stderr
    assert _calm(done.stderr) == "Cancelled."


def test_the_entry_points_exit_code_for_ctrl_c_is_the_commands() -> None:
    from allegro_desktop import __main__ as entry

    assert entry.CANCELLED == ExitCode.CANCELLED
