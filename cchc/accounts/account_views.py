"""Wagtail's own account screens, logged like every other change of a user.

A user changes their own name, e-mail and password at /quan-tri/account/,
and sets a new password through the reset link; Wagtail saves both without
telling anyone, so these subclasses record the change in the audit log
(cchc.accounts.services). Routed in cchc/urls.py before Wagtail's URLs.
"""

from wagtail.admin.views import account

from cchc.accounts import services


class AccountView(account.AccountView):
    def post(self, request):
        user = request.user
        before, password_hash = services.user_snapshot(user), user.password
        response = super().post(request)
        if response.status_code == 302:
            services.user_record_change(
                actor=user, user=user, before=before, password_hash=password_hash
            )
        return response


class PasswordResetConfirmView(account.PasswordResetConfirmView):
    def form_valid(self, form):
        before, password_hash = services.user_snapshot(self.user), self.user.password
        response = super().form_valid(form)
        services.user_record_change(
            actor=self.user, user=self.user, before=before, password_hash=password_hash
        )
        return response
