"""Wagtail's users app, with the user and group screens of cchc.accounts.

Listed in INSTALLED_APPS in place of "wagtail.users"; Wagtail documents
this as the way to replace its user viewset. Kept apart from apps.py, which
Django would otherwise take for cchc.accounts' own configuration.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    user_viewset = "cchc.accounts.user_admin.UserViewSet"
    group_viewset = "cchc.accounts.user_admin.GroupViewSet"
