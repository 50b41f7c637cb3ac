"""Evidence files, served only through the permission check (/quan-tri/chi-so-cchc/tai-lieu/<id>/).

Files live in storage "evidence" (outside the web root; object storage is a setting)
and are read through Django's storage API. Whoever may see the unit's assessment
(``VIEW_ASSESSMENT``) may open its files; anyone else gets 404, as if the file did
not exist (unit B guessing unit A's file number learns nothing). PDF and images open
in the browser, other kinds download; the Content-Type comes from the kind the bytes
were checked to be, never from the name.
"""

from __future__ import annotations

from django.http import FileResponse
from django.urls import path

from cchc import access
from cchc.access import Action
from cchc.lib.downloads import content_disposition
from cchc.par.models import Evidence

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
INLINE_KINDS = frozenset({"pdf", "jpg", "png"})


def content_type(evidence: Evidence) -> str:
    if evidence.kind == "ole":
        return OLE_TYPES.get(evidence.ext, "application/octet-stream")
    return CONTENT_TYPES.get(evidence.kind, "application/octet-stream")


def evidence_file(request, pk: int):
    evidence = Evidence.objects.select_related("participation__unit").filter(pk=pk).first()
    if evidence is None or not access.can(
        request.user, Action.VIEW_ASSESSMENT, evidence.participation.unit
    ):
        raise access.not_found()
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise access.not_found() from None
    inline = evidence.kind in INLINE_KINDS
    response = FileResponse(handle, content_type=content_type(evidence))
    response["Content-Disposition"] = content_disposition(evidence.name, attachment=not inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("chi-so-cchc/tai-lieu/<int:pk>/", evidence_file, name="par_evidence_file"),
]
