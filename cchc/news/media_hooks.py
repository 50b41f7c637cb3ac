"""Wagtail hooks that keep images and documents to the units they belong to (media.py)."""

from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cchc.news import media

# The admin API's image thumbnail (wagtail.images.api.admin.serializers).
THUMBNAIL = "max-165x165"


@hooks.register("before_serve_document")
def check_document_download(document, request):
    return media.before_serve_document(document, request)


# After Wagtail's own registrations (order 0), so these endpoints replace them.
@hooks.register("construct_admin_api", order=100)
def scope_admin_api(router):
    router.register_endpoint("documents", media.scoped_api_viewset(DocumentsAdminAPIViewSet))
    router.register_endpoint(
        "images", media.scoped_api_viewset(ImagesAdminAPIViewSet, renditions=(THUMBNAIL,))
    )
