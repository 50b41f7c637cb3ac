from django.shortcuts import redirect, render
from django.urls import reverse
from wagtail.admin.views.account import LoginView as WagtailLoginView

from cchc import access
from cchc.org.models import Role


class LoginView(WagtailLoginView):
    def get_success_url(self):
        # Wagtail's form always posts next=<dashboard>; only a deeper page the
        # user was sent away from is worth returning to.
        target = self.get_redirect_url()
        if not target or target == reverse("wagtailadmin_home"):
            return reverse("cchc_landing")
        return target


def landing(request):
    """What the signed-in user can do now: their units and roles."""
    user = request.user
    units = access.user_units(user)
    if len(units) == 1 and not access.is_province_wide(user):
        return redirect("cchc_unit_workspace", slug=units[0].slug)
    province_roles = sorted(
        {
            Role(a.role).label
            for a in access.assignments(user)
            if a.unit_id is None or a.role == Role.APPRAISER
        }
    )
    return render(
        request,
        "accounts/landing.html",
        {
            "units": units,
            "province_roles": province_roles,
            "assignments": access.assignments(user),
            "can_manage_org": access.can(user, access.Action.MANAGE_ORG),
            "can_view_org": access.can(user, access.Action.VIEW_ORG),
            "can_view_audit": access.can(user, access.Action.VIEW_AUDIT),
        },
    )
