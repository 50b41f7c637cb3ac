"""Wagtail's user and group screens, held to the rights of the person using them.

Wagtail lets anyone with `auth.change_user` (the Sở Nội vụ administrator's
role grants it) tick "Administrator" and put users in any group, and edit a
superuser's password and e-mail. Here:

- only a superuser may grant superuser status, group membership or any other
  right; for everyone else those fields are not on the form, and a request
  that sends them anyway is refused with a form error;
- only a superuser may edit, deactivate or delete a superuser (403);
- groups are managed by the roles (cchc.news.services.newsroom_sync_user),
  so the bulk "assign role" (group) action is for superusers only;
- every change goes through cchc.accounts.services, which writes the audit log.

Registered through `cchc.accounts.users_app.UsersConfig`, which replaces
`wagtail.users` in INSTALLED_APPS.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import groups as wagtail_groups
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from cchc.accounts import services

# Rights a user form could hand out; only a superuser may send any of them.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
PRIVILEGE_REFUSED = (
    "Chỉ quản trị hệ thống mới được cấp quyền quản trị hệ thống, nhóm quyền hay quyền riêng. "
    "Vai trò của người dùng được giao tại Tổ chức → Phân quyền."
)
SUPERUSER_REFUSED = "Chỉ quản trị hệ thống mới được sửa tài khoản quản trị hệ thống."


def may_manage(actor, target) -> bool:
    """May `actor` change `target`'s account at all? Superusers are theirs alone."""
    return bool(actor.is_superuser) or not target.is_superuser


class GuardedUserFormMixin:
    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Family name first, as Vietnamese names are written.
        self.fields["last_name"].label = "Họ và tên đệm"
        self.fields["first_name"].label = "Tên"
        if not self.actor_is_superuser:
            for name in PRIVILEGE_FIELDS:
                self.fields.pop(name, None)

    @property
    def actor_is_superuser(self) -> bool:
        return bool(getattr(self.actor, "is_superuser", False))

    def clean(self):
        cleaned = super().clean()
        if not self.actor_is_superuser:
            if any(name in self.data for name in PRIVILEGE_FIELDS):
                raise forms.ValidationError(PRIVILEGE_REFUSED, code="privilege")
            if self.instance.pk and self.instance.is_superuser:
                raise forms.ValidationError(SUPERUSER_REFUSED, code="superuser")
        return cleaned


class CchcUserCreationForm(GuardedUserFormMixin, UserCreationForm):
    pass


class CchcUserEditForm(GuardedUserFormMixin, UserEditForm):
    pass


class ActorFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_assignments_url"] = reverse("wagtailsnippets_org_roleassignment:list")
        return context


class UserIndexView(wagtail_users.IndexView):
    def get_edit_url(self, instance):
        if may_manage(self.request.user, instance):
            return super().get_edit_url(instance)
        return None


class UserCreateView(ActorFormMixin, wagtail_users.CreateView):
    def save_instance(self):
        return services.user_create(actor=self.request.user, form=self.form)


class UserEditView(ActorFormMixin, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Before the form binds: it writes the posted values onto self.object.
        self.before = services.user_snapshot(self.object)
        self.password_hash = self.object.password

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user, self.object):
            raise PermissionDenied(SUPERUSER_REFUSED)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        user = services.user_update(
            actor=self.request.user,
            form=self.form,
            before=self.before,
            password_hash=self.password_hash,
        )
        if user == self.request.user and "password1" in self.form.changed_data:
            wagtail_users.update_session_auth_hash(self.request, user)
        return user


class UserDeleteView(wagtail_users.DeleteView):
    def delete_action(self):
        services.user_delete(actor=self.request.user, user=self.object)


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    create_template_name = "accounts/user_create.html"
    edit_template_name = "accounts/user_edit.html"

    def get_form_class(self, for_update=False):
        return CchcUserEditForm if for_update else CchcUserCreationForm


# Groups (superusers only: no role grants auth.*_group) -----------------------


class GroupAuditMixin:
    def process_form(self):
        before = services.group_snapshot(self.object) if self.object.pk else {}
        response = super().process_form()
        if self.object.pk and response.status_code in (301, 302):
            services.group_record_change(actor=self.request.user, group=self.object, before=before)
        return response


class GroupCreateView(GroupAuditMixin, wagtail_groups.CreateView):
    pass


class GroupEditView(GroupAuditMixin, wagtail_groups.EditView):
    pass


class GroupDeleteView(wagtail_groups.DeleteView):
    def delete_action(self):
        services.group_delete(actor=self.request.user, group=self.object)


class GroupViewSet(wagtail_groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView


# Bulk actions on the user list (registered in wagtail_hooks.py) -------------


class CchcAssignRoleBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj):
        return bool(self.request.user.is_superuser)

    def get_execution_context(self):
        return {**super().get_execution_context(), "actor": self.request.user}

    @classmethod
    def execute_action(cls, objects, role=None, actor=None, **kwargs):
        if role is None:
            return 0, 0
        return services.users_add_to_group(actor=actor, users=objects, group=role), 0


class CchcSetActiveStateBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and may_manage(self.request.user, obj)

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, user=None, **kwargs):
        objects = [obj for obj in objects if user is None or obj.pk != user.pk]
        return services.users_set_active(actor=user, users=objects, active=mark_as_active), 0


class CchcDeleteBulkAction(DeleteBulkAction):
    def get_execution_context(self):
        return {**super().get_execution_context(), "actor": self.request.user}

    @classmethod
    def execute_action(cls, objects, model=None, actor=None, **kwargs):
        for user in objects:
            services.user_delete(actor=actor, user=user)
        return len(objects), 0
