"""Health checks (`services/health.py`) and redaction (`services/redaction.py`) on real parts:
an emulator over HTTP, an in-memory keyring, real SQLite files, a real accounts file."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import AppServices, open_app_services
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import Text
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason
from allegro_desktop.services import health
from allegro_desktop.services.health import (
    CheckId,
    CheckResult,
    HealthChecker,
    Status,
    diagnostics_report,
    known_secrets,
)
from allegro_desktop.services.redaction import mask_personal_data, redact
from allegro_desktop.storage import (
    Database,
    OrderRepository,
    PendingForm,
    RunOutcome,
    SyncStateRepository,
    UnreadableRecord,
)
from allegro_desktop.storage.sync_state import RunKind, RunMetrics
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.synced_shop import connect


@dataclass
class Profile:
    """A seller's profile: folders, an in-memory keyring, an account connected to `emu`."""

    emu: RunningEmulator
    paths: AppPaths
    keyring: MemoryKeyring
    services: AppServices
    account: Account

    def checker(self, **overrides: Any) -> HealthChecker:
        arguments: dict[str, Any] = {
            "data_dir": self.paths.data_dir, "database_path": self.paths.database,
            "store": self.services.store, "registry": self.services.registry,
            "governor": self.services.governor,
            "resolve_environment": self.services.environment, "timeout": 3.0}
        arguments.update(overrides)
        return HealthChecker(**arguments)

    def database(self) -> Database:
        return Database.open(self.paths.database)

    def pair(self) -> TokenPair:
        pair = self.services.store.load(self.account.key)
        assert pair is not None
        return pair


def by_check(results: list[CheckResult]) -> dict[CheckId, list[CheckResult]]:
    found: dict[CheckId, list[CheckResult]] = {}
    for result in results:
        found.setdefault(result.check, []).append(result)
    return found


def only(results: list[CheckResult], check: CheckId) -> CheckResult:
    (result,) = by_check(results)[check]
    return result


@pytest.fixture
def profile(start_emulator: StartEmulator, tmp_path: Path) -> Profile:
    emu = start_emulator(device_interval=1, orders=0)
    paths = resolve_paths(tmp_path / "profile")
    keyring = MemoryKeyring()
    services = open_app_services(paths, store=TokenStore(backend=keyring),
                                 governor=RequestGovernor())
    account = connect(emu, services)
    return Profile(emu, paths, keyring, services, account)


@pytest.fixture
def synced(profile: Profile) -> Profile:
    """The profile with a database whose account synced a minute ago."""
    with profile.database() as database:
        states = SyncStateRepository(database=database)
        state = states.get_sync_state(profile.account.key)
        from dataclasses import replace

        states.save_sync_state(replace(state, last_success_at=datetime.now(UTC)
                                       - timedelta(minutes=1)))
    return profile


def test_a_healthy_profile_passes_every_check(synced: Profile) -> None:
    seen: list[CheckResult] = []
    results = synced.checker().run(seen.append)
    assert seen == results  # reported as they come
    assert {r.check for r in results} == set(CheckId)
    assert [r for r in results if r.status is not Status.OK] == []
    api = only(results, CheckId.API)
    assert synced.emu.base_url in str(api.detail)
    token = only(results, CheckId.TOKEN)
    assert token.subject == synced.account.login
    assert "Valid" in str(token.detail)
    assert "integrity check passed" in str(only(results, CheckId.DATABASE).detail)
    assert all(r.seconds >= 0 for r in results)
    # the keyring round trip left nothing behind, and no result quotes a secret
    assert list(synced.keyring.entries) == [
        (k, u) for k, u in synced.keyring.entries if not u.startswith("health-check")]
    pair = synced.pair()
    for result in results:
        assert pair.access_token not in str(result.detail)
        assert pair.refresh_token not in str(result.to_json())


def test_a_locked_keyring_fails_its_checks_and_the_others_still_run(synced: Profile) -> None:
    synced.keyring.locked = True
    results = synced.checker().run()
    assert only(results, CheckId.KEYRING).status is Status.FAILED
    assert "locked" in str(only(results, CheckId.KEYRING).detail)
    assert only(results, CheckId.TOKEN).status is Status.FAILED
    for check in (CheckId.API, CheckId.DATABASE, CheckId.DISK, CheckId.LAST_SYNC):
        assert only(results, check).status is Status.OK, check


def test_a_keyring_that_refuses_writes_fails(synced: Profile) -> None:
    synced.keyring.refuse_writes = True
    result = only(synced.checker().run(), CheckId.KEYRING)
    assert result.status is Status.FAILED


def test_sign_in_states(profile: Profile) -> None:
    store, key = profile.services.store, profile.account.key
    now = time.time()
    good = profile.pair()

    def token() -> CheckResult:
        return only(profile.checker().run(), CheckId.TOKEN)

    store.save(key, TokenPair(good.access_token, good.refresh_token, now - 60, now + 30 * 86400))
    result = token()
    assert result.status is Status.OK
    assert "renewed at the next sync" in str(result.detail)

    store.save(key, TokenPair(good.access_token, good.refresh_token, now + 60, now + 3 * 86400))
    assert token().status is Status.WARNING  # about to lapse unless it syncs

    store.save(key, TokenPair(good.access_token, good.refresh_token, now - 60, now - 1))
    result = token()
    assert result.status is Status.FAILED
    assert "Connect the account again" in str(result.detail)

    store.delete(key)
    assert "No sign-in is stored" in str(token().detail)

    store.save(key, good)
    profile.services.registry.set_state(key, AccountState.RECONNECT_NEEDED)
    results = profile.checker().run()
    assert only(results, CheckId.TOKEN).status is Status.FAILED
    assert "no longer accepts" in str(only(results, CheckId.TOKEN).detail)
    # an account that must be connected again is not expected to sync
    assert only(results, CheckId.LAST_SYNC).status is Status.OK


def test_a_damaged_accounts_file_is_reported_by_the_checks_that_need_it(
        synced: Profile) -> None:
    synced.services.registry.path.write_text("{not json", encoding="utf-8")
    results = synced.checker().run()
    assert only(results, CheckId.TOKEN).status is Status.FAILED
    assert "damaged" in str(only(results, CheckId.TOKEN).detail)
    assert only(results, CheckId.LAST_SYNC).status is Status.FAILED
    assert only(results, CheckId.KEYRING).status is Status.OK
    assert only(results, CheckId.DATABASE).status is Status.OK


def test_allegro_out_of_reach_or_in_trouble(synced: Profile, tmp_path: Path) -> None:
    synced.emu.control("POST", "/faults", {"error_rate": 1.0})
    api = only(synced.checker().run(), CheckId.API)
    assert api.status is Status.WARNING
    assert "HTTP 5" in str(api.detail)
    synced.emu.control("DELETE", "/faults")

    # a port nobody listens on
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    nowhere = f"http://127.0.0.1:{free_port}"
    results = synced.checker(environment_keys=[nowhere]).run()
    apis = by_check(results)[CheckId.API]
    assert [r.status for r in apis] == [Status.FAILED, Status.OK]  # nowhere, the emulator
    assert "Cannot reach" in str(apis[0].detail)


def test_a_corrupt_database_fails_and_is_left_as_it_was(synced: Profile) -> None:
    garbage = b"this is not a database" * 1000
    synced.paths.database.write_bytes(garbage)
    results = synced.checker().run()
    database = only(results, CheckId.DATABASE)
    assert database.status is Status.FAILED
    assert "damaged" in str(database.detail)
    assert synced.paths.database.read_bytes() == garbage
    assert only(results, CheckId.LAST_SYNC).status is Status.WARNING  # unknown, not a crash


def test_a_damaged_page_fails_the_integrity_check(synced: Profile) -> None:
    """A SQLite file with the right header and schema whose index pages are scribbled over."""
    with synced.database() as database, database.write() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS filler(x)")
        connection.exec_driver_sql(
            "INSERT INTO filler SELECT randomblob(200) FROM "
            "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "SELECT i FROM n)")
        connection.exec_driver_sql("CREATE INDEX ix_filler ON filler(x)")
    raw = sqlite3.connect(synced.paths.database)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_filler'").fetchone()[0]
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with synced.database() as database:  # open already, as the window's is
        with synced.paths.database.open("r+b") as file:  # a bad page type at the index's root
            file.seek((root - 1) * page_size)
            file.write(b"\x0a\xff\xff\xff\xff")
        result = only(synced.checker(database=database).run(), CheckId.DATABASE)
        assert result.status is Status.FAILED
        assert "integrity check: " in str(result.detail)
        assert f"Page {root}" in str(result.detail)
    # opened afresh, it is refused by the app's own opening checks, with their message
    result = only(synced.checker().run(), CheckId.DATABASE)
    assert result.status is Status.FAILED
    assert "damaged" in str(result.detail)


def test_a_database_newer_than_the_app_fails_with_the_usual_message(synced: Profile) -> None:
    raw = sqlite3.connect(synced.paths.database)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    result = only(synced.checker().run(), CheckId.DATABASE)
    assert result.status is Status.FAILED
    assert "newer than this version" in str(result.detail)


def test_a_big_database_is_not_read_page_by_page(synced: Profile) -> None:
    result = only(synced.checker(quick_check_max_bytes=1024).run(), CheckId.DATABASE)
    assert result.status is Status.OK
    assert "skipped" in str(result.detail)
    assert "doctor --full" in str(result.detail)


def test_no_database_yet(profile: Profile) -> None:
    results = profile.checker().run()
    assert only(results, CheckId.DATABASE).status is Status.OK
    assert not profile.paths.database.exists()  # the checks did not create it
    assert only(results, CheckId.LAST_SYNC).status is Status.WARNING


@pytest.mark.parametrize(("free", "status"), [
    (50 * 1024**3, Status.OK), (800 * 1024**2, Status.WARNING), (100 * 1024**2, Status.FAILED)])
def test_free_disk_space(synced: Profile, monkeypatch: pytest.MonkeyPatch, free: int,
                         status: Status) -> None:
    real = health.shutil.disk_usage

    def usage(path: Any) -> Any:
        total, used, _free = real(path)
        return type(real(path))(total, used, free)

    monkeypatch.setattr(health.shutil, "disk_usage", usage)
    result = only(synced.checker().run(), CheckId.DISK)
    assert result.status is status
    assert str(synced.paths.data_dir) in str(result.detail)


def test_rate_limit_state(synced: Profile) -> None:
    governor = synced.services.governor
    assert only(synced.checker().run(), CheckId.RATE_LIMIT).status is Status.OK
    environment = synced.services.environment(synced.account.environment)
    governor.pause(environment.client_id, 60)
    result = only(synced.checker().run(), CheckId.RATE_LIMIT)
    assert result.status is Status.WARNING
    assert "paused until" in str(result.detail)

    with synced.database() as database:  # a process that did not see the 429 itself
        states = SyncStateRepository(database=database)
        run = states.start_run(account_key=synced.account.key, kind=RunKind.INCREMENTAL)
        states.finish_run(run, outcome=RunOutcome.FAILED, metrics=RunMetrics(rate_limited=2))
    result = only(synced.checker(governor=RequestGovernor()).run(), CheckId.RATE_LIMIT)
    assert result.status is Status.WARNING
    assert "429" in str(result.detail)


def test_a_stale_sync_warns(synced: Profile) -> None:
    with synced.database() as database:
        states = SyncStateRepository(database=database)
        state = states.get_sync_state(synced.account.key)
        from dataclasses import replace

        states.save_sync_state(replace(
            state, last_success_at=datetime.now(UTC) - timedelta(days=2),
            last_error="Could not reach Allegro.\nDetails"))
    result = only(synced.checker().run(), CheckId.LAST_SYNC)
    assert result.status is Status.WARNING
    assert "more than a day ago" in str(result.detail)
    assert "Could not reach Allegro." in str(result.detail)
    assert "Details" not in str(result.detail)


def test_records_kept_aside_are_counted_per_account_with_the_latest_reason(
        synced: Profile) -> None:
    """What Allegro sent that could not be stored: a warning per account, how many, the forms
    asked for again, the latest reason with its form id (and in the report, without the JSON,
    which holds buyers' data)."""
    other = "production|99999"
    with synced.database() as database:
        orders = OrderRepository(database=database)
        orders.apply_batch(account_key=synced.account.key, orders=[], events=[], cursor=None,
                           pending=[PendingForm("form-1", "unreadable")],
                           unreadable_records=[
                               UnreadableRecord(reason=UnreadableReason(
                                   kind=RecordKind.EVENT, record_id=None, field="id",
                                   problem=Text("is missing")), raw={"id": "x"}),
                               UnreadableRecord(reason=UnreadableReason(
                                   kind=RecordKind.FORM, record_id="form-1",
                                   field="summary.totalToPay.amount",
                                   problem=Text("is too large to store exactly: %1",
                                                "'1e20'")),
                                   form_id="form-1", raw={"id": "form-1", "buyer": "a@b.pl"})])
        orders.apply_batch(account_key=other, orders=[], events=[], cursor=None,
                           pending=[PendingForm("form-2", "failed")])
    results = by_check(synced.checker().run())[CheckId.KEPT_ASIDE]
    mine = next(r for r in results if r.subject == synced.account.login)
    assert mine.status is Status.WARNING
    assert "Kept aside: 2; orders asked for again at every sync: 1." in str(mine.detail)
    # The window translates the latest reason (`Text` arguments); in English:
    assert str(mine.detail).endswith(
        "Order form-1: the field summary.totalToPay.amount is too large to store exactly: "
        "'1e20'")
    failing = next(r for r in results if r.subject == other)  # no registered login: its key
    assert failing.status is Status.OK
    assert "Nothing kept aside" in str(failing.detail)
    with synced.database() as database:
        kept = OrderRepository(database=database).kept_aside()
    report = diagnostics_report(
        versions={}, paths={}, results=results, runs=[], log_lines=[],
        account_names={synced.account.key: synced.account.login}, kept_aside=kept)
    assert (f"{synced.account.login}: 2 kept aside, 1 forms asked for again" in report)
    # The report quotes the English line, as the log does.
    assert ("form form-1: checkout form form-1: summary.totalToPay.amount is too large to "
            "store exactly: '1e20'") in report
    assert "a@b.pl" not in report


def test_nothing_kept_aside_is_ok(synced: Profile) -> None:
    result = only(synced.checker().run(), CheckId.KEPT_ASIDE)
    assert result.status is Status.OK
    assert "None" in str(result.detail)


def test_the_report_holds_no_secret_and_no_buyer_data(synced: Profile) -> None:
    pair = synced.pair()
    secret = "s3cr3t-client-value"
    environments = [synced.services.environment(synced.account.environment)
                    .with_credentials("a-developers-app", secret)]
    hook = "https://hooks.slack.com/services/T0AAA/B0BBB/shortslacktoken12345"
    synced.services.store.save_webhook_secret("whsec-known-value")
    found = known_secrets(store=synced.services.store,
                          accounts=synced.services.registry.all(),
                          environments=environments, webhook_url=hook)
    assert pair.access_token in found
    assert pair.refresh_token in found
    results = synced.checker().run()
    with synced.database() as database:
        states = SyncStateRepository(database=database)
        run = states.start_run(account_key=synced.account.key, kind=RunKind.BACKFILL)
        states.finish_run(run, outcome=RunOutcome.SUCCEEDED,
                          metrics=RunMetrics(new=12, requests=30, retries=2, rate_limited=1))
        runs = states.runs(limit=20)
    log_lines = [
        f"2026-11-24 10:00:00,000 DEBUG x: sending Authorization: Bearer {pair.access_token}",
        f"2026-11-24 10:00:01,000 DEBUG x: body {{\"refresh_token\": \"{pair.refresh_token}\"}}",
        f"2026-11-24 10:00:03,000 INFO x: client secret {secret}",
        f"2026-11-24 10:00:03,500 DEBUG httpx: POST {hook.lower()} and whsec-known-value",
        "2026-11-24 10:00:04,000 INFO x: buyer jan.kowalski@example.pl, tel. +48 600 100 200",
        "2026-11-24 10:00:05,000 INFO x: order 29d2b3b0-67e1-11ee-8c99-0242ac120002 stored",
    ]
    report = diagnostics_report(
        versions={"Allegro Desktop": "0.1"}, paths={"database": str(synced.paths.database)},
        results=results, runs=runs, account_names={synced.account.key: synced.account.login},
        log_lines=log_lines, known=found)
    for value in (pair.access_token, pair.refresh_token, secret, "shortslacktoken12345",
                  "whsec-known-value", "jan.kowalski@example.pl", "600 100 200"):
        assert value not in report
    assert "<redacted>" in report
    assert "<e-mail>" in report
    assert "<phone>" in report
    assert "29d2b3b0-67e1-11ee-8c99-0242ac120002" in report  # order ids stay
    assert synced.account.login in report
    assert "| 12 | " in report  # the run's metrics, 429s included
    assert "| 30 | 2 | 1 |" in report
    assert "[OK  ] System keyring" in report


@pytest.mark.parametrize("text", [
    "Authorization: Bearer abc.def-ghi",
    "headers={'Authorization': 'Basic YWxsZWdyby1kZXNrdG9wLWRlbW86ZGVtby1zZWNyZXQ='}",
    'POST /auth/oauth/token data={"grant_type": "refresh_token", "refresh_token": "r-1a2b3c"}',
    "grant_type=device_code&device_code=Xy12Zq9&client_id=abc",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "client_secret=hunter22hunter",
    "webhook_secret: 'whsec-0001'",
    "X-Signature: sha256=9f86d081884c7d659a2feaa0c55ad015",
    "access_token='opaque-but-short'",
])
def test_redact_removes_secret_shapes(text: str) -> None:
    redacted = redact(text)
    assert "<redacted>" in redacted
    for secret in ("abc.def-ghi", "YWxsZWdy", "r-1a2b3c", "Xy12Zq9", "eyJhbGci", "hunter22",
                   "whsec-0001", "9f86d081", "opaque-but-short"):
        assert secret not in redacted


def test_redact_keeps_ordinary_text() -> None:
    text = ("sync of production|48213377: succeeded in 2.1 s (new 3, requests 12); GET "
            "/order/events?from=1234&limit=1000 -> 200; token pair saved; 2026-11-24 14:05")
    assert redact(text) == text
    assert mask_personal_data(text) == text
    assert redact("the token expires_in=43200") == "the token expires_in=43200"
