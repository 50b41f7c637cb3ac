"""The beacon answers before the session, user, CSP and page-cache middleware."""

import pytest

from cchc.stats.models import DailyCount

from .conftest import TARGET

pytestmark = pytest.mark.django_db


def test_the_beacon_is_answered_without_the_session_or_user_middleware(send, monkeypatch):
    from django.contrib.sessions import middleware as sessions

    def no_session(*args, **kwargs):
        raise AssertionError("the beacon must not reach the session middleware")

    monkeypatch.setattr(sessions.SessionMiddleware, "process_request", no_session)
    response = send(TARGET)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"  # the security middleware ran
    assert DailyCount.objects.filter(unit_id=0).get().views == 1


def test_other_requests_still_pass_through_every_middleware(client):
    response = client.get("/cchc/")
    assert "Content-Security-Policy" in response
