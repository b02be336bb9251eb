"""Story listings with a fixed number of queries whatever their length.

Every listing fetches its stories in one query (the lead image joined in) and the
renditions of all their images in one more.

This module imports no news model. The page types in models.py are built on the mixins in
serving.py, which list stories with the functions here, so models.py sits above both and
neither can import it without a cycle. The queries that need a model take the news models
as an argument instead: a NewsModels, which models.py builds once (models.NEWS) and every
news page carries as `page.news`. That keeps models.py declarative, keeps each page type's
behaviour in one place (serving.py), and leaves no import inside a function.
"""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.db.models.query import ValuesIterable
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page, PageViewRestriction

from masthead.publication.paths import STORIES_PER_PAGE, listing_page_count, listing_page_holding

# Stories under each top-level section on the home page.
HOME_STORIES_PER_SECTION = 4
# How many of the newest stories the home page reads to fill its sections in one query.
HOME_WINDOW = 60
# Related stories under an article, and how many extra candidates to read in case some
# are in a private part of the site.
RELATED_STORIES = 4
RELATED_SPARE = 8
# Treebeard path step: each tree level adds four characters to Page.path.
PATH_STEP = 4
# Highest page number a listing accepts; anything larger is simply not found.
MAX_PAGE_NUMBER = 10**6

# Renditions used by the templates; one query fetches them for a whole listing.
THUMB_SPECS = ("width-320|format-webp", "width-640|format-webp")
LEAD_SPECS = ("width-480|format-webp", "width-800|format-webp", "width-1200|format-webp")
SHARE_SPEC = "fill-1200x630|format-jpeg"
ALL_SPECS = THUMB_SPECS + LEAD_SPECS + (SHARE_SPEC,)
# Parsed once: Wagtail parses a spec string again on every get_rendition call.
SHARE_FILTER = Filter(spec=SHARE_SPEC)


@dataclass(frozen=True)
class NewsModels:
    """The news models the queries here and the page behaviour in serving.py read; the
    field names are the classes' own, so a search for a model finds its uses."""

    ArticlePage: type
    SectionPage: type
    AuthorPage: type
    Byline: type
    CorrectionNote: type
    Topic: type
    ArticleTopic: type


def public_only(queryset):
    """Drop pages inside a restricted (private) part of the tree, in the same query.

    Wagtail's .public() first reads every restriction in a separate query; here the check
    is a correlated EXISTS over the (tiny) restriction table: no extra round trip, and no
    cache that could keep a newly private page listed.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted))


def section_pages(news):
    """Section pages (as plain Pages: title, url_path, path), looked up from the small
    section table.

    Asked as SectionPage.objects.child_of(page).order_by("path"), SQLite walks the path
    index over every page under `page`, every story included (7 ms at 10,000 stories);
    with the ids taken from the section table first it fetches the sections by key.
    """
    return Page.objects.filter(pk__in=news.SectionPage.objects.values("pk"))


# What a story card shows, read as plain values: building full ArticlePage instances
# (multi-table, modelcluster) costs ten times more than the query itself.
STORY_FIELDS = (
    "id",
    "title",
    "url_path",
    "path",
    "first_published_at",
    "last_published_at",
    "standfirst",
    "lead_image_alt",
    "lead_image_id",
)
# A video's own row, joined (LEFT OUTER) in the same query: its pk says the story is a
# video, its duration goes on the card's video mark.
VIDEO_FIELDS = {"videopage": "video_id", "videopage__duration": "video_duration"}
IMAGE_FIELDS = (
    "title",
    "file",
    "width",
    "height",
    "description",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
    "collection_id",
)


class Story:
    """A story in a listing: the card's fields, and its lead image as an Image instance
    (so Wagtail's renditions work on it)."""

    __slots__ = (*STORY_FIELDS, *VIDEO_FIELDS.values(), "_row", "_lead_image")

    def __init__(self, row):
        for name in STORY_FIELDS:
            setattr(self, name, row[name])
        for field, name in VIDEO_FIELDS.items():
            setattr(self, name, row[field])
        # The Image is built when first asked for: a listing often reads more rows than
        # it shows (the home page's window), and an Image instance costs more than a row.
        self._row = row

    @property
    def lead_image(self):
        row = self._row
        if row is not None:
            image = None
            if row["lead_image_id"]:
                Image = get_image_model()
                image = Image(
                    id=row["lead_image_id"], **{f: row[f"lead_image__{f}"] for f in IMAGE_FIELDS}
                )
                image._state.adding = False
            self._lead_image = image
            self._row = None
        return self._lead_image

    @lead_image.setter
    def lead_image(self, image):
        self._lead_image = image
        self._row = None

    @property
    def pk(self):
        return self.id

    @property
    def is_video(self):
        return self.video_id is not None

    def __repr__(self):
        return f"<Story {self.id}: {self.title}>"


class StoryIterable(ValuesIterable):
    def __iter__(self):
        for row in super().__iter__():
            yield Story(row)


@functools.cache
def _story_base(news):
    # Built once per process and only ever cloned, never evaluated: resolving the values
    # and the EXISTS filter cost as much as running the query. It holds no data, so
    # nothing here can go stale.
    queryset = public_only(news.ArticlePage.objects.live()).values(
        *STORY_FIELDS, *VIDEO_FIELDS, *(f"lead_image__{f}" for f in IMAGE_FIELDS)
    )
    queryset._iterable_class = StoryIterable
    return queryset


def story_queryset(news):
    """Live, public stories as Story objects (slice, count and paginate it like any queryset)."""
    return _story_base(news).all()


def video_queryset(news):
    """Live, public videos as Story objects."""
    return story_queryset(news).filter(videopage__isnull=False)


def newest_first(queryset):
    return queryset.order_by("-first_published_at", "-pk")


def related_stories(news, story_id, topic_ids, count=RELATED_STORIES):
    """The newest live, public stories sharing a topic with this one, in one query.

    The candidates come from the topic links' own index (ArticleTopic.published_at,
    news/topics.py): a story appears once per shared topic, so the newest `count` per
    topic hold the newest `count` stories; RELATED_SPARE more leave room for candidates
    that turn out private.
    """
    if not topic_ids:
        return []
    candidates = (
        news.ArticleTopic.objects.filter(tag_id__in=topic_ids, published_at__isnull=False)
        .exclude(content_object_id=story_id)
        .order_by("-published_at", "-content_object_id")
        .values("content_object_id")[: count * len(topic_ids) + RELATED_SPARE]
    )
    return list(newest_first(story_queryset(news).filter(pk__in=candidates))[:count])


def attach_renditions(stories, specs=THUMB_SPECS, extra_images=()):
    """Fetch existing renditions for every image in one query and hang them on the images,
    where Wagtail's get_renditions looks first (prefetched_renditions)."""
    images = {}
    for story in stories:
        if story.lead_image_id and story.lead_image is not None:
            images.setdefault(story.lead_image_id, []).append(story.lead_image)
    for image in extra_images:
        if image is not None:
            images.setdefault(image.pk, []).append(image)
    if not images:
        return stories
    Rendition = get_image_model().get_rendition_model()
    found = {}
    for rendition in Rendition.objects.filter(image_id__in=images, filter_spec__in=specs):
        found.setdefault(rendition.image_id, []).append(rendition)
    for image_id, instances in images.items():
        for image in instances:
            image.prefetched_renditions = list(found.get(image_id, []))
    return stories


def rendition(image, spec_filter):
    """image.get_rendition(spec_filter), answered from the prefetched renditions when one
    matches (spec and focal point, as Wagtail matches them) without Wagtail's cache write
    on every call; a missing rendition is still made on demand."""
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched:
        key = spec_filter.get_cache_key(image)
        for found in prefetched:
            if found.filter_spec == spec_filter.spec and found.focal_point_key == key:
                return found
    return image.get_rendition(spec_filter)


def parse_page_number(value, default=1):
    """A ?page= value as a positive int, or None when it is not one (abc, 0, 10**20)."""
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip()[:12])
    except (TypeError, ValueError):
        return None
    if number < 1 or number > MAX_PAGE_NUMBER:
        return None
    return number


def paginate(queryset, raw_page):
    """Django paginator for ?page= listings (authors, topics, search), never raising."""
    paginator = Paginator(queryset, STORIES_PER_PAGE)
    number = parse_page_number(raw_page)
    try:
        page = paginator.page(number or 1)
    except (EmptyPage, PageNotAnInteger):
        page = paginator.page(paginator.num_pages if (number or 1) > 1 else 1)
    return page


def story_content_type_ids(news):
    models = [m for m in apps.get_models() if issubclass(m, news.ArticlePage)]
    # Served from ContentType's own process cache after the first call: no query.
    return sorted(ct.pk for ct in ContentType.objects.get_for_models(*models).values())


def count_stories_under(page):
    """Live, public stories anywhere below `page` (a news page), counted on the page table
    alone.

    Counting story_queryset(news) joins the story and image tables for every row; the count
    needs neither (SQLite, 10,000 stories: 5,834 under News in 5 ms instead of 15).
    """
    below = Page.objects.live().descendant_of(page)
    story_types = story_content_type_ids(page.news)
    return public_only(below.filter(content_type_id__in=story_types)).count()


class Archive:
    """A section's stories split per the URL contract: page 1 holds the oldest 20."""

    def __init__(self, section_queryset, total=None):
        self.queryset = section_queryset
        self.total = section_queryset.count() if total is None else total
        self.num_pages = max(1, listing_page_count(self.total))

    def latest(self):
        """The newest stories, for the section's own URL."""
        stories = list(newest_first(self.queryset)[:STORIES_PER_PAGE])
        older = None
        if self.total > STORIES_PER_PAGE:
            # The first story not shown, counted from the oldest (0-based), names the page.
            first_hidden = self.total - STORIES_PER_PAGE - 1
            older = listing_page_holding(first_hidden)
        return stories, older

    def numbered(self, number):
        """(stories, older, newer) for numbered page `number`, or None past the end.
        "Newer" from the last numbered page leads back to the listing's own URL (0)."""
        stories = self.page(number)
        if stories is None:
            return None
        older = number - 1 if number > 1 else None
        newer = number + 1 if number < self.num_pages else 0
        return stories, older, newer

    def page(self, number):
        """Stories on numbered page `number`, newest first, or None past the end."""
        if number < 1 or number > self.num_pages or self.total == 0:
            return None
        start = (number - 1) * STORIES_PER_PAGE
        oldest_first = self.queryset.order_by("first_published_at", "pk")
        stories = list(oldest_first[start : start + STORIES_PER_PAGE])
        stories.reverse()
        return stories


def latest_per_section(home, sections, per_section=HOME_STORIES_PER_SECTION):
    """The newest stories of each top-level section, usually in one query.

    The newest HOME_WINDOW stories site-wide come from one index scan on the publish time
    and are grouped by section; only a section with nothing in that window (a quiet one)
    costs a query of its own. A window function or one subquery per section would either
    read the whole archive or make Django compile a dozen subqueries on every request.
    """
    if not sections:
        return {}
    prefix_len = len(home.path) + PATH_STEP
    window = max(HOME_WINDOW, per_section * len(sections))
    by_path = {}
    stories_here = story_queryset(home.news)
    for story in newest_first(stories_here.descendant_of(home))[:window]:
        stories = by_path.setdefault(story.path[:prefix_len], [])
        if len(stories) < per_section:
            stories.append(story)
    result = {}
    for section in sections:
        stories = by_path.get(section.path)
        if stories is None:
            stories = list(newest_first(stories_here.descendant_of(section))[:per_section])
        result[section.pk] = stories
    return result
