from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def admin_permission_denied(request):
    from django.shortcuts import render

    return render(request, "core/admin_403.html", status=403)


def permission_denied_view(request, exception=None):
    from django.shortcuts import render

    template = "core/admin_403.html" if request.path.startswith("/quan-tri/") else "403.html"
    return render(request, template, status=403)
