"""Fixtures for feeds and sitemaps: stories with bylines, topics, images and videos."""

import datetime as dt

import feedparser
from django.core.cache import cache
from django.utils import timezone
from lxml import etree

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


def parse_feed(client, path):
    response = fetch(client, path)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def parse_xml(client, path):
    response = fetch(client, path)
    return etree.fromstring(response.content)


def sitemap_locs(root):
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)]


def forget_outputs():
    """Direct .update() calls skip signals; tests that use them start the cache afresh."""
    cache.clear()


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)
