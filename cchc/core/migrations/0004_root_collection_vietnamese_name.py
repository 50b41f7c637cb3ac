"""Wagtail's migration names the root collection "Root"; the media screens show it."""

from django.db import migrations

ROOT_NAME = "Thư viện chung"


def forwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name="Root").update(
        name=ROOT_NAME
    )


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name=ROOT_NAME).update(
        name="Root"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_home_intro_only_what_works"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
