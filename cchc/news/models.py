"""The "Cải cách hành chính" news section: section, topic and article pages.

Tree: /cchc/ (province) and /don-vi/<slug>/cchc/ (a unit), each with one page
per topic (/cchc/hoat-dong-cchc/, ...) and the articles under their topic.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Collection, Orderable, Page, Workflow
from wagtail.search import index

from cchc.core.serving import CachedViewRestrictionsMixin
from cchc.lib.richtext import RichTextField
from cchc.lib.text import clean_stored_html, search_text_for, search_words_for, slug_for
from cchc.news.media import ArticlePageForm as MediaCheckedArticleForm
from cchc.news.slugs import SlugFromTitleMixin, free_slug
from cchc.org.models import Unit, UnitType

SECTION_SLUG = "cchc"
SECTION_TITLE = "Cải cách hành chính"


class Topic(models.TextChoices):
    """The five kinds of content asked for by Sở Nội vụ (seed 000)."""

    ACTIVITIES = "hoat-dong-cchc", "Hoạt động cải cách hành chính"
    POLICIES = "chu-truong-chinh-sach", "Chủ trương, chính sách, pháp luật"
    MODELS = "mo-hinh-hay", "Mô hình hay, sáng kiến cải cách hành chính"
    TWO_LEVEL = "chinh-quyen-hai-cap", "Hiệu quả chính quyền địa phương hai cấp"
    DEVELOPMENT = "phat-trien-kinh-te-xa-hoi", "Chương trình, đề án phát triển kinh tế – xã hội"


TOPIC_INTROS = {
    Topic.ACTIVITIES: "Các hoạt động cải cách hành chính của cơ quan, địa phương.",
    Topic.POLICIES: (
        "Chủ trương, đường lối của Đảng, chính sách, pháp luật, quy định của Nhà nước "
        "về cải cách hành chính."
    ),
    Topic.MODELS: "Các giải pháp, mô hình hay, sáng kiến trong cải cách hành chính.",
    Topic.TWO_LEVEL: "Hiệu quả hoạt động của mô hình chính quyền địa phương hai cấp.",
    Topic.DEVELOPMENT: (
        "Các chương trình, đề án, dự án thúc đẩy phát triển kinh tế – xã hội của tỉnh An Giang."
    ),
}

ARTICLE_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
    "blockquote",
    "superscript",
    "subscript",
]


def _stats_ids_for_path(section_path: str) -> tuple[int, int]:
    row = SectionPage.objects.filter(path=section_path).values_list("unit_id", "pk").first()
    return row if row else (0, 0)


class SectionPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """A "Cải cách hành chính" section: the province's or one unit's."""

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="cchc_section"
    )
    intro = RichTextField("giới thiệu", blank=True, features=["bold", "italic", "link"])

    is_cchc_section = True
    served_with = ("unit",)  # kept with the page in the route cache (cchc/core/serving.py)
    parent_page_types = ["core.HomePage", "org.UnitPage"]
    subpage_types = ["news.TopicPage"]
    max_count_per_parent = 1
    # The slug is fixed (/cchc/): published links and the widget depend on it.
    content_panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        HelpPanel("Tin bài được viết trong từng chủ đề bên dưới chuyên mục này."),
    ]
    promote_panels = [FieldPanel("search_description")]

    class Meta:
        verbose_name = "chuyên mục Cải cách hành chính"
        verbose_name_plural = "chuyên mục Cải cách hành chính"

    def clean(self) -> None:
        super().clean()
        self.intro = clean_stored_html(self.intro)

    @property
    def is_province(self) -> bool:
        return self.unit.unit_type == UnitType.PROVINCE

    def stats_target(self) -> tuple[int, int, int | None]:
        return (self.unit_id, self.pk, None)

    def get_context(self, request, *args, **kwargs):
        from cchc.news.selectors import public_context
        from cchc.news.views import listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(request, self, self))
        context.update(listing_context(request, section=self, topic=None))
        return context

    @path("rss/", name="rss")
    def rss(self, request):
        from cchc.news.feeds import ArticleFeed

        return ArticleFeed()(request, page=self)

    @path("nhung/", name="widget")
    def widget(self, request):
        from cchc.news.views import widget

        return widget(request, section=self)


class TopicPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """One of the five topics inside a section; articles are written here."""

    topic = models.CharField("chủ đề", max_length=40, choices=Topic.choices)
    intro = models.TextField("giới thiệu", blank=True)

    parent_page_types = ["news.SectionPage"]
    subpage_types = ["news.ArticlePage"]
    served_with = ("section",)
    content_panels = [FieldPanel("title"), FieldPanel("intro")]
    promote_panels = [FieldPanel("search_description")]

    class Meta:
        verbose_name = "chủ đề tin CCHC"
        verbose_name_plural = "chủ đề tin CCHC"

    @cached_property
    def section(self) -> SectionPage:
        return SectionPage.objects.select_related("unit").get(path=self.path[: -self.steplen])

    def stats_target(self) -> tuple[int, int, int | None]:
        unit_id, section_id = _stats_ids_for_path(self.path[: -self.steplen])
        return (unit_id, section_id, None)

    def get_context(self, request, *args, **kwargs):
        from cchc.news.selectors import cached_section, public_context
        from cchc.news.views import listing_context

        cached_section(request, self, self.path[: -self.steplen])
        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(request, self, self.section))
        context.update(listing_context(request, section=self.section, topic=self))
        return context

    @path("rss/", name="rss")
    def rss(self, request):
        from cchc.news.feeds import ArticleFeed

        return ArticleFeed()(request, page=self)


class ArticlePageForm(SlugFromTitleMixin, MediaCheckedArticleForm):
    """Only the user's own files (media.py); the address made from the title (slugs.py)."""


class ArticlePage(CachedViewRestrictionsMixin, Page):
    """A news article. Its unit and topic follow from where it sits in the tree."""

    summary = models.TextField(
        "tóm tắt",
        max_length=600,
        help_text="Một đến ba câu, hiển thị trong danh sách tin và khi chia sẻ.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="ảnh đại diện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField("chú thích ảnh", max_length=250, blank=True)
    body = RichTextField("nội dung", features=ARTICLE_FEATURES)
    # Derived from the tree (see set_url_path); stored so that lists, filters
    # and the statistics app read them without walking the tree.
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị đăng tin",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="cchc_articles",
    )
    topic = models.CharField(
        "chủ đề", max_length=40, choices=Topic.choices, blank=True, editable=False, db_index=True
    )
    # Accent-folded title, summary and body (cchc.lib.text.fold).
    search_text = models.TextField(blank=True, editable=False)
    # The same words with their accents (cchc.lib.text.accented): what the
    # reader typed with accents ranks first.
    search_words = models.TextField(blank=True, editable=False)

    is_cchc_article = True
    served_with = ("unit", "section", "topic_page", "attachment_list")
    # Refuses another unit's image or document (cchc/news/media.py); the
    # slug may be left empty (cchc/news/slugs.py).
    base_form_class = ArticlePageForm
    parent_page_types = ["news.TopicPage"]
    subpage_types: list[str] = []
    content_panels = [
        # Fills the slug as the title is typed, as on Wagtail's own pages.
        TitleFieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")],
            heading="Ảnh đại diện",
        ),
        FieldPanel("body"),
        InlinePanel("attachments", heading="Tệp đính kèm", label="tệp đính kèm"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("unit"),
        index.FilterField("topic"),
    ]

    class Meta:
        verbose_name = "tin bài CCHC"
        verbose_name_plural = "tin bài CCHC"

    def full_clean(self, *args, **kwargs):
        self._slug_from_title()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        # What Wagtail runs instead of full_clean when saving a draft.
        self._slug_from_title()
        super().minimal_clean()

    def _slug_from_title(self) -> None:
        # Articles written in code (imports, the shell) get the same address
        # rule as the form; Wagtail's own slugify drops "đ" ("ay-manh").
        if self.path and (not self.slug or not self.slug.isascii()):
            base = slug_for(self.slug) or slug_for(self.title)
            self.slug = free_slug(base, self.get_parent(), self)

    def clean(self) -> None:
        super().clean()
        # Defence in depth: the editor only produces the allowed features, but
        # anything written by another path is cleaned the same way.
        self.body = clean_stored_html(self.body)

    def save(self, *args, **kwargs):
        # search_text is derived data; keep it in step with whatever is saved.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "summary", "body"} & set(update_fields):
            texts = {"title": self.title, "summary": self.summary, "body_html": self.body}
            self.search_text = search_text_for(**texts)
            self.search_words = search_words_for(**texts)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text", "search_words"}
        return super().save(*args, **kwargs)

    def set_url_path(self, parent):
        # Wagtail calls this whenever the page's place in the tree is fixed:
        # on creation, on slug changes and when a revision is restored, so the
        # unit and topic can never disagree with the URL.
        url_path = super().set_url_path(parent)
        if parent is not None:
            self.sync_from_parent(parent)
        return url_path

    def sync_from_parent(self, parent: Page) -> None:
        topic = TopicPage.objects.filter(pk=parent.pk).values_list("topic", flat=True).first()
        unit_id, _ = _stats_ids_for_path(parent.path[: -self.steplen])
        self.topic = topic or ""
        self.unit_id = unit_id or None

    def stats_target(self) -> tuple[int, int, int | None]:
        unit_id, section_id = _stats_ids_for_path(self.path[: -2 * self.steplen])
        return (unit_id or self.unit_id, section_id, self.pk)

    @cached_property
    def section(self) -> SectionPage | None:
        return (
            SectionPage.objects.select_related("unit")
            .filter(path=self.path[: -2 * self.steplen])
            .first()
        )

    @cached_property
    def topic_page(self) -> TopicPage | None:
        return TopicPage.objects.filter(path=self.path[: -self.steplen]).first()

    @cached_property
    def attachment_list(self) -> list[ArticleAttachment]:
        return list(self.attachments.select_related("document").order_by("sort_order"))

    def get_context(self, request, *args, **kwargs):
        from cchc.news.selectors import (
            article_with_parents,
            cached_section,
            content_version,
            public_context,
            related_articles,
            related_html,
        )
        from cchc.news.views import stats_tags_available

        cached_section(request, self, self.path[: -2 * self.steplen])
        article_with_parents(request, self)
        context = super().get_context(request, *args, **kwargs)
        context.update(public_context(request, self, self.section))
        context["related_html"] = related_html(request, self, content_version(request))
        # Read only if asked for (tests): the page shows the kept HTML.
        context["related"] = SimpleLazyObject(lambda: related_articles(self))
        context["attachment_list"] = self.attachment_list
        context["stats_tags"] = stats_tags_available()
        return context


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="tệp",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="PDF, Word hoặc Excel.",
    )
    title = models.CharField(
        "tên hiển thị", max_length=250, blank=True, help_text="Để trống: dùng tên của tệp."
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class Newsroom(models.Model):
    """One unit's editorial set-up: who writes, who approves, where files go.

    Kept apart from the section page so that reverting a page revision can
    never change who may publish.
    """

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="newsroom"
    )
    editors = models.OneToOneField(
        Group, verbose_name="nhóm biên tập viên", on_delete=models.PROTECT, related_name="+"
    )
    approvers = models.OneToOneField(
        Group, verbose_name="nhóm người duyệt", on_delete=models.PROTECT, related_name="+"
    )
    collection = models.OneToOneField(
        Collection, verbose_name="thư mục ảnh và tệp", on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.OneToOneField(
        Workflow, verbose_name="quy trình duyệt", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    class Meta:
        verbose_name = "ban biên tập tin CCHC"
        verbose_name_plural = "ban biên tập tin CCHC"

    def __str__(self) -> str:
        return f"Ban biên tập tin CCHC – {self.unit}"
