from django.core.paginator import Paginator
from django.shortcuts import render

from cchc import access
from cchc.access import Action
from cchc.accounts.worklist import offered_actions
from cchc.core.audit import AuditAction
from cchc.core.models import AuditEntry
from cchc.org.models import Role, RoleAssignment
from cchc.org.selectors import unit_get_for_user


def unit_workspace(request, slug):
    """A unit's page in the back office: who works there and what you can do."""
    unit = unit_get_for_user(request.user, slug, action=Action.VIEW_WORKSPACE)
    members = (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
    my_roles = sorted(
        {Role(a.role).label for a in access.assignments(request.user) if a.unit_id == unit.pk}
    )
    return render(
        request,
        "org/unit_workspace.html",
        {
            "unit": unit,
            "members": members,
            "my_roles": my_roles,
            "actions": offered_actions(request.user, unit),
            "predecessors": unit.predecessors(),
            "successors": unit.successors(),
            "history": AuditEntry.objects.filter(unit=unit).select_related("actor")[:20],
        },
    )


def audit_log(request):
    access.require(request.user, Action.VIEW_AUDIT)
    entries = AuditEntry.objects.select_related("actor", "unit")
    action = request.GET.get("thao-tac", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    else:
        action = ""
    # one unit's changes (?don-vi=<slug>) or one object's (?doi-tuong=par.entry:12)
    unit_slug = request.GET.get("don-vi", "")
    if unit_slug:
        entries = entries.filter(unit__slug=unit_slug)
    target = request.GET.get("doi-tuong", "")
    if target.count(":") == 1:
        object_type, object_id = target.split(":")
        entries = entries.filter(object_type=object_type, object_id=object_id)
    else:
        target = ""
    kept = request.GET.copy()
    kept.pop("p", None)
    page = Paginator(entries, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "org/audit_log.html",
        {
            "page_obj": page,
            "actions": AuditAction.choices,
            "action": action,
            "unit_slug": unit_slug,
            "target": target,
            "query": kept.urlencode() + "&" if kept else "",
        },
    )
