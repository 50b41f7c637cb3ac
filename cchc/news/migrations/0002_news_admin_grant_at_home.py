"""The province-wide news administrators' grants move to the home page.

One page permission row per unit made Wagtail's page queries grow with the
province (SQLite: "Expression tree is too large"). Forward: the group's rows
on each section become the same rows on the home page, and its rows on each
newsroom collection become rows on the root collection. Reverse: back to one
row per section and newsroom collection.
"""

from django.db import migrations

GROUP = "Quản trị tin CCHC toàn tỉnh"
PAGE_CODENAMES = (
    "add_page",
    "change_page",
    "lock_page",
    "publish_page",
    "unlock_page",
    "bulk_delete_page",
)
MEDIA_CODENAMES = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _context(apps):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    home = apps.get_model("core", "HomePage").objects.first()
    root = apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()
    Permission = apps.get_model("auth", "Permission")
    page_perms = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_CODENAMES
        )
    )
    media_perms = [
        p
        for app, codename in MEDIA_CODENAMES
        for p in Permission.objects.filter(content_type__app_label=app, codename=codename)
    ]
    return group, home, root, page_perms, media_perms


def forwards(apps, schema_editor):
    group, home, root, page_perms, media_perms = _context(apps)
    if group is None or home is None or root is None:
        return  # a new database: newsroom_ensure grants at the home page
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page_id=home.pk, permission=p) for p in page_perms],
        ignore_conflicts=True,
    )
    GroupPagePermission.objects.filter(group=group).exclude(page_id=home.pk).delete()
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group=group, collection=root, permission=p)
            for p in media_perms
        ],
        ignore_conflicts=True,
    )
    GroupCollectionPermission.objects.filter(group=group).exclude(collection=root).delete()


def backwards(apps, schema_editor):
    group, home, root, page_perms, media_perms = _context(apps)
    if group is None or home is None or root is None:
        return
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    sections = apps.get_model("news", "SectionPage").objects.values_list("pk", flat=True)
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page_id=section, permission=p)
            for section in sections
            for p in page_perms
        ],
        ignore_conflicts=True,
    )
    GroupPagePermission.objects.filter(group=group, page_id=home.pk).delete()
    collections = apps.get_model("news", "Newsroom").objects.values_list("collection_id", flat=True)
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group=group, collection_id=collection, permission=p)
            for collection in collections
            for p in media_perms
        ],
        ignore_conflicts=True,
    )
    GroupCollectionPermission.objects.filter(group=group, collection=root).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0002_initial"),
        ("news", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
