"""Shared test fixtures: a small cast of units and people in every role.

Every view test uses this cast: the role that may use a view, the officer of
another unit (404) and the read-only provincial leader (403).
"""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # tests see every change at once
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username: str, password: str = "mat-khau-thu-nghiem"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=f"{username}@example.vn",
        first_name=username,
    )
    user.raw_password = password
    return user


def build_cast():
    from cchc.core.site_tree import ensure_site_tree
    from cchc.org.models import CommuneKind, Role, Unit, UnitType
    from cchc.org.services import role_assign, unit_create

    ensure_site_tree()
    start = datetime.date(2025, 7, 1)

    def unit(name, code, slug, unit_type, kind="", parent=None):
        return unit_create(
            actor=None,
            unit=Unit(
                name=name,
                code=code,
                slug=slug,
                unit_type=unit_type,
                commune_kind=kind,
                parent=parent,
                active_from=start,
            ),
        )

    province = unit("Tỉnh An Giang", "AG", "tinh-an-giang", UnitType.PROVINCE)
    snv = unit("Sở Nội vụ", "SNV", "so-noi-vu", UnitType.DEPARTMENT, parent=province)
    stp = unit("Sở Tư pháp", "STP", "so-tu-phap", UnitType.DEPARTMENT, parent=province)
    unit_a = unit("Xã An Phú", "X005", "xa-an-phu", UnitType.COMMUNE, CommuneKind.XA, province)
    unit_b = unit(
        "Phường Long Xuyên",
        "P006",
        "phuong-long-xuyen",
        UnitType.COMMUNE,
        CommuneKind.PHUONG,
        province,
    )

    def person(username, role, where=None):
        user = make_user(username)
        role_assign(actor=None, user=user, role=role, unit=where)
        return user

    return SimpleNamespace(
        province=province,
        snv=snv,
        stp=stp,
        unit_a=unit_a,
        unit_b=unit_b,
        admin=person("quantri", Role.ADMIN),
        leader=person("lanhdaotinh", Role.PROVINCE_LEADER),
        appraiser=person("thamdinh", Role.APPRAISER, stp),
        officer_a=person("canbo.a", Role.CCHC_OFFICER, unit_a),
        unit_leader_a=person("lanhdao.a", Role.UNIT_LEADER, unit_a),
        editor_a=person("bientap.a", Role.NEWS_EDITOR, unit_a),
        approver_a=person("duyettin.a", Role.NEWS_APPROVER, unit_a),
        officer_b=person("canbo.b", Role.CCHC_OFFICER, unit_b),
        editor_b=person("bientap.b", Role.NEWS_EDITOR, unit_b),
        nobody=make_user("khongvaitro"),
    )


@pytest.fixture
def cast(db):
    return build_cast()


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
