"""Sign-in throttling: django-axes, counting in the cache, plus a per-address limit.

Axes locks the pair (username, client address) after LOGIN_FAILURE_LIMIT
failures, so guessing one account's password is slow, yet nobody can lock a
real user out from another address. Spreading guesses over many usernames
from one address is caught by a looser count per address
(LOGIN_ADDRESS_FAILURE_LIMIT: offices share one address behind NAT), which
axes cannot express, since its failure limit is one number for every key.

Counts live in the cache (Redis in production, shared by every worker), keyed
by hashes: no username or IP address is written to the database.
"""

from __future__ import annotations

import hashlib
import hmac

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_cache_timeout, get_failure_limit
from django.conf import settings


class LockoutHandler(AxesCacheHandler):
    def _address_key(self, request) -> str | None:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return None
        digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
        return f"axes-address-{digest.hexdigest()}"

    def _address_failures(self, request) -> int:
        key = self._address_key(request)
        return self.cache.get(key, 0) if key else 0

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self._address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # Set by AxesStandaloneBackend when it refused the attempt (locked
        # out already): such attempts are not counted again.
        denied = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        key = self._address_key(request) if request is not None else None
        if key is None or denied:
            return
        if self.is_whitelisted(request, credentials):
            return
        # A fixed window from the first failure: more failures do not extend it.
        if not self.cache.add(key, 1, timeout=get_cache_timeout(request)):
            try:
                self.cache.incr(key)
            except ValueError:  # expired between add and incr
                self.cache.add(key, 1, timeout=get_cache_timeout(request))
        if self._address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
