"""Everything around the content: mirror notice, navigation caches, RTL, CDN headers."""

import pytest
from wagtail.models import Page

from masthead.mirrors.models import Mirror
from masthead.publication import chrome
from masthead.publication.models import PublicationSettings
from tests.news.html import one, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_section, make_article):
    news = make_section("News")
    return make_article(section=make_section("Iraq", parent=news), title="A story")


def notice(client, url):
    return parse(client.get(url)).xpath('//aside[@aria-label="Other addresses"]')


def test_mirror_notice_lists_public_mirrors_on_every_page(client, story):
    Mirror.objects.create(address="https://mirror-one.example/", label="Backup", sort_order=1)
    Mirror.objects.create(address="http://abcdefghijklmnop.onion/", label="Tor", kind="onion")
    Mirror.objects.create(address="https://hidden.example/", is_public=False)
    for url in ["/", "/news/", "/news/iraq/a-story/", "/authors/", "/search/?q=a", "/nowhere/"]:
        (aside,) = notice(client, url)
        items = [(a.get("href"), a.text) for a in aside.xpath(".//a")]
        assert items == [
            ("http://abcdefghijklmnop.onion/", "http://abcdefghijklmnop.onion/"),
            ("https://mirror-one.example/", "https://mirror-one.example/"),
        ], url
        assert "(Backup)" in "".join(aside.itertext())


def test_mirror_notice_absent_without_public_mirrors_and_follows_changes(client, story):
    assert notice(client, "/news/iraq/a-story/") == []
    mirror = Mirror.objects.create(address="https://mirror.example/")
    assert len(notice(client, "/news/iraq/a-story/")) == 1  # saved: cache dropped
    mirror.is_public = False
    mirror.save()
    assert notice(client, "/news/iraq/a-story/") == []
    mirror.is_public = True
    mirror.save()
    assert len(notice(client, "/")) == 1
    mirror.delete()
    assert notice(client, "/") == []


def test_navigation_cache_follows_publish_unpublish_and_move(client, story, make_section):
    def nav():
        tree = parse(client.get("/"))
        return [a.text for a in tree.xpath('//nav[@aria-label="Sections"]//a')]

    assert nav() == ["News"]
    sport = make_section("Sport")
    assert nav() == ["News", "Sport"]
    sport.unpublish()
    assert nav() == ["News"]
    sport.save_revision().publish()
    assert nav() == ["News", "Sport"]
    news = Page.objects.get(slug="news")
    sport.move(news, pos="last-child")
    assert nav() == ["News"]


def test_rtl_languages_set_dir_and_lang(client, story, home):
    settings_obj = PublicationSettings.for_site(home.get_site())
    settings_obj.language = "fa"
    settings_obj.save()
    html = one(parse(client.get("/news/iraq/a-story/")), "/html")
    assert html.get("dir") == "rtl" and html.get("lang") == "fa"
    settings_obj.language = "en-GB"
    settings_obj.save()
    html = one(parse(client.get("/news/iraq/a-story/")), "/html")
    assert html.get("dir") == "ltr" and html.get("lang") == "en-GB"


@pytest.mark.parametrize(
    "language,direction",
    [("ar", "rtl"), ("ur-PK", "rtl"), ("he", "rtl"), ("ckb", "rtl"), ("en", "ltr"), ("", "ltr")],
)
def test_text_direction(language, direction):
    assert chrome.text_direction(language) == direction


def test_public_pages_get_cdn_headers_naming_the_page(client, story, settings):
    settings.MASTHEAD_CDN_MAX_AGE = 900
    response = client.get("/news/iraq/a-story/")
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=900"
    assert response["Surrogate-Control"] == "max-age=900"
    news, iraq = Page.objects.get(slug="news"), Page.objects.get(slug="iraq")
    keys = response["Surrogate-Key"].split()
    assert keys == [f"page-{story.pk}", f"section-{news.pk}", f"section-{iraq.pk}"]
    assert response["Cache-Tag"] == ",".join(keys)
    section = client.get("/news/iraq/")
    assert section["Surrogate-Key"].split() == [f"page-{iraq.pk}", f"section-{iraq.pk}"]
    assert client.get("/")["Cache-Control"].startswith("public")
    assert client.get("/search/?q=x")["Cache-Control"].startswith("public")


def test_no_shared_caching_for_admin_private_or_logged_in(client, story, admin_user):
    from wagtail.models import PageViewRestriction

    assert "Surrogate-Key" not in client.get("/no-such/")
    client.force_login(admin_user)
    response = client.get("/news/iraq/a-story/")
    assert "public" not in response["Cache-Control"] and "Surrogate-Key" not in response
    admin = client.get("/admin/")
    assert "public" not in admin.get("Cache-Control", "") and "Surrogate-Key" not in admin
    preview = client.get(f"/admin/pages/{story.pk}/edit/preview/")
    assert "Surrogate-Key" not in preview
    PageViewRestriction.objects.create(page=Page.objects.get(slug="iraq"), restriction_type="login")
    private = client.get("/news/iraq/a-story/")
    assert private.status_code == 200
    assert "public" not in private["Cache-Control"] and "Surrogate-Key" not in private
    client.logout()
    assert client.get("/news/iraq/a-story/").status_code == 302
