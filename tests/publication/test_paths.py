"""One place for public paths: every link to a topic is the same quoted path, and the
listing and tree arithmetic agree with what the site serves."""

import re
from urllib.parse import quote

import pytest

from masthead.news.models import Topic
from masthead.publication import paths

ELECTIONS = "انتخابات"


@pytest.fixture
def unicode_topic_story(make_story):
    story = make_story(title="Polls open", topics=[ELECTIONS])
    return story, Topic.objects.get(name=ELECTIONS)


def test_a_topic_in_any_script_is_linked_by_one_quoted_path(client, unicode_topic_story):
    story, topic = unicode_topic_story
    expected = f"/topics/{quote(topic.slug, safe='')}/"
    assert paths.topic_path(topic.slug) == expected

    article = client.get(story.url).content.decode()
    assert f'href="{expected}"' in article  # the article's topic list
    assert client.get(expected).status_code == 200

    sitemap = client.get("/sitemaps/pages.xml").content.decode()
    assert f"<loc>http://testserver{expected}</loc>" in sitemap

    feed = client.get(f"/feeds/topic/{topic.slug}/rss.xml").content.decode()
    channel_link = re.search(r"<channel>.*?<link>([^<]+)</link>", feed, re.S)[1]
    assert channel_link == f"http://testserver{expected}"


@pytest.mark.parametrize(
    "stories, pages, newest_hidden_page",
    [(0, 0, None), (1, 1, None), (20, 1, None), (21, 2, 1), (40, 2, 1), (41, 3, 2)],
)
def test_listing_arithmetic_follows_the_url_contract(stories, pages, newest_hidden_page):
    assert paths.listing_page_count(stories) == pages
    if newest_hidden_page is not None:
        # The first story the section's own URL does not show, counted from the oldest.
        assert paths.listing_page_holding(stories - paths.STORIES_PER_PAGE - 1) == (
            newest_hidden_page
        )
    assert paths.listing_page_path("/news/", 3) == "/news/page/3/"


def test_tree_paths(iraq):
    news = iraq.get_parent()
    assert paths.tree_paths_to(iraq.path) == [p.path for p in iraq.get_ancestors()] + [iraq.path]
    assert paths.parent_tree_path(iraq.path) == news.path
    assert paths.section_tree_paths(iraq.path + "0001") == [news.path, iraq.path]
    assert paths.site_path_of(iraq.url_path) == "/news/iraq/"
    assert paths.section_key(iraq.url_path) == "news/iraq"
    assert paths.default_site_path(iraq) == "/news/iraq/"
