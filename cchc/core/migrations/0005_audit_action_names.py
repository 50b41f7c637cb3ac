"""Audit actions get one naming convention, ``<object>.<verb>`` (cchc.core.audit.AuditAction)."""

from django.db import migrations

# old name -> new name; every other stored action already follows the convention.
RENAMED = {
    "news.section_create": "news_section.create",
    "par.criteria_set.import": "criteria_set.import",
    "par.criteria_set.replace": "criteria_set.replace",
    "par.criteria_set.clone": "criteria_set.clone",
    "par.criteria_set.freeze": "criteria_set.freeze",
    "par.criteria_set.revise": "criteria_set.revise",
    "user.password_set": "user.set_password",
}


def _rename(apps, mapping):
    entries = apps.get_model("core", "AuditEntry").objects
    for old, new in mapping.items():
        entries.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_root_collection_vietnamese_name")]

    operations = [migrations.RunPython(forwards, backwards)]
