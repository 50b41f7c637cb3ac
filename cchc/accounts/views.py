import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from wagtail.admin.views.account import LoginView as WagtailLoginView
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView

from cchc.accounts import worklist
from cchc.accounts.backends import LOCKED_MESSAGE
from cchc.lib.client_ip import client_ip

# Password-reset mails per client address and per e-mail address, per hour.
RESET_MAILS_PER_ADDRESS = 5
RESET_MAILS_PER_ACCOUNT = 3
RESET_WINDOW_SECONDS = 3600


class LoginView(WagtailLoginView):
    def get_success_url(self):
        # Wagtail's form always posts next=<dashboard>; only a deeper page the
        # user was sent away from is worth returning to.
        target = self.get_redirect_url()
        if not target or target == reverse("wagtailadmin_home"):
            return reverse("cchc_landing")
        return target


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a refused sign-in (AXES_LOCKOUT_CALLABLE): the
    sign-in page with the lockout message (cchc.accounts.forms), as 429."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    message = LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


def _hit(kind: str, value: str, limit: int) -> bool:
    """Count one use within the window; whether it is still within `limit`."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    key = f"reset:{kind}:{digest.hexdigest()}"
    if cache.add(key, 1, timeout=RESET_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired in between: a new window
        cache.add(key, 1, timeout=RESET_WINDOW_SECONDS)
        return True


class PasswordResetView(WagtailPasswordResetView):
    """Wagtail's reset form, with mails capped per client address and per
    e-mail address. Over the cap the visitor sees the same "sent" page, so
    the answer never tells whether an account exists."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # Both counters move on every request, so neither can be probed.
        by_address = _hit("address", client_ip(self.request), RESET_MAILS_PER_ADDRESS)
        by_account = _hit("account", email, RESET_MAILS_PER_ACCOUNT)
        if by_address and by_account:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def landing(request):
    """What the signed-in user can do now: articles waiting for them, their units and roles."""
    unit = worklist.landing_target(request.user)
    if unit is not None:
        return redirect("cchc_unit_workspace", slug=unit.slug)
    return render(request, "accounts/landing.html", worklist.landing_context(request.user))
