"""RSS, Atom and JSON Feed: exact elements, scopes, links on the requested host, bad URLs."""

import json

import feedparser
import pytest
from lxml import etree

from masthead.syndication.feeds import FEED_ITEMS

from .conftest import fetch, forget_outputs, hours_ago, parse_feed

FORMATS = ["rss.xml", "atom.xml"]


@pytest.fixture
def newsroom(make_section, make_story, make_author, make_image, make_video):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    sports = make_section("Sports")
    reporter = make_author("Samira Qasem")
    editor = make_author("Tom Ellison")
    story = make_story(
        section=iraq,
        title="Budget approved in Baghdad",
        standfirst="Lawmakers approved the plan.",
        topics=["Samir Haddad", "Baghdad"],
        authors=[reporter, editor],
        lead_image=make_image("Parliament"),
        lead_image_alt="Lawmakers in the chamber",
        lead_image_credit="Photo agency",
        published=hours_ago(3),
    )
    wire = make_story(
        section=sports, title="Match report", topics=["Baghdad"], published=hours_ago(2)
    )
    video = make_video(
        section=iraq,
        title="Video: the vote",
        authors=[reporter],
        published=hours_ago(1),
        video_url="https://video.example/clip.m3u8",
        video_file="",
    )
    forget_outputs()
    return {"story": story, "wire": wire, "video": video, "reporter": reporter, "iraq": iraq}


def entry_by_title(parsed, title):
    return next(entry for entry in parsed.entries if entry.title == title)


@pytest.mark.parametrize("fmt", FORMATS)
def test_site_feed_items_have_every_element(client, newsroom, fmt):
    parsed = parse_feed(client, f"/feeds/{fmt}")
    story = newsroom["story"]
    assert [entry.title for entry in parsed.entries] == [
        "Video: the vote",
        "Match report",
        "Budget approved in Baghdad",
    ]
    entry = entry_by_title(parsed, "Budget approved in Baghdad")
    assert entry.link == "http://testserver/news/iraq/budget-approved-in-baghdad/"
    assert entry.id == f"tag:testserver,2024:page/{story.pk}"
    assert entry.summary == "Lawmakers approved the plan."
    assert [author.name for author in entry.authors] == ["Samira Qasem", "Tom Ellison"]
    assert sorted(tag.term for tag in entry.tags) == ["Baghdad", "Iraq", "News", "Samir Haddad"]
    assert entry.published_parsed[:6] == story.first_published_at.utctimetuple()[:6]
    assert entry.updated_parsed is not None
    [media] = entry.media_content
    assert media["url"].startswith("http://testserver/") and "fill-1200x675" in media["url"]
    assert media["medium"] == "image"
    # Wire copy has no byline in the item (Atom entries inherit the feed's author).
    wire = entry_by_title(parsed, "Match report")
    assert not wire.get("authors") or wire.authors == [{"name": "Masthead News"}]


def test_rss_channel_and_item_xml(client, newsroom):
    root = etree.fromstring(fetch(client, "/feeds/rss.xml").content)
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Masthead News"
    assert channel.findtext("link") == "http://testserver/"
    assert channel.findtext("description")
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert (
        self_link.get("rel") == "self"
        and self_link.get("href") == "http://testserver/feeds/rss.xml"
    )
    items = channel.findall("item")
    guid = items[-1].find("guid")
    assert guid.get("isPermaLink") == "false"
    creators = [el.text for el in items[-1].findall("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Samira Qasem", "Tom Ellison"]
    # The video's enclosure: its URL and type; an image-only story has none.
    enclosure = items[0].find("enclosure")
    assert enclosure.get("url") == "https://video.example/clip.m3u8"
    assert enclosure.get("type") == "application/vnd.apple.mpegurl"
    assert enclosure.get("length") == "0"
    assert items[1].find("enclosure") is None


def test_atom_feed_self_link_id_and_enclosure(client, newsroom):
    parsed = parse_feed(client, "/feeds/atom.xml")
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == "http://testserver/feeds/atom.xml"
    assert links["alternate"] == "http://testserver/"
    assert parsed.feed.id == "tag:testserver,2024:feed/site"
    video = entry_by_title(parsed, "Video: the vote")
    enclosures = [link for link in video.links if link.rel == "enclosure"]
    assert [link.href for link in enclosures] == ["https://video.example/clip.m3u8"]
    assert parsed.version == "atom10"


def test_json_feed_required_fields(client, newsroom):
    response = fetch(client, "/feeds/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Masthead News"
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == "http://testserver/feeds/feed.json"
    assert feed["language"] == "en"
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"].startswith("tag:")
        assert "content_html" in item or "content_text" in item
        assert item["date_published"].endswith(("Z", "+00:00"))
    story = next(item for item in feed["items"] if item["title"] == "Budget approved in Baghdad")
    assert story["content_text"] == "Lawmakers approved the plan."
    assert [author["name"] for author in story["authors"]] == ["Samira Qasem", "Tom Ellison"]
    assert story["authors"][0]["url"] == "http://testserver/authors/samira-qasem/"
    assert "fill-1200x675" in story["image"]
    assert sorted(story["tags"]) == ["Baghdad", "Iraq", "News", "Samir Haddad"]
    video = next(item for item in feed["items"] if item["title"] == "Video: the vote")
    assert video["attachments"] == [
        {"url": "https://video.example/clip.m3u8", "mime_type": "application/vnd.apple.mpegurl"}
    ]


def test_video_file_enclosure_is_absolute(client, newsroom):
    from django.core.files.base import ContentFile

    video = newsroom["video"]
    video.video_file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save_revision().publish()
    parsed = parse_feed(client, "/feeds/rss.xml")
    entry = entry_by_title(parsed, "Video: the vote")
    [enclosure] = entry.enclosures
    assert enclosure.href.startswith("http://testserver/media/videos/clip")
    assert enclosure.type == "video/mp4"


def test_uploaded_video_enclosure_gives_the_file_size(client, newsroom):
    from django.core.files.base import ContentFile

    data = b"\x00\x00\x00\x18ftypmp42" + bytes(5000)
    video = newsroom["video"]
    video.video_url = ""
    video.video_file.save("clip.mp4", ContentFile(data), save=False)
    video.save_revision().publish()
    root = etree.fromstring(fetch(client, "/feeds/rss.xml").content)
    [enclosure] = root.xpath("//item[title='Video: the vote']/enclosure")
    assert enclosure.get("length") == str(len(data)) == "5012"
    atom = etree.fromstring(fetch(client, "/feeds/atom.xml").content)
    [link] = atom.xpath("//*[local-name()='link'][@rel='enclosure']")
    assert link.get("length") == "5012"
    feed = json.loads(fetch(client, "/feeds/feed.json").content)
    [item] = [item for item in feed["items"] if item["title"] == "Video: the vote"]
    assert item["attachments"][0]["size_in_bytes"] == 5012


def test_guid_is_stable_across_an_edit(client, newsroom):
    before = entry_by_title(parse_feed(client, "/feeds/rss.xml"), "Budget approved in Baghdad")
    story = newsroom["story"]
    story.title = "Budget approved in Baghdad after long night"
    story.slug = "budget-approved-after-long-night"
    story.save_revision().publish()
    after = entry_by_title(
        parse_feed(client, "/feeds/rss.xml"), "Budget approved in Baghdad after long night"
    )
    assert after.id == before.id
    assert after.link.endswith("/budget-approved-after-long-night/")


def test_section_feed_includes_sub_sections(client, newsroom):
    news = parse_feed(client, "/feeds/section/news/rss.xml")
    assert {entry.title for entry in news.entries} == {
        "Budget approved in Baghdad",
        "Video: the vote",
    }
    iraq = parse_feed(client, "/feeds/section/news/iraq/atom.xml")
    assert {entry.title for entry in iraq.entries} == {
        "Budget approved in Baghdad",
        "Video: the vote",
    }
    assert iraq.feed.title == "Masthead News: Iraq"
    sports = json.loads(fetch(client, "/feeds/section/sports/feed.json").content)
    assert [item["title"] for item in sports["items"]] == ["Match report"]
    assert sports["feed_url"] == "http://testserver/feeds/section/sports/feed.json"


def test_topic_and_author_feeds(client, newsroom):
    topic = parse_feed(client, "/feeds/topic/baghdad/rss.xml")
    assert [entry.title for entry in topic.entries] == [
        "Match report",
        "Budget approved in Baghdad",
    ]
    assert topic.feed.link == "http://testserver/topics/baghdad/"
    author = parse_feed(client, "/feeds/author/samira-qasem/atom.xml")
    assert [entry.title for entry in author.entries] == [
        "Video: the vote",
        "Budget approved in Baghdad",
    ]
    editor = json.loads(fetch(client, "/feeds/author/tom-ellison/feed.json").content)
    assert [item["title"] for item in editor["items"]] == ["Budget approved in Baghdad"]


def test_links_use_the_requested_host(client, newsroom, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    response = client.get("/feeds/atom.xml", HTTP_HOST="mirror.example", secure=True)
    mirrored = feedparser.parse(response.content)
    assert not mirrored.bozo
    assert all(entry.link.startswith("https://mirror.example/") for entry in mirrored.entries)
    assert {link.rel: link.href for link in mirrored.feed.links}[
        "self"
    ] == "https://mirror.example/feeds/atom.xml"
    # The ids do not depend on the host.
    primary = parse_feed(client, "/feeds/atom.xml")
    assert [e.id for e in primary.entries] == [e.id for e in mirrored.entries]
    assert all(entry.link.startswith("http://testserver/") for entry in primary.entries)


def test_feed_holds_the_newest_items_only(client, make_story, settings):
    for n in range(FEED_ITEMS + 3):
        make_story(title=f"Numbered {n}", published=hours_ago(200 - n))
    forget_outputs()
    parsed = parse_feed(client, "/feeds/rss.xml")
    assert len(parsed.entries) == FEED_ITEMS
    assert parsed.entries[0].title == f"Numbered {FEED_ITEMS + 2}"
    assert parsed.entries[-1].title == "Numbered 3"


def test_full_text_is_optional(client, newsroom, settings):
    root = etree.fromstring(fetch(client, "/feeds/rss.xml").content)
    assert root.find(".//{http://purl.org/rss/1.0/modules/content/}encoded") is None
    assert "content_html" not in json.loads(fetch(client, "/feeds/feed.json").content)["items"][0]
    settings.MASTHEAD_FEEDS_FULL_TEXT = True
    forget_outputs()
    entry = entry_by_title(parse_feed(client, "/feeds/atom.xml"), "Budget approved in Baghdad")
    assert "Body of story" in entry.content[0].value
    feed = json.loads(fetch(client, "/feeds/feed.json").content)
    assert all("content_html" in item for item in feed["items"])


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/section/nowhere/rss.xml",
        "/feeds/section/news/nowhere/atom.xml",
        "/feeds/section/news//feed.json",
        "/feeds/section/news/iraq/budget-approved-in-baghdad/rss.xml",
        "/feeds/topic/no-such-topic/rss.xml",
        "/feeds/author/nobody/feed.json",
        "/feeds/author/%FF%FE/rss.xml",
        "/feeds/topic/%00/rss.xml",
        "/feeds/section/news/rss.txt",
        "/feeds/podcast.xml",
    ],
)
def test_bad_feed_urls_are_404(client, newsroom, path):
    assert client.get(path).status_code == 404


def test_query_strings_are_ignored(client, newsroom):
    plain = fetch(client, "/feeds/rss.xml").content
    assert fetch(client, "/feeds/rss.xml?page=%FF&x=<script>").content == plain


def test_stories_in_a_private_section_stay_out_of_feeds(client, make_story, make_section):
    from wagtail.models import PageViewRestriction

    private = make_section("Staff")
    make_story(section=private, title="Staff only", published=hours_ago(1))
    make_story(title="For everyone", published=hours_ago(2))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    forget_outputs()
    for fmt in ("rss.xml", "atom.xml"):
        titles = [entry.title for entry in parse_feed(client, f"/feeds/{fmt}").entries]
        assert titles == ["For everyone"], fmt
    document = json.loads(fetch(client, "/feeds/feed.json").content)
    assert [item["title"] for item in document["items"]] == ["For everyone"]
