"""The audit log's one list of actions: declared once, labelled in Vietnamese, refused otherwise."""

import importlib
import re

import pytest
from django.apps import apps

from cchc.core.audit import AuditAction, audit_record
from cchc.core.models import AuditEntry

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cchc.core.migrations.0005_audit_action_names")


def test_an_undeclared_action_is_refused_and_nothing_is_stored(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError, match="par.criteria_set.freeze"):
        audit_record(
            actor=cast.admin, action="par.criteria_set.freeze", obj=cast.unit_a, summary="x"
        )
    assert AuditEntry.objects.count() == before


def test_a_declared_action_is_stored_with_its_label(cast):
    entry = audit_record(
        actor=cast.admin, action=AuditAction.UNIT_RETIRE, obj=cast.unit_a, summary="x"
    )
    entry.refresh_from_db()
    assert entry.action == "unit.retire"
    assert entry.action_label == "Ngừng hoạt động đơn vị"


def test_every_action_is_object_dot_verb_with_a_vietnamese_label():
    labels = [label for _, label in AuditAction.choices]
    assert len(set(labels)) == len(labels)
    for value, label in AuditAction.choices:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", value), value
        assert label and label != value and label[0].isupper(), value


def test_the_world_logs_only_declared_actions(cast):
    stored = set(AuditEntry.objects.values_list("action", flat=True))
    assert stored and stored <= set(AuditAction.values)


def test_the_migration_maps_the_old_names_and_back(cast):
    assert set(migration.RENAMED.values()) <= set(AuditAction.values)
    assert not set(migration.RENAMED) & set(AuditAction.values)
    old = {
        name: AuditEntry.objects.create(action=name, object_type="x", object_id="1", summary="x")
        for name in migration.RENAMED
    }
    kept = AuditEntry.objects.create(
        action="unit.merge", object_type="x", object_id="1", summary="x"
    )

    migration.forwards(apps, None)
    for name, entry in old.items():
        entry.refresh_from_db()
        assert entry.action == migration.RENAMED[name]
    assert AuditEntry.objects.get(pk=kept.pk).action == "unit.merge"
    assert AuditEntry.objects.get(pk=old["news.section_create"].pk).action == "news_section.create"

    migration.backwards(apps, None)
    for name, entry in old.items():
        entry.refresh_from_db()
        assert entry.action == name
    assert AuditEntry.objects.get(pk=kept.pk).action == "unit.merge"
