"""The one way to write an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models

from cchc.core.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    summary: str,
    unit=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        unit=unit,
        summary=summary[:300],
        data=data or {},
    )
