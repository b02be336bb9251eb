"""Feeds, sitemaps and robots.txt: paths only, never query strings (caches key on paths).

/feeds/rss.xml  /feeds/atom.xml  /feeds/feed.json                  the whole site
/feeds/section/<section path>/rss.xml (atom.xml, feed.json)       /feeds/section/news/iraq/rss.xml
/feeds/topic/<topic slug>/rss.xml (atom.xml, feed.json)
/feeds/author/<author slug>/rss.xml (atom.xml, feed.json)
/robots.txt  /sitemap.xml (index)  /sitemaps/pages.xml  /sitemaps/news.xml
/sitemaps/video.xml  /sitemaps/articles-YYYY-MM.xml (articles-YYYY-MM-2.xml past 50,000)
"""

from django.urls import path, re_path

from . import views

app_name = "syndication"

# Explicit names, so /feeds/roku.json and other feeds fall through to their own apps.
FORMAT = r"(?P<fmt>rss\.xml|atom\.xml|feed\.json)"

urlpatterns = [
    re_path(rf"^feeds/{FORMAT}\Z", views.feed, name="site_feed"),
    re_path(
        rf"^feeds/section/(?P<key>[^?#]+?)/{FORMAT}\Z",
        views.feed,
        {"kind": "section"},
        name="section_feed",
    ),
    re_path(
        rf"^feeds/topic/(?P<key>[^/]+)/{FORMAT}\Z", views.feed, {"kind": "topic"}, name="topic_feed"
    ),
    re_path(
        rf"^feeds/author/(?P<key>[^/]+)/{FORMAT}\Z",
        views.feed,
        {"kind": "author"},
        name="author_feed",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemaps/pages.xml", views.pages_sitemap, name="pages_sitemap"),
    path("sitemaps/news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemaps/video.xml", views.video_sitemap, name="video_sitemap"),
    re_path(
        r"^sitemaps/(?P<name>articles-[0-9-]+\.xml)\Z", views.sitemap_file, name="sitemap_file"
    ),
]
