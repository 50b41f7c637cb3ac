"""Who may see which image and document, and when a document becomes public.

Images and documents live in the newsroom collections (one per unit,
Newsroom.collection). Wagtail's collection permission policies already say
who works on which: the unit's editors and approvers and the province's news
administrators (services.newsroom_ensure), and superusers everywhere. This
module applies that one rule where Wagtail does not: the admin API, the image
format chooser, the object URLs of the image and document screens, the
download view and the article form.

A document is public once a live page uses it (an article's attachment or a
link in a live article's body); until then only the people above may
download it, everyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.forms import ValidationError
from django.http import Http404
from wagtail.admin.forms import WagtailAdminPageForm

from cchc import access
from cchc.org.models import Role

# The back office's read-only role may see every unit's work, so it is told
# "forbidden" rather than "not found".
READ_ONLY_ROLES = frozenset({Role.PROVINCE_LEADER})

# What a user needs on a file's collection to see it in the back office.
SEE_ACTIONS = ["change", "choose"]

# URL namespaces of Wagtail's image and document screens, and the URL
# arguments that name one file.
DOCUMENT_NAMESPACES = frozenset(
    {"wagtaildocs", "wagtaildocs_chooser", "wagtailadmin_api:documents"}
)
IMAGE_NAMESPACES = frozenset({"wagtailimages", "wagtailimages_chooser", "wagtailadmin_api:images"})
ID_KWARGS = ("image_id", "document_id", "doc_id", "pk")

LEAD_IMAGE_ERROR = (
    "Ảnh này thuộc thư mục ảnh của đơn vị khác. Chỉ được dùng ảnh của đơn vị mình; "
    "hãy chọn lại hoặc tải ảnh lên."
)
ATTACHMENT_ERROR = (
    "Tệp này thuộc thư mục tệp của đơn vị khác. Chỉ được đính kèm tệp của đơn vị mình; "
    "hãy chọn lại hoặc tải tệp lên."
)
BODY_ERROR = (
    "Nội dung có ảnh hoặc tệp của đơn vị khác (mã %(ids)s). Chỉ được chèn ảnh và tệp "
    "của đơn vị mình; hãy xóa và chèn lại."
)
NOT_FOUND = "Không tìm thấy tệp."


def _document_model():
    from wagtail.documents import get_document_model

    return get_document_model()


def _image_model():
    from wagtail.images import get_image_model

    return get_image_model()


def _policy(model):
    if issubclass(model, _image_model()):
        from wagtail.images.permissions import permission_policy
    else:
        from wagtail.documents.permissions import permission_policy
    return permission_policy


def visible_files(user, model) -> QuerySet:
    """The images or documents (by model) the user may see in the back office."""
    return _policy(model).instances_user_has_any_permission_for(user, SEE_ACTIONS)


def can_see_file(user, obj: Model) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _policy(type(obj)).user_has_any_permission_for_instance(user, SEE_ACTIONS, obj)


def refuse(user):
    """The answer for a file the user may not see: 403 for read-only roles, else 404."""
    if access.roles(user) & READ_ONLY_ROLES:
        raise access.denied()
    raise Http404(NOT_FOUND)


def _int(value) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def file_references(html: str) -> tuple[set[int], set[int]]:
    """(document ids, image ids) that a rich-text value links to or embeds."""
    from wagtail.rich_text import extract_references_from_rich_text

    documents: set[int] = set()
    images: set[int] = set()
    Document, Image = _document_model(), _image_model()
    for model, object_id, _, _ in extract_references_from_rich_text(html or ""):
        pk = _int(object_id)
        if pk is None:
            continue  # malformed ids are refused by the rich-text checks (text.py)
        if issubclass(model, Document):
            documents.add(pk)
        elif issubclass(model, Image):
            images.add(pk)
    return documents, images


def document_is_public(document) -> bool:
    """Is the document attached to, or linked from, a live article?"""
    from cchc.news.models import ArticleAttachment, ArticlePage

    if ArticleAttachment.objects.filter(document=document, page__live=True).exists():
        return True
    bodies = (
        ArticlePage.objects.live()
        .filter(body__contains='linktype="document"')
        .filter(body__contains=str(document.pk))
        .values_list("body", flat=True)
    )
    return any(document.pk in file_references(body)[0] for body in bodies.iterator())


# Hook and middleware adapters (registered in media_hooks.py and settings) ----


def before_serve_document(document, request):
    if document_is_public(document) or can_see_file(request.user, document):
        return None
    raise Http404(NOT_FOUND)


class MediaScopeMiddleware:
    """Answers 404 (403 to read-only roles) for an image or document URL of
    Wagtail's back office when the file is not in the user's collections.

    Wagtail's own views check the permission policy on some of these URLs and
    not on others (the image format chooser, the admin API); checking before
    any of them runs gives one answer everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespace = match.namespace if match else ""
        if namespace in DOCUMENT_NAMESPACES:
            model = _document_model()
        elif namespace in IMAGE_NAMESPACES:
            model = _image_model()
        else:
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends the visitor to sign in
        pk = next((_int(view_kwargs[k]) for k in ID_KWARGS if k in view_kwargs), None)
        if pk is None:
            return None
        obj = model.objects.select_related("collection").filter(pk=pk).first()
        if obj is None or can_see_file(user, obj):
            return None
        refuse(user)
        return None


def scoped_api_viewset(base, renditions: tuple[str, ...] = ()):
    """An admin API endpoint that lists only the files the user may see.

    Tags (and the thumbnails' renditions) are fetched with the list, so the
    number of queries does not grow with the files on the page.
    """

    from wagtail.api.v2.serializers import TagsField

    class PrefetchedTagsField(TagsField):
        def to_representation(self, value):
            return sorted(tag.name for tag in value.all())

    class Serializer(base.base_serializer_class):
        def build_property_field(self, field_name, model_class):
            field_class, kwargs = super().build_property_field(field_name, model_class)
            return (PrefetchedTagsField if field_class is TagsField else field_class), kwargs

    class Scoped(base):
        base_serializer_class = Serializer

        def get_queryset(self):
            visible = visible_files(self.request.user, self.model).values("pk")
            queryset = super().get_queryset().filter(pk__in=visible).prefetch_related("tags")
            return queryset.prefetch_renditions(*renditions) if renditions else queryset

    Scoped.__name__ = Scoped.__qualname__ = f"Scoped{base.__name__}"
    return Scoped


# The article form -------------------------------------------------------------


class ArticlePageForm(WagtailAdminPageForm):
    """Refuses another unit's image or document, by id, anywhere in an article.

    The choosers only offer the user's own files, but the form takes any id;
    a file already on the article (put there by someone who may use it) stays.
    """

    def clean(self):
        cleaned_data = super().clean()
        user = self.for_user
        if user is None or user.is_superuser:
            return cleaned_data
        stored_docs, stored_images = self._stored_references()
        Document, Image = _document_model(), _image_model()

        image = cleaned_data.get("lead_image")
        if image is not None and image.pk not in stored_images and not can_see_file(user, image):
            self.add_error("lead_image", ValidationError(LEAD_IMAGE_ERROR, code="foreign_image"))

        for form in self._attachment_forms():
            document = form.cleaned_data.get("document")
            if document is None or document.pk in stored_docs:
                continue
            if not can_see_file(user, document):
                form.add_error(
                    "document", ValidationError(ATTACHMENT_ERROR, code="foreign_document")
                )

        if "body" in cleaned_data:
            docs, images = file_references(cleaned_data["body"])
            foreign = [
                f"{kind}{pk}"
                for model, ids, stored, kind in (
                    (Image, images - stored_images, stored_images, "ảnh "),
                    (Document, docs - stored_docs, stored_docs, "tệp "),
                )
                for pk in sorted(self._foreign_ids(user, model, ids))
            ]
            if foreign:
                self.add_error(
                    "body",
                    ValidationError(
                        BODY_ERROR, code="foreign_file", params={"ids": ", ".join(foreign)}
                    ),
                )
        return cleaned_data

    @staticmethod
    def _foreign_ids(user, model, ids: set[int]) -> set[int]:
        # Ids that do not exist are left to the rich-text checks (text.py).
        if not ids:
            return set()
        existing = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        visible = set(visible_files(user, model).filter(pk__in=ids).values_list("pk", flat=True))
        return existing - visible

    def _attachment_forms(self):
        formset = self.formsets.get("attachments")
        if formset is None:
            return []
        forms = []
        for form in formset.forms:
            if not form.is_valid() or formset.can_delete and formset._should_delete_form(form):
                continue
            forms.append(form)
        return forms

    def _stored_references(self) -> tuple[set[int], set[int]]:
        """Files the article already uses, as last saved (before this change)."""
        instance = self.instance
        if instance.pk is None:
            return set(), set()
        docs, images = file_references(instance.body)
        docs |= {a.document_id for a in instance.attachments.all() if a.document_id}
        if instance.lead_image_id:
            images.add(instance.lead_image_id)
        return docs, images
