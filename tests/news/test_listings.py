"""Home, section, topic, author, author index and search pages through their real URLs."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.news.models import ArticlePage, Byline
from masthead.publication.models import PublicationSettings

from .html import one, parse, text

pytestmark = pytest.mark.django_db


def stories_in(section, make_article, count, start_days_ago=1000, **fields):
    """`count` stories, oldest first, one a day; returns them oldest first."""
    base = timezone.now() - dt.timedelta(days=start_days_ago)
    return [
        make_article(
            section=section,
            title=f"{section.title} story {n:03d}",
            published=base + dt.timedelta(days=n),
            **fields,
        )
        for n in range(count)
    ]


def titles(tree, xpath="//main//ol[@class='story-list']//h2/a"):
    return [a.text for a in tree.xpath(xpath)]


def test_section_shows_newest_twenty_and_archive_pages_count_from_the_oldest(
    client, iraq, make_article
):
    stories = stories_in(iraq, make_article, 45)
    names = [s.title for s in stories]

    tree = parse(client.get("/news/iraq/"))
    assert titles(tree) == names[::-1][:20]
    # Stories 0-19 are page 1, 20-39 page 2, 40-44 page 3; the newest 20 are 25-44, so
    # the next older story (24) is on page 2.
    older = one(tree, '//nav[@aria-label="Pages"]//a[@rel="next"]')
    assert older.get("href") == "/news/iraq/page/2/"

    page1 = parse(client.get("/news/iraq/page/1/"))
    assert titles(page1) == names[:20][::-1]
    assert page1.xpath('//a[@rel="next"]') == []
    assert one(page1, '//a[@rel="prev"]').get("href") == "/news/iraq/page/2/"
    assert (
        one(page1, '//link[@rel="canonical"]').get("href") == "http://testserver/news/iraq/page/1/"
    )

    page3 = parse(client.get("/news/iraq/page/3/"))
    assert titles(page3) == names[40:][::-1]
    assert one(page3, '//a[@rel="prev"]').get("href") == "/news/iraq/"

    # A new story leaves page 1 exactly as it was.
    make_article(section=iraq, title="Breaking")
    assert titles(parse(client.get("/news/iraq/page/1/"))) == names[:20][::-1]
    assert titles(parse(client.get("/news/iraq/")))[0] == "Breaking"

    assert client.get("/news/iraq/page/4/").status_code == 404
    assert client.get("/news/iraq/page/0/").status_code == 404


def test_section_lists_subsections_stories_below_and_breadcrumb(
    client, iraq, make_section, make_article
):
    news = make_section("News")
    make_section("Iran", parent=news)
    make_article(section=iraq, title="From Iraq")
    tree = parse(client.get("/news/"))
    sub = one(tree, '//nav[@aria-label="In News"]')
    assert [(a.text, a.get("href")) for a in sub.xpath(".//a")] == [
        ("Iraq", "/news/iraq/"),
        ("Iran", "/news/iran/"),
    ]
    assert titles(tree) == ["From Iraq"]
    crumbs = one(parse(client.get("/news/iraq/")), '//nav[@aria-label="Breadcrumb"]')
    assert [(a.text, a.get("href")) for a in crumbs.xpath(".//a")] == [
        ("News", "/news/"),
        ("Iraq", "/news/iraq/"),
    ]
    assert crumbs.xpath(".//a")[-1].get("aria-current") == "page"


def test_home_has_lead_story_then_latest_per_top_level_section(
    client, iraq, make_section, make_article
):
    business = make_section("Business")
    now = timezone.now()
    make_article(section=iraq, title="Iraq old", published=now - dt.timedelta(days=2))
    make_article(section=business, title="Business new", published=now - dt.timedelta(hours=3))
    make_article(section=iraq, title="Iraq newest", published=now - dt.timedelta(hours=1))
    tree = parse(client.get("/"))
    lead = one(tree, '//section[@class="lead-story"]')
    assert text(one(lead, ".//h2")) == "Iraq newest"
    assert one(lead, ".//h2/a").get("href") == "/news/iraq/iraq-newest/"
    groups = tree.xpath('//section[@class="home-section"]')
    assert [(text(one(g, "./h2")), one(g, "./h2/a").get("href")) for g in groups] == [
        ("News", "/news/"),
        ("Business", "/business/"),
    ]
    assert [a.text for a in groups[0].xpath(".//h3/a")] == ["Iraq old"]
    assert [a.text for a in groups[1].xpath(".//h3/a")] == ["Business new"]


def test_list_thumbnails_are_lazy_webp_with_dimensions(client, iraq, make_article, make_image):
    image = make_image("Thumb", width=800, height=450)
    make_article(section=iraq, title="With picture", lead_image=image)
    tree = parse(client.get("/news/iraq/"))
    img = one(tree, "//main//ol//img")
    assert img.get("loading") == "lazy"
    assert img.get("width") == "320" and img.get("height") == "180"
    assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["320w", "640w"]
    assert img.get("alt") == "A crowd in a square"


def test_topic_page_lists_tagged_stories_paginated(client, iraq, make_article):
    tagged = stories_in(iraq, make_article, 23)
    for article in tagged:
        article.topics.add("Basra")
        article.save()
    make_article(section=iraq, title="Untagged")
    tree = parse(client.get("/topics/basra/"))
    assert text(one(tree, "//h1")) == "Topic Basra"
    assert titles(tree) == [a.title for a in tagged[::-1][:20]]
    assert one(tree, '//a[@rel="next"]').get("href") == "?page=2"
    page2 = parse(client.get("/topics/basra/?page=2"))
    assert titles(page2) == [a.title for a in tagged[:3][::-1]]
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_author_page_lists_their_stories_and_index_lists_authors(
    client, iraq, make_article, make_author
):
    author = make_author("Hana Yusuf", role="Baghdad correspondent")
    mine = stories_in(iraq, make_article, 3)
    for article in mine:
        Byline.objects.create(article=article, author=author)
    make_article(section=iraq, title="Someone else's")
    tree = parse(client.get("/authors/hana-yusuf/"))
    assert text(one(tree, "//h1")) == "Hana Yusuf"
    assert text(one(tree, '//p[@class="role"]')) == "Baghdad correspondent"
    assert [a.text for a in tree.xpath("//main//ol//h3/a")] == [a.title for a in mine[::-1]]
    index = parse(client.get("/authors/"))
    assert [(a.text, a.get("href")) for a in index.xpath('//ul[@class="author-list"]//a')] == [
        ("Hana Yusuf", "/authors/hana-yusuf/")
    ]


def test_search_finds_published_stories_only(client, iraq, make_article):
    make_article(section=iraq, title="Desalination plant opens", standfirst="Water for Basra.")
    make_article(section=iraq, title="Football final")
    draft = ArticlePage(title="Desalination draft", standfirst="Hidden.", live=False)
    iraq.add_child(instance=draft)
    tree = parse(client.get("/search/", {"q": "desalination"}))
    assert titles(tree) == ["Desalination plant opens"]
    assert one(tree, '//input[@name="q"][@id="search-q"]').get("value") == "desalination"
    assert one(tree, '//meta[@name="robots"]').get("content") == "noindex"
    empty = parse(client.get("/search/"))
    assert empty.xpath("//main//ol") == []


def test_private_section_stories_stay_out_of_listings(client, make_section, make_article):
    from wagtail.models import PageViewRestriction

    secret = make_section("Internal")
    make_article(section=secret, title="Staff memo")
    public = make_section("Sport")
    make_article(section=public, title="Match report")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    tree = parse(client.get("/"))
    shown = [a.text for a in tree.xpath("//main//h2/a | //main//h3/a")]
    assert "Match report" in shown and "Staff memo" not in shown
    assert "Internal" not in [a.text for a in tree.xpath('//nav[@aria-label="Sections"]//a')]
    assert client.get("/internal/staff-memo/").status_code == 302


def _count(client, url):
    client.get(url)  # makes any missing image renditions, which is a one-off write
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listing_query_counts_do_not_grow_with_the_number_of_stories(
    client, iraq, make_section, make_article, make_image
):
    PublicationSettings.for_site(iraq.get_site())
    business = make_section("Business")
    image = make_image("Shared")
    stories_in(iraq, make_article, 3, lead_image=image)
    stories_in(business, make_article, 2, lead_image=image)
    for article in ArticlePage.objects.all():
        article.topics.add("Oil")
        article.save()
    urls = ["/", "/news/iraq/", "/news/iraq/page/1/", "/topics/oil/", "/search/?q=story"]
    small = {url: _count(client, url) for url in urls}
    stories_in(iraq, make_article, 30, start_days_ago=500, lead_image=image)
    stories_in(business, make_article, 25, start_days_ago=500, lead_image=image)
    for article in ArticlePage.objects.all():
        article.topics.add("Oil")
        article.save()
    large = {url: _count(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 15


def test_archive_count_takes_live_public_stories_and_videos_below_the_section(
    make_section, make_article, make_story
):
    from wagtail.models import PageViewRestriction

    from masthead.news.listings import count_stories_under, story_queryset
    from masthead.news.models import NEWS, VideoPage

    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    secret = make_section("Desk notes", parent=news)
    make_article(section=news)
    make_article(section=iraq)
    make_article(section=iraq, live=False)  # a draft
    make_story(iraq, cls=VideoPage, title="Video from Mosul")
    make_article(section=secret)
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    make_article(section=make_section("Sport"))  # another section

    assert count_stories_under(news) == 3
    assert count_stories_under(iraq) == 2
    # The same stories the listing itself shows.
    assert count_stories_under(news) == story_queryset(NEWS).descendant_of(news).count()
