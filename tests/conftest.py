"""Shared fixtures: a home page, sections, articles and images built through Wagtail's own API."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from masthead.mirrors.models import Mirror
from masthead.news.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    Byline,
    HomePage,
    SectionPage,
    VideoPage,
)
from masthead.news.topics import stamp_published
from tests.people import make_administrator, make_editor, make_writer
from tests.tv.helpers import VTT


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
        live=True,
        **fields,
    ):
        n = next(counter)
        section = section or make_section("News")
        fields.setdefault("body", [("paragraph", f"<p>Body of story {n}.</p>")])
        story = cls(
            title=title or f"Story {n}",
            standfirst=standfirst or f"Standfirst {n}.",
            live=live,
            **fields,
        )
        for author in authors:
            story.bylines.add(Byline(author=author))
        section.add_child(instance=story)
        if topics:
            story.topics.add(*topics)
        if not live:
            story.save_revision()
            return story
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


@pytest.fixture
def iraq(make_section):
    """News > Iraq, the section most tests file stories under."""
    return make_section("Iraq", parent=make_section("News"))


# Newsroom staff: each a member of its real editorial group (none is a superuser).
@pytest.fixture
def writer(home):
    return make_writer()


@pytest.fixture
def editor(home):
    return make_editor()


@pytest.fixture
def administrator(home):
    return make_administrator()


def signed_in(user):
    # force_login: the axes backend needs a request, which Client.login() does not pass.
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer_client(writer):
    return signed_in(writer)


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


@pytest.fixture
def live_mirror(db):
    """A live mirror: another domain serving the site itself."""
    return Mirror.objects.create(address="https://mirror.example/", kind=Mirror.Kind.LIVE)


@pytest.fixture(scope="session")
def tiny_mp4(tmp_path_factory):
    """A 2-second 320x180 H.264 MP4 (a few KB), made once per test run."""
    ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    subprocess.run(
        [
            ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=duration=2:size=320x180:rate=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart",
            str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


@pytest.fixture
def mp4_bytes(tiny_mp4):
    return tiny_mp4.read_bytes()


@pytest.fixture
def make_video(make_story, make_image, mp4_bytes):
    """A video page: by default a published 2-second MP4 file with a still; pass
    video_url (and video_file="") for a stream hosted elsewhere, live=False for a draft."""
    counter = iter(range(1, 10_000))

    def factory(section=None, live=True, captions=False, **fields):
        n = next(counter)
        if "video_url" not in fields and "video_file" not in fields:
            fields["video_file"] = ContentFile(mp4_bytes, name=f"clip-{n}.mp4")
        fields.setdefault("duration", 2)
        if "lead_image" not in fields:
            fields["lead_image"] = make_image(title=f"Still {n}")
        if captions:
            fields["captions"] = ContentFile(VTT, name=f"clip-{n}.vtt")
        fields.setdefault("title", f"Video number {n}")
        fields.setdefault("standfirst", f"What happened in clip {n}.")
        return make_story(section=section, cls=VideoPage, live=live, **fields)

    return factory


@pytest.fixture
def waiting_tasks(settings):
    """Tasks wait in memory until the test runs them, as a busy worker leaves them."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()
