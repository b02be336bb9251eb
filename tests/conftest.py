"""Shared fixtures: a home page, sections, articles and images built through Wagtail's own API."""

import datetime as dt
import io

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from masthead.news.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    Byline,
    HomePage,
    SectionPage,
)
from masthead.news.topics import stamp_published


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes media to its own folder and starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    # Tests talk to http://testserver/.
    site.hostname, site.port = "testserver", 80
    site.save()
    return home


def make_jpeg(width=1280, height=720, color=(90, 120, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def make_image(db):
    def factory(title="Lead photo", width=1280, height=720, description="A crowd in a square"):
        image = Image(title=title, description=description)
        image.file = ImageFile(make_jpeg(width, height), name=f"{title.replace(' ', '-')}.jpg")
        image.save()
        return image

    return factory


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def backdate(page, when):
    """Make a published page look first (and last) published at `when`."""
    type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    stamp_published([page.pk])  # as the importer does after writing publish times
    page.refresh_from_db()


@pytest.fixture
def make_section(home):
    def factory(title, parent=None):
        parent = parent or home
        existing = parent.get_children().filter(title=title).first()
        if existing:
            return existing.specific
        section = SectionPage(title=title)
        parent.add_child(instance=section)
        return publish(section)

    return factory


@pytest.fixture
def make_article(make_section):
    counter = iter(range(1, 10_000))

    def factory(section=None, title=None, published=None, live=True, **fields):
        section = section or make_section("News")
        n = next(counter)
        fields.setdefault("standfirst", f"Standfirst of story {n}.")
        fields.setdefault(
            "body",
            [("paragraph", f"<p>Paragraph one of story {n}.</p>"), ("paragraph", "<p>Two.</p>")],
        )
        # Wagtail's Page.live defaults to True; a draft has never been published.
        article = ArticlePage(title=title or f"Story number {n}", live=live, **fields)
        section.add_child(instance=article)
        if not live:
            article.save_revision()
            return article
        publish(article)
        if published:
            backdate(article, published)
        return article

    return factory


@pytest.fixture
def make_author(home):
    def factory(name, role="Correspondent"):
        author = AuthorPage(title=name, role=role, bio=f"{name} reports for us.")
        AuthorIndexPage.objects.get().add_child(instance=author)
        return publish(author)

    return factory


@pytest.fixture
def make_story(make_section):
    """A published story (or video, with cls=VideoPage) with bylines and topics."""
    counter = iter(range(1, 100_000))

    def factory(
        section=None,
        title=None,
        standfirst=None,
        topics=(),
        authors=(),
        published=None,
        cls=ArticlePage,
        **fields,
    ):
        n = next(counter)
        section = section or make_section("News")
        fields.setdefault("body", [("paragraph", f"<p>Body of story {n}.</p>")])
        story = cls(
            title=title or f"Story {n}", standfirst=standfirst or f"Standfirst {n}.", **fields
        )
        for author in authors:
            story.bylines.add(Byline(author=author))
        section.add_child(instance=story)
        if topics:
            story.topics.add(*topics)
        publish(story)
        if published:
            backdate(story, published)
        return story

    return factory


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)
