"""Videos among the stories: the mark on cards, /videos/, and the links to it and to /live/."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Site

from masthead.news.models import Byline
from masthead.tv.models import LiveStreamSettings
from tests.news.html import one, parse, text

VIDEO_TITLE = "Flood barrier opens in Basra"
ARTICLE_TITLE = "Basra council meets"


def card(tree, title):
    return one(
        tree, f"//main//article[contains(@class, 'card')][.//a[normalize-space()='{title}']]"
    )


@pytest.fixture
def basra(iraq, make_video, make_article, make_author):
    author = make_author("Hana Yusuf")
    video = make_video(
        section=iraq,
        title=VIDEO_TITLE,
        standfirst="Barrier footage.",
        duration=125,
        topics=["Basra"],
    )
    article = make_article(section=iraq, title=ARTICLE_TITLE, standfirst="Barrier talk.")
    article.topics.add("Basra")
    article.save_revision().publish()
    for story in (video, article):
        Byline.objects.create(article=story, author=author)
    return video, article


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/news/iraq/", "/news/iraq/page/1/", "/topics/basra/",
     "/authors/hana-yusuf/", "/search/?q=barrier", "/videos/"],
)  # fmt: skip
def test_video_cards_carry_a_video_mark_with_the_length(client, basra, url):
    response = client.get(url)
    assert response.status_code == 200
    tree = parse(response)
    mark = one(card(tree, VIDEO_TITLE), ".//p[@class='card-video']")
    assert text(mark) == "Video length 2:05"
    assert one(mark, ".//span[@class='visually-hidden']").text == "length"
    assert one(mark, ".//time").get("datetime") == "PT125S"
    if url != "/videos/":
        assert card(tree, ARTICLE_TITLE).xpath(".//p[@class='card-video']") == []


def test_a_video_without_a_known_length_is_still_marked(client, iraq, make_video):
    make_video(section=iraq, title=VIDEO_TITLE, duration=None)
    mark = one(card(parse(client.get("/news/iraq/")), VIDEO_TITLE), ".//p[@class='card-video']")
    assert text(mark) == "Video"
    assert mark.xpath(".//time") == []


def test_videos_lists_newest_first_twenty_a_page_counted_from_the_oldest(
    client, iraq, make_video, make_article, make_image
):
    still = make_image(title="Shared still")
    start = timezone.now() - dt.timedelta(days=100)
    videos = [
        make_video(
            section=iraq,
            title=f"Clip {n:02d}",
            lead_image=still,
            published=start + dt.timedelta(days=n),
        )
        for n in range(21)
    ]
    make_article(section=iraq, title="Words only")

    def titles(url):
        response = client.get(url)
        assert response.status_code == 200
        return [a.text for a in parse(response).xpath("//main//ol[@class='story-list']//h2/a")]

    latest = parse(client.get("/videos/"))
    assert text(one(latest, "//h1")) == "Videos"
    assert titles("/videos/") == [v.title for v in videos[:0:-1]]  # the newest 20
    assert (
        one(latest, "//nav[@class='pagination']//a[@rel='next']").get("href") == "/videos/page/1/"
    )
    assert latest.xpath("//nav[@class='pagination']//a[@rel='prev']") == []
    assert one(latest, "//link[@rel='canonical']").get("href") == "http://testserver/videos/"
    assert titles("/videos/page/1/") == [v.title for v in videos[19::-1]]  # the oldest 20
    assert titles("/videos/page/2/") == ["Clip 20"]
    newest = parse(client.get("/videos/page/2/"))
    assert one(newest, "//nav[@class='pagination']//a[@rel='prev']").get("href") == "/videos/"
    assert (
        one(newest, "//nav[@class='pagination']//a[@rel='next']").get("href") == "/videos/page/1/"
    )
    assert client.get("/videos/page/3/").status_code == 404
    assert client.get("/videos/page/0/").status_code == 404


def test_videos_without_any_says_so(client, home):
    tree = parse(client.get("/videos/"))
    assert text(one(tree, "//main//p[@class='empty']")) == "No videos yet."


def test_every_page_footer_links_to_the_videos(client, basra):
    video, article = basra
    for url in ("/", article.url, video.url, "/videos/", "/live/"):
        footer = one(parse(client.get(url)), "//footer")
        assert one(footer, ".//a[@href='/videos/']").text == "Videos"


@pytest.fixture
def live(home, make_image):
    live = LiveStreamSettings.for_site(Site.objects.get(is_default_site=True))
    live.title = "Masthead TV"
    live.hls_url = "https://live.example.org/tv/master.m3u8"
    live.thumbnail = make_image(title="Live still", width=1920, height=1080)
    live.save()
    return live


def test_the_footer_links_to_live_only_while_on_air(client, live, make_article):
    story = make_article()
    off_air = parse(client.get(story.url))  # also fills the chrome cache
    assert off_air.xpath("//a[@href='/live/']") == []
    live.is_on_air = True
    live.save()
    for url in ("/", story.url, "/videos/"):
        link = one(parse(client.get(url)), "//footer//li[@class='live']/a")
        assert link.get("href") == "/live/"
        assert text(link) == "On air now: Masthead TV"
    assert client.get("/live/").status_code == 200
    live.is_on_air = False
    live.save()
    assert parse(client.get(story.url)).xpath("//a[@href='/live/']") == []


def test_the_off_air_page_leads_to_the_videos(client, live):
    tree = parse(client.get("/live/"))
    status = one(tree, "//main//p[@role='status']")
    assert "We are not on air right now." in text(status)
    assert one(status, ".//a").get("href") == "/videos/"
    assert client.get("/videos/").status_code == 200


def test_the_pages_sitemap_lists_videos_once_there_is_one(client, home, make_video):
    assert b"/videos/" not in client.get("/sitemaps/pages.xml").content
    make_video()
    tree = parse(client.get("/sitemaps/pages.xml"))
    locs = [loc.text for loc in tree.iter() if isinstance(loc.tag, str) and loc.tag.endswith("loc")]
    assert locs[:2] == ["http://testserver/", "http://testserver/videos/"]
