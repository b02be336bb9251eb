"""The newsroom's content: home, sections nested to any depth, articles, authors, topics.

Times shown to readers are Wagtail's own first_published_at and last_published_at, so
scheduling, revisions and imports all agree on them.

A Video is an Article with a video attached (multi-table inheritance), so every listing,
feed and sitemap that walks stories sees videos without a second query.
"""

from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from masthead.publication.paths import default_site_path, topic_path

from . import listings
from .blocks import ArticleBodyBlock
from .forms import ArticlePageForm, VideoArticlePageForm
from .serving import (
    VIDEOS_PATH,
    ArticleMixin,
    AuthorIndexMixin,
    AuthorMixin,
    HomeMixin,
    SectionMixin,
)

# How many of the newest stories sharing a topic get their "Related" block refreshed when
# a story is published, unpublished or made private (see ArticlePage.affected_paths).
RELATED_REFRESH = 8


class Topic(TagBase):
    """A person, organisation or place that stories are about; each has its own page."""

    class Meta:
        verbose_name = "topic"
        verbose_name_plural = "topics"


class ArticleTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="tagged_stories", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "news.ArticlePage", related_name="tagged_topics", on_delete=models.CASCADE
    )
    # The story's first_published_at while it is live, else null (kept by topics.py), so
    # "the newest stories on these topics" reads one index instead of every story's page.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["tag", "published_at", "content_object"], name="news_topic_newest")
        ]


class NewsPageMixin:
    """What every news page type has beside its serving behaviour (serving.py).

    `news`: the news models, for that behaviour and for the queries in listings.py. Both
    are this module's imports (the page types below are built on serving's mixins), so
    they cannot import this module; they ask the page instead.
    """

    @property
    def news(self):
        return NEWS


class AffectedPathsMixin:
    """Which of the site's pages show this page, in the spirit of Wagtail's
    Page.get_cached_paths() but site-wide. masthead.changes adds the feeds and sitemaps and
    is what the mirror refresh and the CDN purge ask."""

    def affected_listings(self):
        """[(path, its live public stories, numbered)] of every listing showing this page.

        numbered: the listing has /page/<n>/ pages counted from its oldest story.
        """
        stories = ArticlePage.objects.live().public()
        return [
            (path, stories.descendant_of(section), True)
            for section in self.get_ancestors().type(SectionPage)
            if (path := default_site_path(section))
        ]

    def affected_paths(self):
        """Site paths whose HTML changes when this page is published, unpublished, made
        private or deleted: its own, the home page, its listings, the author index."""
        paths = [default_site_path(self), "/"]
        paths += [path for path, _stories, _numbered in self.affected_listings()]
        paths += [default_site_path(index) for index in AuthorIndexPage.objects.live()]
        return list(dict.fromkeys(path for path in paths if path))


class HomePage(NewsPageMixin, AffectedPathsMixin, HomeMixin, RoutablePageMixin, Page):
    """The front page; also answers /topics/<slug>/ and /search/."""

    max_count = 1
    subpage_types = ["news.SectionPage", "news.AuthorIndexPage"]

    class Meta:
        verbose_name = "home page"


class SectionPage(NewsPageMixin, AffectedPathsMixin, SectionMixin, RoutablePageMixin, Page):
    """A section (News) or sub-section (News / Iraq); stories live in the innermost."""

    intro = models.TextField(blank=True)
    subpage_types = ["news.SectionPage", "news.ArticlePage", "news.VideoPage"]
    parent_page_types = ["news.HomePage", "news.SectionPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "section"


class AuthorIndexPage(NewsPageMixin, AffectedPathsMixin, AuthorIndexMixin, Page):
    max_count = 1
    subpage_types = ["news.AuthorPage"]
    parent_page_types = ["news.HomePage"]

    class Meta:
        verbose_name = "author index"


class AuthorPage(NewsPageMixin, AffectedPathsMixin, AuthorMixin, Page):
    role = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subpage_types = []
    parent_page_types = ["news.AuthorIndexPage"]

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]

    class Meta:
        verbose_name = "author"


class ArticlePage(NewsPageMixin, AffectedPathsMixin, ArticleMixin, Page):
    """A news article. The page title is the headline."""

    external_id = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Id in the source system; imports match on it.",
    )
    standfirst = models.TextField(help_text="One or two sentences under the headline.")
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text=(
            "What the photo shows, for readers who cannot see it. "
            "Defaults to the image's description."
        ),
    )
    lead_image_caption = models.CharField("caption", max_length=300, blank=True)
    lead_image_credit = models.CharField("credit", max_length=100, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where the story was filed, e.g. Baghdad."
    )
    topics = ClusterTaggableManager(through=ArticleTopic, blank=True, verbose_name="topics")

    subpage_types = []
    parent_page_types = ["news.SectionPage"]
    base_form_class = ArticlePageForm  # note times never before the story (forms.py)

    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            "Lead photo",
        ),
        FieldPanel("body"),
        InlinePanel("bylines", label="Byline"),
        FieldPanel("dateline"),
        FieldPanel("topics"),
        InlinePanel("corrections", label="Correction or update note"),
    ]

    class Meta:
        verbose_name = "article"

    def affected_listings(self):
        """Its sections' listings (numbered), then its topics' and its authors' pages."""
        found = super().affected_listings()
        stories = ArticlePage.objects.live().public()
        for slug in self.topics.all().values_list("slug", flat=True):
            tagged = stories.filter(tagged_topics__tag__slug=slug)
            found.append((topic_path(slug), tagged, False))
        for byline in self.bylines.select_related("author"):
            if path := default_site_path(byline.author):
                found.append((path, stories.filter(bylines__author=byline.author_id), False))
        return found

    def affected_paths(self):
        """Also the newest stories whose "Related" block this story joins or leaves: every
        story sharing a topic lists it, but only the newest RELATED_REFRESH are refreshed,
        the ones readers are on now; older ones catch up at the next full export."""
        topic_ids = list(self.tagged_topics.values_list("tag_id", flat=True))
        related = listings.related_stories(NEWS, self.pk, topic_ids, count=RELATED_REFRESH)
        pages = Page.objects.filter(pk__in=[story.pk for story in related])
        paths = super().affected_paths() + [default_site_path(page) for page in pages]
        return list(dict.fromkeys(path for path in paths if path))

    @property
    def headline(self):
        return self.title

    @property
    def published_at(self):
        """When readers first saw it (Wagtail's first_published_at; imports set it)."""
        return self.first_published_at

    @property
    def updated_at(self):
        """The latest publish, shown as 'Updated' when later than the first."""
        if self.last_published_at and self.first_published_at:
            if self.last_published_at > self.first_published_at:
                return self.last_published_at
        return None


class VideoPage(ArticlePage):
    """A video story: the lead image is its thumbnail."""

    video_file = models.FileField(upload_to="videos/", blank=True)
    video_url = models.URLField(
        "external video URL", blank=True, help_text="An HLS (.m3u8) or MP4 URL, if not uploaded."
    )
    duration = models.PositiveIntegerField(
        "duration in seconds", null=True, blank=True, help_text="Read from the file on upload."
    )
    captions = models.FileField("WebVTT captions", upload_to="captions/", blank=True)
    captions_language = models.CharField(max_length=20, blank=True, default="en")

    parent_page_types = ["news.SectionPage"]
    # Probes uploads and checks captions (news/video_forms.py), plus the article's checks.
    base_form_class = VideoArticlePageForm
    content_panels = (
        ArticlePage.content_panels[:3]
        + [
            MultiFieldPanel(
                [
                    FieldPanel("video_file"),
                    FieldPanel("video_url"),
                    FieldPanel("duration"),
                    FieldPanel("captions"),
                    FieldPanel("captions_language"),
                ],
                "Video",
            ),
        ]
        + ArticlePage.content_panels[3:]
    )

    class Meta:
        verbose_name = "video"

    def affected_listings(self):
        """Also /videos/, numbered like a section's archive."""
        videos = VideoPage.objects.live().public()
        return super().affected_listings() + [(VIDEOS_PATH, videos, True)]


class Byline(Orderable):
    article = ParentalKey(ArticlePage, related_name="bylines", on_delete=models.CASCADE)
    author = models.ForeignKey(AuthorPage, related_name="+", on_delete=models.CASCADE)

    panels = [FieldPanel("author")]


class CorrectionNote(Orderable):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = ParentalKey(ArticlePage, related_name="corrections", on_delete=models.CASCADE)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    # No default: a default is taken when the editor's form is drawn (or the row added),
    # which can be before the story was first published. Left empty, the time is set when
    # the note is written to the live page, i.e. when it is published (save() below).
    noted_at = models.DateTimeField(
        "time of the note",
        blank=True,
        help_text="Leave empty to use the time the note is published.",
    )
    note = models.TextField()

    panels = [FieldPanel("kind"), FieldPanel("noted_at"), FieldPanel("note")]

    def save(self, *args, **kwargs):
        if self.noted_at is None:
            self.noted_at = timezone.now()
        super().save(*args, **kwargs)


def topic_slug(name):
    return slugify(name, allow_unicode=True) or "topic"


NEWS = listings.NewsModels(
    ArticlePage=ArticlePage,
    SectionPage=SectionPage,
    AuthorPage=AuthorPage,
    Byline=Byline,
    CorrectionNote=CorrectionNote,
    Topic=Topic,
    ArticleTopic=ArticleTopic,
)
