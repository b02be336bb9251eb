"""What each feed and sitemap costs at two archive sizes: queries, cold and warm time.

    .venv/bin/python bench/syndication_bench.py [--sizes 1000 10000] [--repeat 5]

Builds a throwaway SQLite database under a temporary MASTHEAD_VAR_DIR, imports the corpus
(masthead.demo.corpus + the import_jsonl command) up to each size in turn, and for every
output reports:

- queries: SQL queries to build it with the cache empty;
- cold: median time to build it with the Django cache cleared before each request
  (lead image renditions already exist: a first request made them);
- warm: median time to serve it from the cache;
- size of the body in bytes.

The claim under test: the site feed and each sitemap file cost the same at both sizes
(the index alone runs one aggregate query whose work grows with the number of months).
Not run by CI.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR_DIR = tempfile.mkdtemp(prefix="masthead-syndication-bench-")
os.environ["MASTHEAD_VAR_DIR"] = VAR_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import load_corpus  # noqa: E402
from masthead.news.models import ArticlePage, AuthorPage, SectionPage, Topic  # noqa: E402
from masthead.publication.paths import section_key  # noqa: E402


def load(count):
    """Import the corpus's first `count` articles (earlier ones match and are skipped)."""
    result = load_corpus(count, images=True)
    total = ArticlePage.objects.count()
    print(f"\n== {total} stories (import took {result.seconds:.0f}s) ==")
    return total


def outputs():
    """One representative path per kind of output, chosen the same way at every size."""
    section = SectionPage.objects.live().order_by("path").first()
    deepest = SectionPage.objects.live().order_by("-depth", "path").first()
    topic = Topic.objects.order_by("slug").first()
    author = AuthorPage.objects.live().order_by("slug").first()
    newest = ArticlePage.objects.live().order_by("-first_published_at").first()
    oldest = ArticlePage.objects.live().order_by("first_published_at").first()
    paths = {
        "site rss": "/feeds/rss.xml",
        "site atom": "/feeds/atom.xml",
        "site json": "/feeds/feed.json",
        "section rss (top)": f"/feeds/section/{section_key(section.url_path)}/rss.xml",
        "section rss (sub)": f"/feeds/section/{section_key(deepest.url_path)}/rss.xml",
    }
    if topic:
        paths["topic rss"] = f"/feeds/topic/{topic.slug}/rss.xml"
    if author:
        paths["author rss"] = f"/feeds/author/{author.slug}/rss.xml"
    paths.update(
        {
            "robots.txt": "/robots.txt",
            "sitemap index": "/sitemap.xml",
            "pages sitemap": "/sitemaps/pages.xml",
            "news sitemap": "/sitemaps/news.xml",
            "video sitemap": "/sitemaps/video.xml",
            "oldest month": f"/sitemaps/articles-{oldest.first_published_at:%Y-%m}.xml",
            "newest month": f"/sitemaps/articles-{newest.first_published_at:%Y-%m}.xml",
        }
    )
    return paths


def measure(client, path, repeat):
    cache.clear()
    first = client.get(path)  # makes any missing renditions
    assert first.status_code == 200, (path, first.status_code)
    cache.clear()
    counted = []
    # Counted with a wrapper, not CaptureQueriesContext: the query log is a bounded deque
    # that a long import may already have filled, which would make every count read 0.
    with connection.execute_wrapper(
        lambda execute, sql, *a: counted.append(sql) or execute(sql, *a)
    ):
        client.get(path)
    cold = []
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        client.get(path)
        cold.append(time.perf_counter() - started)
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        warm.append(time.perf_counter() - started)
    return (
        len(counted),
        statistics.median(cold),
        statistics.median(warm),
        len(response.content),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    client = Client()
    results = {}
    for size in sorted(args.sizes):
        total = load(size)
        print(f"{'output':20} {'queries':>7} {'cold ms':>8} {'warm ms':>8} {'bytes':>9}")
        for name, path in outputs().items():
            queries, cold, warm, size_bytes = measure(client, path, args.repeat)
            results.setdefault(name, {})[total] = queries
            print(f"{name:20} {queries:7d} {cold * 1000:8.1f} {warm * 1000:8.2f} {size_bytes:9d}")
    if len(args.sizes) > 1:
        changed = {
            name: counts for name, counts in results.items() if len(set(counts.values())) > 1
        }
        print(
            "\nquery counts identical at every size"
            if not changed
            else f"\ncounts differ: {changed}"
        )


if __name__ == "__main__":
    main()
