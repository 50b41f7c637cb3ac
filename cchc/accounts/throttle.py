"""Sign-in throttling, shared by every worker through the database.

Counted per account and per client (salted hashes), with conditional
updates that behave the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts.models import LoginFailure


def _digest(kind: str, value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def keys_for(username: str | None, request) -> list[str]:
    keys = []
    if username:
        keys.append(_digest("user", username.strip().lower()))
    client = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    if client:
        keys.append(_digest("client", client))
    return keys


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(keys: list[str]) -> bool:
    since = timezone.now() - _window()
    limit = settings.LOGIN_FAILURE_LIMIT
    # A client address gets more room than one account: offices share NAT.
    for key in keys:
        row = LoginFailure.objects.filter(key=key, window_start__gte=since).first()
        if row and row.failures >= limit * (4 if key == keys[-1] and len(keys) > 1 else 1):
            return True
    return False


def record_failure(keys: list[str]) -> None:
    now = timezone.now()
    since = now - _window()
    for key in keys:
        # Reset a stale window first, then count atomically with F().
        LoginFailure.objects.filter(key=key, window_start__lt=since).update(
            failures=0, window_start=now
        )
        if not LoginFailure.objects.filter(key=key).update(failures=F("failures") + 1):
            try:
                with transaction.atomic():
                    LoginFailure.objects.create(key=key, failures=1, window_start=now)
            except IntegrityError:
                LoginFailure.objects.filter(key=key).update(failures=F("failures") + 1)


def clear(keys: list[str]) -> None:
    LoginFailure.objects.filter(key__in=keys[:1]).delete()
