"""load_demo, the scheduler loop and serve_demo's process supervision."""

import datetime as dt
import io
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, Site

from masthead.demo.management.commands import serve_demo
from masthead.mirrors.models import Mirror
from masthead.news.models import ArticlePage
from masthead.publication.models import PublicationSettings


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def load_demo(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_load_demo_creates_content_accounts_and_settings(home, var_dir):
    out, _ = load_demo(count=6, image_pool=3)
    assert ArticlePage.objects.count() == 6
    assert ArticlePage.objects.filter(lead_image__isnull=False).exists()
    assert 1 <= Image.objects.count() <= 3
    assert (var_dir / "demo" / "images" / "lead-000.jpg").exists()
    assert Page.find_problems() == ([], [], [], [], [])

    publication = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    assert publication.name == "Masthead News"
    assert publication.roku_channel_url.startswith("https://")
    assert publication.roku_promo_text

    mirrors = list(Mirror.objects.all())
    assert len(mirrors) == 2 and all(m.is_public for m in mirrors)
    assert {m.kind for m in mirrors} == {Mirror.Kind.STATIC, Mirror.Kind.ONION}
    onion = next(m for m in mirrors if m.kind == Mirror.Kind.ONION)
    assert re.fullmatch(r"http://[a-z2-7]{56}\.onion/", onion.address)

    User = get_user_model()
    printed = dict(re.findall(r"^  (writer|editor|admin)\s+(\S+)$", out, re.MULTILINE))
    assert set(printed) == {"writer", "editor", "admin"}
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password)
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="writer").is_superuser
    assert list(User.objects.get(username="writer").groups.values_list("name", flat=True)) == [
        "Writers"
    ]
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == [
        "Editors"
    ]
    accounts = var_dir / "demo" / "accounts.txt"
    assert accounts.stat().st_mode & 0o077 == 0
    assert f"admin {printed['admin']}" in accounts.read_text()
    assert "http://127.0.0.1:8000/admin/" in out


def test_load_demo_twice_does_nothing_the_second_time(home, var_dir, django_assert_max_num_queries):
    load_demo(count=4, image_pool=2)
    pages, users = Page.objects.count(), get_user_model().objects.count()
    with django_assert_max_num_queries(4):
        out, _ = load_demo(count=4, image_pool=2)
    assert "already loaded" in out
    assert Page.objects.count() == pages
    assert get_user_model().objects.count() == users
    assert Mirror.objects.count() == 2


def test_scheduler_loop_publishes_scheduled_pages(home, make_article):
    story = make_article(live=False)
    story.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    story.save_revision(approved_go_live_at=story.go_live_at)
    call_command("publish_scheduled_loop", once=True, stdout=io.StringIO())
    story.refresh_from_db()
    assert story.live


def test_serve_demo_stops_everything_when_one_process_dies(monkeypatch, settings, tmp_path):
    # No copy to write and a private key file: this test is about the child processes.
    settings.MASTHEAD_MIRROR_TARGETS = {}
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    commands = {
        "runserver": [sys.executable, "-c", "import time; time.sleep(60)"],
        "db_worker": [sys.executable, "-c", "import time; time.sleep(60)"],
        "publish_scheduled_loop": [sys.executable, "-c", "raise SystemExit(3)"],
    }
    started = []
    real_popen = serve_demo.subprocess.Popen

    def popen(command, **kwargs):
        child = real_popen(command, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(serve_demo, "manage", lambda name, *args: commands[name])
    monkeypatch.setattr(serve_demo.subprocess, "Popen", popen)
    with pytest.raises(CommandError, match="scheduler process stopped"):
        call_command("serve_demo", stdout=io.StringIO())
    assert len(started) == 3
    assert all(child.poll() is not None for child in started)
