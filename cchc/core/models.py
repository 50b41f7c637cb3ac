from __future__ import annotations

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cchc.core import hooks
from cchc.core.page_permissions import SiteFramePermissionTester
from cchc.core.serving import CachedViewRestrictionsMixin, cached_route
from cchc.lib.richtext import RichTextField


class AuditEntry(models.Model):
    """Who changed what, when. Every state-changing service writes one."""

    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("thao tác", max_length=60, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=60)
    object_id = models.CharField("mã đối tượng", max_length=40)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField("nội dung", max_length=300)
    data = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.summary}"

    @property
    def action_label(self) -> str:
        from cchc.core.audit import AuditAction  # audit.py builds on this model

        return AuditAction(self.action).label if self.action in AuditAction.values else self.action


class SiteVersion(models.Model):
    """One number, raised by every change a public page may show (cchc/core/site_version.py).

    A row in the database, not a cache key: every worker reads the same
    number without a shared cache, so a change shows at once everywhere.
    """

    version = models.PositiveBigIntegerField("phiên bản", default=0)

    class Meta:
        verbose_name = "phiên bản nội dung công khai"
        verbose_name_plural = "phiên bản nội dung công khai"

    def __str__(self) -> str:
        return str(self.version)


class HomePage(CachedViewRestrictionsMixin, Page):
    """The provincial portal's home page (root of the public site)."""

    intro = RichTextField("giới thiệu", blank=True, features=["bold", "italic", "link"])
    contact_address = models.CharField("địa chỉ liên hệ", max_length=300, blank=True)
    contact_phone = models.CharField("điện thoại", max_length=50, blank=True)
    contact_email = models.EmailField("thư điện tử", blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("contact_address"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = "trang chủ"

    def permissions_for_user(self, user):
        return SiteFramePermissionTester(user, self)

    def route(self, request, path_components):
        # Every public URL starts here: the walk down the tree is cached (serving.py).
        return cached_route(self, request, path_components, super().route)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        hooks.run(hooks.HOME_PAGE_CONTEXT, request=request, context=context)
        return context
