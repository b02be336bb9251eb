"""The article page, rendered through its real URL, element by element."""

import datetime as dt
from urllib.parse import quote, urlsplit

import pytest
from django.utils import timezone

from masthead.news.models import ArticlePage, Byline, CorrectionNote
from masthead.publication.models import PublicationSettings
from tests.conftest import publish

from .html import json_ld, meta, one, parse, text

pytestmark = pytest.mark.django_db

PATH = "/news/iraq/talks-resume-in-baghdad-basra-script/"
CANONICAL = "http://testserver" + PATH
HEADLINE = 'Talks resume in Baghdad & "Basra" </script>'


def test_article_url_and_order_of_parts(client, story):
    response = client.get(PATH)
    assert response.status_code == 200
    tree = parse(response)
    article = one(tree, "//main/article")
    # Top to bottom: breadcrumb, headline, standfirst, lead figure, byline, body, notes, share.
    order = [
        one(article, './/nav[@aria-label="Breadcrumb"]'),
        one(article, ".//h1"),
        one(article, './/p[@class="standfirst"]'),
        one(article, ".//figure[@class='lead-figure']"),
        one(article, './/p[@class="byline"]'),
        one(article, './/div[@class="article-body"]'),
        one(article, './/section[@class="corrections"]'),
        one(article, './/nav[@aria-label="Share this article"]'),
    ]
    positions = [list(article.iter()).index(element) for element in order]
    assert positions == sorted(positions)
    assert text(one(article, ".//h1")) == HEADLINE


def test_breadcrumb_links_each_section(client, story):
    tree = parse(client.get(PATH))
    links = one(tree, '//nav[@aria-label="Breadcrumb"]').xpath(".//a")
    assert [(a.text, a.get("href")) for a in links] == [("News", "/news/"), ("Iraq", "/news/iraq/")]


def test_site_navigation_lists_top_level_sections(client, story, make_section):
    make_section("Business")
    tree = parse(client.get(PATH))
    nav = one(tree, '//header//nav[@aria-label="Sections"]')
    assert [(a.text, a.get("href")) for a in nav.xpath(".//a")] == [
        ("News", "/news/"),
        ("Business", "/business/"),
    ]


def test_lead_photo_figure_with_caption_credit_and_responsive_webp(client, story):
    tree = parse(client.get(PATH))
    figure = one(tree, '//figure[@class="lead-figure"]')
    img = one(figure, ".//img")
    assert img.get("alt") == "Negotiators around a table"
    assert img.get("loading") == "eager"
    assert img.get("width") == "1200" and img.get("height") == "675"
    widths = [candidate.split()[1] for candidate in img.get("srcset").split(", ")]
    assert widths == ["480w", "800w", "1200w"]
    assert all(".webp " in c + " " for c in img.get("srcset").split(", "))
    caption = one(figure, "./figcaption")
    assert text(one(caption, './span[@class="caption"]')) == "The talks opened in the capital."
    assert text(one(caption, './span[@class="credit"]')) == "Photo: Staff"


def test_alt_text_falls_back_to_image_description(client, iraq, make_article, make_image):
    image = make_image("Market", description="Stalls at the old market")
    article = make_article(section=iraq, title="Market reopens", lead_image=image)
    tree = parse(client.get(article.url))
    assert one(tree, '//figure[@class="lead-figure"]//img').get("alt") == "Stalls at the old market"


def test_bylines_link_to_author_pages_and_wire_copy_has_none(client, story, iraq, make_article):
    tree = parse(client.get(PATH))
    byline = one(tree, '//p[@class="byline"]')
    assert [(a.text, a.get("href")) for a in byline.xpath(".//a")] == [
        ("Leila Karimi", "/authors/leila-karimi/"),
        ("Omar Nasser", "/authors/omar-nasser/"),
    ]
    wire = make_article(section=iraq, title="Wire story")
    assert parse(client.get(wire.url)).xpath('//p[@class="byline"]') == []


def test_dateline_times_and_correction_note(client, story):
    tree = parse(client.get(PATH))
    assert text(one(tree, '//p[@class="dateline"]')) == "Baghdad"
    published = one(tree, '//p[@class="times"]/time')
    assert published.get("datetime") == story.first_published_at.isoformat()
    assert tree.xpath('//span[@class="updated"]') == []
    note = one(tree, '//section[@class="corrections"]//li')
    assert "An earlier version misspelt a name." in text(note)
    note_time = CorrectionNote.objects.get(article=story).noted_at
    assert one(note, "./time").get("datetime") == note_time.isoformat()


def test_updated_time_shown_after_a_later_publish(client, story):
    story = ArticlePage.objects.get(pk=story.pk)
    story.standfirst = "Revised standfirst."
    story.save_revision().publish()
    story.refresh_from_db()
    tree = parse(client.get(PATH))
    updated = one(tree, '//span[@class="updated"]/time')
    assert updated.get("datetime") == story.last_published_at.isoformat()
    assert meta(tree, "article:modified_time") == story.last_published_at.isoformat()


def test_share_bar_links_carry_percent_encoded_canonical_url_and_headline(client, story):
    tree = parse(client.get(PATH))
    bar = one(tree, '//nav[@aria-label="Share this article"]')
    u = quote(CANONICAL, safe="")
    t = quote(HEADLINE, safe="")
    assert u == "http%3A%2F%2Ftestserver%2Fnews%2Firaq%2Ftalks-resume-in-baghdad-basra-script%2F"
    assert t == "Talks%20resume%20in%20Baghdad%20%26%20%22Basra%22%20%3C%2Fscript%3E"
    hrefs = {a.text: a.get("href") for a in bar.xpath(".//a")}
    assert hrefs == {
        "X": f"https://x.com/intent/post?url={u}&text={t}",
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={u}",
        "Telegram": f"https://t.me/share/url?url={u}&text={t}",
        "WhatsApp": f"https://wa.me/?text={t}%20{u}",
        "Email": f"mailto:?subject={t}&body={u}",
    }
    # The copy/share button is only revealed by the script.
    button = one(bar, ".//button")
    assert button.get("hidden") is not None
    script = one(tree, "//script[@src]")
    assert script.get("src") == "/static/masthead/share.js" and script.get("defer") is not None


def test_canonical_is_primary_domain_even_on_a_mirror_host(client, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    settings.PRIMARY_URL = "https://news.example"
    response = client.get(PATH, HTTP_HOST="mirror.example")
    assert response.status_code == 200
    tree = parse(response)
    assert one(tree, '//link[@rel="canonical"]').get("href") == "https://news.example" + PATH
    assert meta(tree, "og:url") == "https://news.example" + PATH
    # Internal links stay relative so a reader on the mirror stays on the mirror.
    absolute_to_us = [
        a.get("href")
        for a in tree.xpath("//a[@href]")
        if urlsplit(a.get("href")).hostname in {"news.example", "mirror.example", "testserver"}
    ]
    assert absolute_to_us == []
    assert tree.xpath('//nav[@aria-label="Breadcrumb"]//a')[0].get("href") == "/news/"


def test_open_graph_and_x_card(client, story, home):
    settings_obj = PublicationSettings.for_site(home.get_site())
    settings_obj.x_handle = "mastheadnews"
    settings_obj.save()
    tree = parse(client.get(PATH))
    assert meta(tree, "og:title") == HEADLINE
    assert meta(tree, "og:type") == "article"
    assert meta(tree, "og:url") == CANONICAL
    assert meta(tree, "og:description") == "Negotiators returned to the table on Monday."
    assert meta(tree, "og:site_name") == "Masthead News"
    assert meta(tree, "og:locale") == "en"
    og_image = meta(tree, "og:image")
    assert og_image.startswith("http://testserver/media/") and og_image.endswith(".jpg")
    assert meta(tree, "og:image:width") == "1200" and meta(tree, "og:image:height") == "630"
    assert meta(tree, "article:published_time") == story.first_published_at.isoformat()
    assert meta(tree, "article:section") == "Iraq"
    assert [m.get("content") for m in tree.xpath('//meta[@property="article:tag"]')] == [
        "Basra",
        "Oil",
    ]
    assert meta(tree, "twitter:card") == "summary_large_image"
    assert meta(tree, "twitter:site") == "@mastheadnews"
    assert meta(tree, "twitter:image") == og_image
    assert meta(tree, "twitter:image:alt") == "Negotiators around a table"


def test_json_ld_news_article_breadcrumbs_and_organization(client, story):
    response = client.get(PATH)
    raw = response.content.decode()
    # The headline holds "</script>": it must not end the JSON-LD block early.
    assert raw.count("</script>") == len(parse(response).xpath("//script"))
    article, crumbs, org = json_ld(parse(response))
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == HEADLINE
    assert article["url"] == CANONICAL
    assert article["datePublished"] == story.first_published_at.isoformat()
    assert article["dateModified"] == story.first_published_at.isoformat()
    assert article["image"][0].startswith("http://testserver/media/images/")
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Leila Karimi",
            "url": "http://testserver/authors/leila-karimi/",
        },
        {"@type": "Person", "name": "Omar Nasser", "url": "http://testserver/authors/omar-nasser/"},
    ]
    assert article["publisher"]["name"] == "Masthead News"
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["articleSection"] == "Iraq"
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "News", "http://testserver/news/"),
        (2, "Iraq", "http://testserver/news/iraq/"),
        (3, HEADLINE, CANONICAL),
    ]
    assert org["@type"] == "NewsMediaOrganization" and org["url"] == "http://testserver/"


def test_publisher_logo_in_json_ld_when_set(client, story, home, make_image):
    settings_obj = PublicationSettings.for_site(home.get_site())
    settings_obj.logo = make_image("Logo", width=600, height=200)
    settings_obj.save()
    article, _, org = json_ld(parse(client.get(PATH)))
    logo = article["publisher"]["logo"]
    assert logo["url"].startswith("http://testserver/media/") and logo["height"] == 120
    assert org["logo"] == logo


def test_related_stories_share_topics_newest_first_excluding_itself(
    client, story, iraq, make_article
):
    now = timezone.now()
    older = make_article(
        section=iraq, title="Older oil story", published=now - dt.timedelta(days=3)
    )
    newer = make_article(
        section=iraq, title="Newer Basra story", published=now - dt.timedelta(days=1)
    )
    unrelated = make_article(section=iraq, title="Football result")
    for article, tag in [(older, "Oil"), (newer, "Basra"), (unrelated, "Football")]:
        article.topics.add(tag)
        article.save()
    tree = parse(client.get(PATH))
    related = one(tree, '//section[@class="related"]')
    assert [a.text for a in related.xpath(".//h3/a")] == ["Newer Basra story", "Older oil story"]


def test_footer_promotes_the_roku_channel(client, story, home):
    settings_obj = PublicationSettings.for_site(home.get_site())
    settings_obj.roku_channel_url = "https://channelstore.roku.com/details/example"
    settings_obj.roku_promo_text = "Watch us live on Roku"
    settings_obj.save()
    tree = parse(client.get(PATH))
    link = one(tree, '//footer//li[@class="roku"]/a')
    assert link.get("href") == "https://channelstore.roku.com/details/example"
    assert link.text == "Watch us live on Roku"


def test_body_blocks_each_render_their_template(client, iraq, make_article, make_image):
    image = make_image("Inline", width=900, height=600, description="A harbour")
    article = make_article(
        section=iraq,
        title="Blocks",
        body=[
            ("paragraph", "<p>First <b>bold</b> paragraph.</p>"),
            ("subheading", "What happens next"),
            ("pull_quote", {"quote": "We will rebuild.", "attribution": "The mayor"}),
            ("image", {"image": image, "alt": "", "caption": "The harbour", "credit": "Staff"}),
            ("embed", {"url": "https://video.example/watch?v=1", "title": "Clip", "provider": "V"}),
            ("fact_box", {"title": "Key facts", "body": "<p>Founded 1921.</p>"}),
        ],
    )
    tree = parse(client.get(article.url))
    body = one(tree, '//div[@class="article-body"]')
    assert text(one(body, ".//b")) == "bold"
    assert text(one(body, './/h2[@class="subheading"]')) == "What happens next"
    assert text(one(body, ".//blockquote")) == "We will rebuild."
    inline = one(body, './/figure[@class="inline-image"]')
    assert one(inline, ".//img").get("alt") == "A harbour"
    assert one(inline, ".//img").get("loading") == "lazy"
    embed = one(body, './/p[@class="embed-link"]/a')
    assert embed.get("href") == "https://video.example/watch?v=1"
    assert body.xpath(".//iframe") == []
    assert text(one(body, './/aside[@class="fact-box"]/h2')) == "Key facts"


def test_draft_article_is_not_found(client, iraq):
    draft = ArticlePage(title="Not yet", standfirst="Soon.", live=False)
    iraq.add_child(instance=draft)
    draft.save_revision()
    assert client.get("/news/iraq/not-yet/").status_code == 404


def _article_with(section, make_article, make_author, n_topics, n_authors, tag):
    article = make_article(section=section, title=f"Heavy {tag}")
    for n in range(n_topics):
        article.topics.add(f"{tag} topic {n}")
    article.save()
    for n in range(n_authors):
        Byline.objects.create(
            article=article, author=make_author(f"{tag} Author {n}"), sort_order=n
        )
    return publish(ArticlePage.objects.get(pk=article.pk))


# Brief: an uncached article page costs at most 15 SQL queries, whatever it carries.
MAX_ARTICLE_QUERIES = 15


def test_article_query_count_is_bounded_and_flat(
    client,
    iraq,
    make_article,
    make_author,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.tv.models import LiveStreamSettings

    PublicationSettings.for_site(iraq.get_site())  # created once per site, not per request
    LiveStreamSettings.for_site(iraq.get_site())
    light = _article_with(iraq, make_article, make_author, 1, 1, "light")
    heavy = _article_with(iraq, make_article, make_author, 12, 6, "heavy")
    for _ in range(8):
        other = make_article(section=iraq)
        other.topics.add("heavy topic 1", "light topic 0")
        other.save()
    counts = []
    for article in (light, heavy):
        cache.clear()
        with django_assert_max_num_queries(MAX_ARTICLE_QUERIES):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(article.url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
