"""Shared test fixtures: the real province, built once per session, and its cast.

The test database holds the whole province of `load_units` (116 units with
their sections, topics, groups and workflows), the demo accounts of
`load_demo` and two people the demo lacks (an editor of unit B, a user with
no role). It is built once per session (once per pytest-xdist worker); every
test runs in a transaction rolled back at its end, and a transactional test
(browser, live server) gets the world restored after its flush.

Every view test uses the `cast`: the role that may use a view, the officer of
another unit (404) and the read-only provincial leader (403).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
TEST_PASSWORD = "mat-khau-thu-nghiem"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The cast: attribute -> unit slug, or username of a demo account.
CAST_UNITS = {
    "province": "tinh-an-giang",
    "snv": "so-noi-vu",
    "stp": "so-tu-phap",
    "unit_a": "xa-an-phu",
    "unit_b": "phuong-long-xuyen",
}
CAST_PEOPLE = {
    "admin": "quantri",
    "leader": "lanhdaotinh",
    "appraiser": "thamdinh.stp",
    "officer_a": "canbo.anphu",
    "unit_leader_a": "lanhdao.anphu",
    "editor_a": "bientap.anphu",
    "approver_a": "duyettin.anphu",
    "officer_b": "canbo.longxuyen",
    "editor_b": "bientap.longxuyen",
    "nobody": "khongvaitro",
}


def _extra_accounts():
    """People the cast needs that the demo accounts lack."""
    from cchc.org.models import Role

    return [
        ("bientap.longxuyen", "Trương Thị Tập", Role.NEWS_EDITOR, "phuong-long-xuyen"),
        ("khongvaitro", "Lý Văn Không", None, None),
    ]


def build_world() -> None:
    """The real province: every unit, the demo accounts and the cast's extra people."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    from cchc.org.demo import DEMO_ACCOUNTS, demo_accounts_load

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
        demo_accounts_load(accounts=DEMO_ACCOUNTS + _extra_accounts(), password=TEST_PASSWORD)


# A copy of every table after the world is built, to restore it after a
# transactional test flushes the database (far faster than serialized rollback,
# which saves ten thousand rows one by one).
_SNAPSHOTS: dict[str, dict[str, tuple[list[str], list[tuple]]]] = {}
_BLOCKER: list = []


def _world_tables(connection) -> dict[str, list[str]]:
    """table -> columns, for every table the flush empties."""
    existing = set(connection.introspection.django_table_names(only_existing=True))
    tables: dict[str, list[str]] = {}
    for model in connection.introspection.get_migratable_models():
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        through = [
            f.remote_field.through
            for f in meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
        for m in [model, *through]:
            if m._meta.db_table in existing:
                tables[m._meta.db_table] = [f.column for f in m._meta.local_concrete_fields]
    return tables


def _snapshot(connection) -> dict[str, tuple[list[str], list[tuple]]]:
    qn = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for table, columns in _world_tables(connection).items():
            # Identifiers come from the model registry, quoted.
            cursor.execute(f"SELECT {', '.join(map(qn, columns))} FROM {qn(table)}")  # noqa: S608
            snapshot[table] = (columns, cursor.fetchall())
    return snapshot


def _restore(connection, snapshot) -> None:
    from django.core.management.color import no_style
    from django.db import transaction

    qn = connection.ops.quote_name
    with connection.constraint_checks_disabled(), transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), list(snapshot), allow_cascade=True):
                cursor.execute(sql)
            for table, (columns, rows) in snapshot.items():
                if rows:
                    names = ", ".join(map(qn, columns))
                    marks = ", ".join(["%s"] * len(columns))
                    sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
                    # Triggers (Wagtail's SQLite search index) may have filled it already.
                    cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
                    cursor.executemany(sql, rows)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """PostgreSQL test connections commit without waiting for the disk.

    A commit waited ~7 ms for fsync here, against 0.2 ms for a query: the
    migrations, the world and every transactional test commit thousands of
    times. A crash loses only the throwaway test database; the settings of
    every other environment are untouched.
    """
    from django.db import connections

    for alias in connections:
        settings_dict = connections[alias].settings_dict
        if settings_dict["ENGINE"] == "django.db.backends.postgresql":
            options = settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After pytest-django creates the test database: the real province, once."""
    from django.db import connection

    with django_db_blocker.unblock():
        build_world()
        _SNAPSHOTS[connection.alias] = _snapshot(connection)
    # Serialized rollback would reload the rows of before the world (Wagtail's
    # welcome page and its site); the teardown hook below restores the world.
    if hasattr(connection, "_test_serialized_contents"):
        del connection._test_serialized_contents
    _BLOCKER.append(django_db_blocker)
    yield
    _BLOCKER.clear()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """A module's data written in its own open transaction is checked once, when built.

    Every test's end checks the foreign keys (SET CONSTRAINTS ALL IMMEDIATE)
    inside the test's savepoint; PostgreSQL then re-checks every row still
    pending in the enclosing transaction, and the savepoint's rollback marks
    them pending again. The crawl's demo province cost a second per test so.
    Checked here, at the level of the module's transaction, they are done for
    good, and each test's end checks only the test's own rows.
    """
    result = yield
    if fixturedef.scope != "function" and _BLOCKER:
        from django.db import connection

        if (
            connection.vendor == "postgresql"
            and connection.connection is not None
            and connection.in_atomic_block
            and not connection.needs_rollback
        ):
            with _BLOCKER[0].unblock():
                connection.check_constraints()
    return result


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test flushed the database: put the world back."""
    result = yield
    if nextitem is not None and _BLOCKER and _is_transactional(item):
        from django.db import connection

        with _BLOCKER[0].unblock():
            _restore(connection, _SNAPSHOTS[connection.alias])
    return result


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    from django.core.cache import cache

    # Every test's database starts at the same site version (cchc/core/site_version.py),
    # so what an earlier test kept under a version would read as this test's.
    cache.clear()
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # tests see every change at once
    settings.STATS_WRITE_BEHIND_SECONDS = 0  # beacons counted at once, in the test's transaction
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": None},
        },
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "reports"), "base_url": None},
        },
    }


def make_user(username: str, password: str = TEST_PASSWORD):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=f"{username}@example.vn",
        first_name=username,
    )
    user.raw_password = password
    return user


def add_communes(count: int) -> None:
    """Add `count` communes through the real service (a section, topics, groups
    each): for proving that a page's queries do not grow with the units."""
    from cchc.org.models import CommuneKind, Unit, UnitType
    from cchc.org.services import unit_create

    province = Unit.objects.get(unit_type=UnitType.PROVINCE)
    start = Unit.objects.count()
    for n in range(start, start + count):
        unit_create(
            actor=None,
            unit=Unit(
                name=f"Xã Thử Nghiệm {n}",
                code=f"XT{n:04d}",
                slug=f"xa-thu-nghiem-{n}",
                unit_type=UnitType.COMMUNE,
                commune_kind=CommuneKind.XA,
                parent=province,
                active_from=province.active_from,
            ),
        )


def get_cast() -> SimpleNamespace:
    """The cast's units and people: rows of the session's world, fetched afresh."""
    from django.contrib.auth import get_user_model

    from cchc.org.models import Unit

    units = Unit.objects.in_bulk(CAST_UNITS.values(), field_name="slug")
    users = get_user_model().objects.in_bulk(CAST_PEOPLE.values(), field_name="username")
    for user in users.values():
        user.raw_password = TEST_PASSWORD
    return SimpleNamespace(
        **{name: units[slug] for name, slug in CAST_UNITS.items()},
        **{name: users[username] for name, username in CAST_PEOPLE.items()},
    )


@pytest.fixture
def cast(db):
    return get_cast()


@pytest.fixture
def client_as(client):
    """client_as(user) -> a test client signed in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


# Browser tests -------------------------------------------------------------


def _chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves test-artifacts/<name>.png and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(tab, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may skip: a skipped browser test hides a broken install."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is a failure: {report.longrepr}"
