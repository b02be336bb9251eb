"""Related stories: the newest live, public stories sharing a topic, read from the topic
links' own index, which publishing, unpublishing, saving and importing keep current."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.demo.corpus import write_corpus
from masthead.news import listings
from masthead.news.models import NEWS, ArticlePage, ArticleTopic, Topic

pytestmark = pytest.mark.django_db


def stamps(story):
    return set(
        ArticleTopic.objects.filter(content_object=story).values_list("published_at", flat=True)
    )


def related_titles(story):
    topic_ids = list(
        Topic.objects.filter(tagged_stories__content_object=story).values_list("pk", flat=True)
    )
    return [s.title for s in listings.related_stories(NEWS, story.pk, topic_ids)]


def test_publishing_stamps_and_unpublishing_clears_the_topic_links(make_story):
    story = make_story(title="Dam opens", topics=["Water", "Energy"])
    story.refresh_from_db()
    assert stamps(story) == {story.first_published_at}
    story.unpublish()
    assert stamps(story) == {None}
    story.save_revision().publish()
    story.refresh_from_db()
    assert stamps(story) == {story.first_published_at}


def test_topics_added_by_saving_a_live_page_are_stamped(make_story):
    story = make_story(title="Later tagged")
    story.topics.add("Rivers")
    story.save()
    assert stamps(story) == {ArticlePage.objects.get(pk=story.pk).first_published_at}


def test_newest_first_each_story_once_never_itself(make_story):
    now = timezone.now()
    base = make_story(title="Base", topics=["Water", "Energy"])
    for n, topics in enumerate([["Water"], ["Energy"], ["Water", "Energy"], ["Water"], ["Sport"]]):
        make_story(title=f"Story {n}", topics=topics, published=now - dt.timedelta(days=10 - n))
    # Story 4 (newest) shares nothing; story 3 shares one topic, story 2 both (listed once).
    assert related_titles(base) == ["Story 3", "Story 2", "Story 1", "Story 0"]


def test_unpublished_and_private_stories_are_skipped_and_others_fill_in(make_story, make_section):
    now = timezone.now()
    private = make_section("Members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    base = make_story(title="Base", topics=["Water"], published=now - dt.timedelta(days=30))
    public = [
        make_story(title=f"Public {n}", topics=["Water"], published=now - dt.timedelta(days=20 - n))
        for n in range(4)
    ]
    for n in range(6):  # newer than every public story
        make_story(
            private, title=f"Private {n}", topics=["Water"], published=now - dt.timedelta(hours=n)
        )
    gone = make_story(title="Withdrawn", topics=["Water"])
    gone.unpublish()
    assert related_titles(base) == [story.title for story in reversed(public)]


def test_imported_stories_are_stamped(home, tmp_path):
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_corpus(out, 5)
    call_command("import_jsonl", str(path), no_progress=True, stdout=io.StringIO())
    links = ArticleTopic.objects.select_related("content_object")
    assert links.count() > 0
    for link in links:
        assert link.published_at == link.content_object.first_published_at
