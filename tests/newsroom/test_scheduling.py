"""Go-live and expiry times take effect when `publish_scheduled` runs (cron in production)."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from masthead.news.models import ArticlePage


def schedule(article, go_live_at):
    """What the editor's "Publish" does for a page with a go-live time in the future."""
    article.go_live_at = go_live_at
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    return revision


def test_due_story_goes_live_and_future_one_waits(make_article, iraq):
    due = make_article(section=iraq, title="Due now", live=False)
    later = make_article(section=iraq, title="Due tomorrow", live=False)
    due_revision = schedule(due, timezone.now() + dt.timedelta(minutes=5))
    schedule(later, timezone.now() + dt.timedelta(days=1))
    assert not due.live and not later.live
    assert due_revision.approved_go_live_at is not None

    # Time passes: the first story's go-live moment is now behind us.
    past = timezone.now() - dt.timedelta(minutes=1)
    due_revision.content["go_live_at"] = past.isoformat()
    due_revision.approved_go_live_at = past
    due_revision.save(update_fields=["content", "approved_go_live_at"])
    ArticlePage.objects.filter(pk=due.pk).update(go_live_at=past)

    call_command("publish_scheduled")

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.live
    assert due.first_published_at is not None
    assert not later.live
    assert Revision.objects.filter(
        object_id=str(later.pk), approved_go_live_at__isnull=False
    ).exists()


def test_expired_story_is_unpublished(make_article, iraq):
    story = make_article(section=iraq, title="Short-lived")
    keep = make_article(section=iraq, title="Evergreen")
    ArticlePage.objects.filter(pk=story.pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    ArticlePage.objects.filter(pk=keep.pk).update(expire_at=timezone.now() + dt.timedelta(days=1))

    call_command("publish_scheduled")

    story.refresh_from_db()
    keep.refresh_from_db()
    assert not story.live
    assert story.expired
    assert keep.live
