"""Remove Wagtail's default groups "Moderators" and "Editors".

Wagtail creates them with page rights over the whole tree and image and
document rights over every collection. In CCHC page, image and document
rights come only from roles (cchc.news.services gives each newsroom its own
groups), so a user put in one of these groups could publish or unpublish any
unit's articles. The reverse recreates them as Wagtail sets them up.
"""

from django.db import migrations

DEFAULT_GROUPS = {
    "Moderators": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    "Editors": ("add_page", "change_page", "lock_page"),
}
MEDIA = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
)


def remove_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # Cascades to their page and collection permissions and memberships.
    Group.objects.filter(name__in=DEFAULT_GROUPS).delete()


def restore_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for name, page_codenames in DEFAULT_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if access:
            group.permissions.add(access)
        if root_page:
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=page_codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if root_collection:
            for app_label, codename in MEDIA:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_delete_loginfailure"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(remove_default_groups, restore_default_groups)]
