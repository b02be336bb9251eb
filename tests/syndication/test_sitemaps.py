"""robots.txt, the sitemap index, monthly story sitemaps, pages, Google News and video."""

import datetime as dt

import pytest
from lxml import etree

from masthead.syndication import sitemaps

from .conftest import SITEMAP_NS, fetch, forget_outputs, hours_ago, parse_xml, sitemap_locs

NEWS = {"news": sitemaps.NEWS_NS, **SITEMAP_NS}
VIDEO = {"video": sitemaps.VIDEO_NS, **SITEMAP_NS}


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def archive(make_section, make_story, make_author):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    author = make_author("Lina Haddad")
    stories = {
        "may1": make_story(
            section=iraq, title="May one", topics=["Basra"], published=utc(2024, 5, 1, 0, 0)
        ),
        "may2": make_story(section=news, title="May two", published=utc(2024, 5, 31, 23, 59)),
        "june": make_story(
            section=iraq, title="June", authors=[author], published=utc(2024, 6, 1, 0, 0)
        ),
        "recent": make_story(section=iraq, title="Fresh", published=hours_ago(1)),
    }
    forget_outputs()
    return stories


def test_robots_txt_names_the_index_on_the_requested_host(client, db, settings):
    response = fetch(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    mirrored = client.get("/robots.txt", HTTP_HOST="mirror.example", secure=True).content.decode()
    assert "Sitemap: https://mirror.example/sitemap.xml" in mirrored.splitlines()


def test_index_lists_every_month_and_the_other_sitemaps(client, archive):
    root = parse_xml(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locs = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    this_month = archive["recent"].first_published_at.astimezone(dt.UTC)
    assert locs == [
        "http://testserver/sitemaps/pages.xml",
        "http://testserver/sitemaps/news.xml",
        "http://testserver/sitemaps/video.xml",
        "http://testserver/sitemaps/articles-2024-05.xml",
        "http://testserver/sitemaps/articles-2024-06.xml",
        f"http://testserver/sitemaps/{this_month:articles-%Y-%m}.xml",
    ]
    lastmods = root.xpath(
        "//sm:sitemap[contains(sm:loc, '2024-05')]/sm:lastmod/text()", namespaces=SITEMAP_NS
    )
    assert lastmods == ["2024-05-31T23:59:00+00:00"]
    for loc in locs:  # every file it names exists and parses
        assert (
            etree.fromstring(fetch(client, loc.removeprefix("http://testserver")).content)
            is not None
        )


def test_month_sitemap_holds_that_month_only(client, archive):
    root = parse_xml(client, "/sitemaps/articles-2024-05.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert sitemap_locs(root) == [
        "http://testserver/news/iraq/may-one/",
        "http://testserver/news/may-two/",
    ]
    assert root.xpath("//sm:lastmod/text()", namespaces=SITEMAP_NS) == [
        "2024-05-01T00:00:00+00:00",
        "2024-05-31T23:59:00+00:00",
    ]
    assert sitemap_locs(parse_xml(client, "/sitemaps/articles-2024-06.xml")) == [
        "http://testserver/news/iraq/june/"
    ]


def test_an_old_month_does_not_change_when_a_story_arrives(client, archive, make_story):
    before = fetch(client, "/sitemaps/articles-2024-05.xml")
    make_story(title="Brand new")
    after = fetch(client, "/sitemaps/articles-2024-05.xml")
    assert after.content == before.content
    assert after["ETag"] == before["ETag"]


def test_month_is_split_into_parts_past_the_url_limit(client, archive, monkeypatch, make_story):
    # The protocol's own limit; the index and the month files must both follow the one value.
    assert sitemaps.MonthSitemap.limit == 50_000
    monkeypatch.setattr(sitemaps.MonthSitemap, "limit", 1)
    forget_outputs()
    locs = [
        loc.text
        for loc in parse_xml(client, "/sitemap.xml").iterfind("sm:sitemap/sm:loc", SITEMAP_NS)
    ]
    assert "http://testserver/sitemaps/articles-2024-05.xml" in locs
    assert "http://testserver/sitemaps/articles-2024-05-2.xml" in locs
    assert sitemap_locs(parse_xml(client, "/sitemaps/articles-2024-05.xml")) == [
        "http://testserver/news/iraq/may-one/"
    ]
    assert sitemap_locs(parse_xml(client, "/sitemaps/articles-2024-05-2.xml")) == [
        "http://testserver/news/may-two/"
    ]
    assert client.get("/sitemaps/articles-2024-05-3.xml").status_code == 404


def test_every_sitemap_keeps_to_the_protocol_limits(client, archive):
    paths = [
        "/sitemaps/pages.xml",
        "/sitemaps/news.xml",
        "/sitemaps/video.xml",
        "/sitemaps/articles-2024-05.xml",
    ]
    for path in paths:
        response = fetch(client, path)
        assert len(response.content) <= 52_428_800
        root = etree.fromstring(response.content)
        assert root.nsmap[None] == "http://www.sitemaps.org/schemas/sitemap/0.9"
        locs = sitemap_locs(root)
        assert len(locs) <= 50_000
        assert all(loc.startswith("http://testserver/") and len(loc) < 2048 for loc in locs)
        for lastmod in root.xpath("//sm:lastmod/text()", namespaces=SITEMAP_NS):
            assert dt.datetime.fromisoformat(lastmod).tzinfo is not None


def test_pages_sitemap_lists_home_sections_authors_and_topics(client, archive):
    locs = sitemap_locs(parse_xml(client, "/sitemaps/pages.xml"))
    assert locs == [
        "http://testserver/",
        "http://testserver/authors/lina-haddad/",
        "http://testserver/news/",
        "http://testserver/news/iraq/",
        "http://testserver/topics/basra/",
    ]


def test_news_sitemap_holds_the_last_48_hours(client, make_story):
    make_story(title="Just in", published=hours_ago(1))
    make_story(title="Yesterday", published=hours_ago(47))
    make_story(title="Too old", published=hours_ago(49))
    forget_outputs()
    root = parse_xml(client, "/sitemaps/news.xml")
    titles = root.xpath("//news:title/text()", namespaces=NEWS)
    assert titles == ["Just in", "Yesterday"]
    [first] = root.xpath("//sm:url[1]/news:news", namespaces=NEWS)
    assert first.findtext("news:publication/news:name", namespaces=NEWS) == "Masthead News"
    assert first.findtext("news:publication/news:language", namespaces=NEWS) == "en"
    published = dt.datetime.fromisoformat(first.findtext("news:publication_date", namespaces=NEWS))
    assert abs((published - hours_ago(1)).total_seconds()) < 60


def test_news_sitemap_uses_the_publication_settings(client, home, make_story):
    from wagtail.models import Site

    from masthead.publication.models import PublicationSettings

    publication = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    publication.name, publication.language = "Al Example", "ar"
    publication.save()
    make_story(title="خبر عاجل", published=hours_ago(2))
    root = parse_xml(client, "/sitemaps/news.xml")
    assert root.xpath("//news:name/text()", namespaces=NEWS) == ["Al Example"]
    assert root.xpath("//news:language/text()", namespaces=NEWS) == ["ar"]
    assert root.xpath("//news:title/text()", namespaces=NEWS) == ["خبر عاجل"]


def test_news_sitemap_cap(client, make_story, monkeypatch):
    assert sitemaps.NewsSitemap.limit == 1_000  # Google News sitemaps: at most 1,000 URLs
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 3)
    for n in range(5):
        make_story(title=f"Recent {n}", published=hours_ago(10 - n))
    forget_outputs()
    root = parse_xml(client, "/sitemaps/news.xml")
    assert root.xpath("//news:title/text()", namespaces=NEWS) == [
        "Recent 4",
        "Recent 3",
        "Recent 2",
    ]


def test_video_sitemap(client, make_video, make_story):
    make_video(
        title="Floods on film",
        standfirst="Water in the streets.",
        duration=125,
        video_url="https://video.example/clip.m3u8",
        video_file="",
        published=hours_ago(5),
    )
    make_story(title="Not a video")
    forget_outputs()
    root = parse_xml(client, "/sitemaps/video.xml")
    [url] = root.iterfind("sm:url", VIDEO)
    assert url.findtext("sm:loc", namespaces=VIDEO) == "http://testserver/news/floods-on-film/"
    video = url.find("video:video", VIDEO)
    assert video.findtext("video:title", namespaces=VIDEO) == "Floods on film"
    assert video.findtext("video:description", namespaces=VIDEO) == "Water in the streets."
    assert (
        video.findtext("video:content_loc", namespaces=VIDEO) == "https://video.example/clip.m3u8"
    )
    assert video.findtext("video:duration", namespaces=VIDEO) == "125"
    thumbnail = video.findtext("video:thumbnail_loc", namespaces=VIDEO)
    assert thumbnail.startswith("http://testserver/") and "fill-1200x675" in thumbnail


@pytest.mark.parametrize(
    "path",
    [
        "/sitemaps/articles-2024-13.xml",
        "/sitemaps/articles-2024-00.xml",
        "/sitemaps/articles-1999-01.xml",
        "/sitemaps/articles-2024-05-1.xml",
        "/sitemaps/articles-2024-05-0.xml",
        "/sitemaps/articles-2024-5-5-5.xml",
        "/sitemaps/articles-99999999999999999999-01.xml",
        "/sitemaps/articles--.xml",
        "/sitemaps/nothing.xml",
    ],
)
def test_bad_sitemap_urls_are_404(client, archive, path):
    assert client.get(path).status_code == 404
