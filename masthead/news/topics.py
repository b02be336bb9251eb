"""Keep ArticleTopic.published_at equal to the story's first publication while it is live.

Related stories are "the newest live stories sharing a topic". Sorting a popular topic's
stories by their page's publish time means reading every one of their page rows (2,000
for a topic at 10,000 stories); with the time copied onto the topic link, one index on
(topic, published_at, story) answers it. Each link is stamped as it is saved (a page
save writes its topic links after the page row), all of a story's links again on
publish and unpublish, and by the importer for each batch it bulk-writes.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.signals import pre_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import ArticlePage, ArticleTopic


def stamp_published(story_ids):
    """Copy each story's first_published_at onto its topic links (null when not live)."""
    live_since = Page.objects.filter(pk=OuterRef("content_object_id"), live=True).values(
        "first_published_at"
    )[:1]
    ArticleTopic.objects.filter(content_object_id__in=list(story_ids)).update(
        published_at=Subquery(live_since)
    )


def stamp_link(sender, instance, **kwargs):
    """pre_save of an ArticleTopic: copy the time from the story being saved with it."""
    story = instance.content_object
    instance.published_at = story.first_published_at if story.live else None


def story_changed(sender, instance, **kwargs):
    # Any page class's signal: videos and other stories subclass ArticlePage.
    if isinstance(instance, ArticlePage):
        stamp_published([instance.pk])


def connect():
    pre_save.connect(stamp_link, sender=ArticleTopic, dispatch_uid="news-topics-link")
    page_published.connect(story_changed, dispatch_uid="news-topics-published")
    page_unpublished.connect(story_changed, dispatch_uid="news-topics-unpublished")
