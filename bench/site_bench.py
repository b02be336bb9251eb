"""How fast the public site answers: queries, uncached render time, and throughput.

    .venv/bin/python bench/site_bench.py [--articles 1000 10000] [--samples 200] [--duration 10]

Builds a throwaway SQLite database under a temporary MASTHEAD_VAR_DIR, loads N corpus
articles with lead images (bench/common.py), then for the article, section and home
pages and the site RSS feed reports, at each size in turn:

- SQL queries per page (with the cache empty);
- in-process latency through Django's test client, the cache cleared before every request
  (so navigation, mirror notice and settings are rebuilt each time): median and p99;
- requests/s from gunicorn (2 workers) under wrk on 127.0.0.1 for a bounded duration,
  with the caches warm as in production (no full-page cache).

Not run by CI. Needs `wrk` on PATH for the throughput part (skipped otherwise).
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR_DIR = tempfile.mkdtemp(prefix="masthead-site-bench-")
os.environ["MASTHEAD_VAR_DIR"] = VAR_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import load_corpus  # noqa: E402
from masthead.news.models import ArticlePage, SectionPage  # noqa: E402


def urls_by_kind(client, samples):
    rng = random.Random(7)
    article_urls = [
        client.get_url(a) for a in rng.sample(list(ArticlePage.objects.live()), min(samples, 50))
    ]
    section_urls = [client.get_url(s) for s in SectionPage.objects.live()]
    return {
        "article": article_urls,
        "section": section_urls,
        "home": ["/"],
        "rss": ["/feeds/rss.xml"],
    }


class BenchClient(Client):
    @staticmethod
    def get_url(page):
        return page.url


def measure(client, urls, samples):
    # Warm-up: makes image renditions once (a one-off write, not part of serving).
    for url in urls:
        assert client.get(url).status_code == 200, url
    queries = []
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries.append(len(captured))
    timings = []
    for n in range(samples):
        url = urls[n % len(urls)]
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    size = len(client.get(urls[0]).content)
    return {
        "queries": f"{min(queries)}-{max(queries)}" if min(queries) != max(queries) else queries[0],
        "median_ms": statistics.median(timings),
        "p99_ms": p99,
        "html_bytes": size,
    }


# Concurrent wrk connections: a few per gunicorn worker keeps both busy without queueing.
CONNECTIONS = 4


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throughput(urls, duration):
    if not shutil.which("wrk"):
        return None
    port = free_port()
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "masthead.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        results = {}
        for kind, paths in urls.items():
            url = f"http://127.0.0.1:{port}{paths[0]}"
            # Warm both workers (imports, caches, renditions) before timing.
            for _ in range(20):
                subprocess.run(
                    ["curl", "-s", "-o", "/dev/null", "--max-time", "30", url],
                    check=False,
                    timeout=40,
                )
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{duration}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=duration + 30,
                check=False,
            ).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            p99 = re.search(r"99%\s+([\d.]+\w+)", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            results[kind] = {
                "rps": float(rps.group(1)) if rps else None,
                "p99": p99.group(1) if p99 else None,
                "errors": int(non2xx.group(1)) if non2xx else 0,
            }
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[1000], help="archive sizes, in turn"
    )
    parser.add_argument("--samples", type=int, default=200, help="timed requests per page kind")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page kind")
    parser.add_argument("--no-wrk", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    try:
        for size in sorted(args.articles):
            bench_size(size, args)
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)


def bench_size(size, args):
    """Grow the archive to `size` (the corpus's first articles match and are skipped)."""
    result = load_corpus(size, images=True)
    print(f"\nimported up to {ArticlePage.objects.count()} articles in {result.seconds:.1f}s")
    client = BenchClient()
    urls = urls_by_kind(client, args.samples)
    print(f"{size} articles; {args.samples} uncached requests per kind")
    print(f"{'page':<8} {'queries':>8} {'median ms':>10} {'p99 ms':>8} {'HTML bytes':>11}")
    for kind, paths in urls.items():
        result = measure(client, paths, args.samples)
        print(
            f"{kind:<8} {result['queries']!s:>8} {result['median_ms']:>10.1f} "
            f"{result['p99_ms']:>8.1f} {result['html_bytes']:>11}"
        )
    if args.no_wrk:
        return
    connection.close()
    results = throughput(urls, args.duration)
    if results is None:
        print("wrk not found: throughput skipped")
        return
    print(f"gunicorn 2 workers, wrk -t2 -c{CONNECTIONS} -d{args.duration}s (warm caches)")
    for kind, result in results.items():
        print(f"{kind:<8} {result['rps']} req/s  p99 {result['p99']}  non-2xx {result['errors']}")


if __name__ == "__main__":
    main()
