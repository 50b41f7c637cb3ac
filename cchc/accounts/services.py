"""Every change to a user account or a Django group goes through here.

The back office's user and group screens (cchc.accounts.user_admin) call
these functions, so each change is one transaction with one audit entry that
says who changed what, from what, to what. Passwords are never written to
the log, only the fact that one was set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cchc.core.audit import audit_record

# What the log keeps of a user: every field that is an identity, a credential
# or a right (the password only as "changed or not").
USER_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "is_superuser",
    "is_staff",
)


def user_snapshot(user) -> dict[str, Any]:
    data: dict[str, Any] = {field: getattr(user, field) for field in USER_FIELDS}
    data["groups"] = sorted(user.groups.values_list("name", flat=True)) if user.pk else []
    data["user_permissions"] = (
        sorted(user.user_permissions.values_list("codename", flat=True)) if user.pk else []
    )
    return data


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}


@transaction.atomic
def user_create(*, actor, form) -> Any:
    """Save a validated user creation form and log the new account."""
    user = form.save()
    after = user_snapshot(user)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        summary=f"Tạo tài khoản {user.get_username()}",
        data={"after": after, "password_set": user.has_usable_password()},
    )
    return user


@transaction.atomic
def user_update(*, actor, form, before: dict[str, Any], password_hash: str) -> Any:
    """Save a validated user edit form; log what changed (before, after)."""
    user = form.save()
    user_record_change(actor=actor, user=user, before=before, password_hash=password_hash)
    return user


def user_record_change(*, actor, user, before: dict[str, Any], password_hash: str) -> None:
    """Log a saved change to `user` against its snapshot and password hash from
    before; also for the changes Wagtail's own account and reset screens save."""
    changes = _changes(before, user_snapshot(user))
    password_set = user.password != password_hash
    if not changes and not password_set:
        return
    if changes.get("is_active") == [True, False]:
        action, what = "user.deactivate", "Khóa tài khoản"
    elif password_set and not changes:
        action, what = "user.set_password", "Đặt mật khẩu mới cho tài khoản"
    else:
        action, what = "user.update", "Sửa tài khoản"
    extra = " (đặt mật khẩu mới)" if password_set and action != "user.set_password" else ""
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        summary=f"{what} {user.get_username()}{extra}",
        data={
            "before": {key: old for key, (old, _) in changes.items()},
            "after": {key: new for key, (_, new) in changes.items()},
            "password_set": password_set,
        },
    )


@transaction.atomic
def user_delete(*, actor, user) -> None:
    before = user_snapshot(user)
    audit_record(
        actor=actor,
        action="user.delete",
        obj=user,
        summary=f"Xóa tài khoản {user.get_username()}",
        data={"before": before},
    )
    user.delete()


@transaction.atomic
def users_set_active(*, actor, users: Iterable, active: bool) -> int:
    changed = 0
    for user in users:
        if user.is_active == active:
            continue
        user.is_active = active
        user.save(update_fields=["is_active"])
        changed += 1
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            obj=user,
            summary=f"{'Mở khóa' if active else 'Khóa'} tài khoản {user.get_username()}",
            data={"before": {"is_active": not active}, "after": {"is_active": active}},
        )
    return changed


@transaction.atomic
def users_add_to_group(*, actor, users: Iterable, group: Group) -> int:
    added = 0
    for user in users:
        if user.groups.filter(pk=group.pk).exists():
            continue
        before = sorted(user.groups.values_list("name", flat=True))
        user.groups.add(group)
        added += 1
        audit_record(
            actor=actor,
            action="user.update",
            obj=user,
            summary=f"Thêm tài khoản {user.get_username()} vào nhóm {group.name}",
            data={"before": {"groups": before}, "after": {"groups": sorted([*before, group.name])}},
        )
    return added


def group_snapshot(group: Group) -> dict[str, Any]:
    if not group.pk:
        return {}
    return {
        "name": group.name,
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
        "page_permissions": sorted(
            f"{page}:{codename}"
            for page, codename in GroupPagePermission.objects.filter(group=group).values_list(
                "page_id", "permission__codename"
            )
        ),
        "collection_permissions": sorted(
            f"{collection}:{codename}"
            for collection, codename in GroupCollectionPermission.objects.filter(
                group=group
            ).values_list("collection_id", "permission__codename")
        ),
    }


def group_record_change(*, actor, group: Group, before: dict[str, Any]) -> None:
    """Log a group created or edited by Wagtail's group screen (which saves
    the group and its permission panels in separate steps)."""
    after = group_snapshot(group)
    changes = _changes(before, after)
    if not changes:
        return
    audit_record(
        actor=actor,
        action="group.update" if before else "group.create",
        obj=group,
        summary=f"{'Sửa' if before else 'Tạo'} nhóm quyền {group.name}",
        data={
            "before": {key: old for key, (old, _) in changes.items()},
            "after": {key: new for key, (_, new) in changes.items()},
        },
    )


@transaction.atomic
def group_delete(*, actor, group: Group) -> None:
    audit_record(
        actor=actor,
        action="group.delete",
        obj=group,
        summary=f"Xóa nhóm quyền {group.name}",
        data={"before": group_snapshot(group)},
    )
    group.delete()
