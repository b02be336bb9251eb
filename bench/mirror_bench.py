"""Static mirror speed: a full export of N stories, and publish-to-served time.

    .venv/bin/python bench/mirror_bench.py                  # 1,000 stories
    .venv/bin/python bench/mirror_bench.py --count 10000    # the 5-minute target
    .venv/bin/python bench/mirror_bench.py --count 200 --images

Each run loads the synthetic corpus into a fresh SQLite database in a temporary folder
(bench/common.py), exports the whole site into a versioned destination, then publishes
new stories through Wagtail's API with a LocalDirectory target configured, and stops the
clock when the story's file is in DEST/current. Two ways, both reported:

- worker: as in production, the signal queues the incremental task in the database and a
  `masthead db_worker` process (polling every WORKER_INTERVAL s) picks it up;
- immediate: the ImmediateBackend runs the task in this process as the transaction
  commits: the export's own share of that time.

Then, with nginx and wrk on PATH, nginx (2 worker processes, the README's configuration)
serves the copy and wrk measures an article's requests/s: what a reader of a mirror gets.
"""

import argparse
import json
import os
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
# Targets from the issue: publish-to-mirror within 2 s; 10,000 stories exported in 5 min.
TARGET_PUBLISH_SECONDS = 2.0
TARGET_FULL_EXPORT_SECONDS_10K = 300.0
PUBLISH_SAMPLES = 5
WRK_SECONDS = 10
NGINX_CONF = """
worker_processes 2;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp};
    proxy_temp_path {tmp};
    fastcgi_temp_path {tmp};
    uwsgi_temp_path {tmp};
    scgi_temp_path {tmp};
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""
# The worker's idle poll, as `make demo` and the README's production set-up run it.
WORKER_INTERVAL = "0.2"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--images", action="store_true", help="lead images from the corpus")
    parser.add_argument("--workers", type=int, default=2, help="rendering processes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="masthead-mirror-bench-") as tmp:
        tmp = Path(tmp)
        dest = tmp / "mirror"
        # DEBUG: plain static storage, so no collectstatic is needed before exporting.
        os.environ["DEBUG"] = "1"
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        os.environ["MASTHEAD_MIRROR_WORKERS"] = str(args.workers)
        sys.path.insert(0, str(ROOT))
        from bench.common import fresh_database, load_corpus, mirror_to_local

        fresh_database(tmp / "var")
        loaded = load_corpus(args.count, images=args.images)
        print(f"loaded {args.count} stories in {loaded.seconds:.1f} s", flush=True)
        # The import's follow-up tasks (reference index) run before anything is timed;
        # the mirror target is set afterwards, so the import queues no export of its own.
        subprocess.run([*worker_command(), "--batch"], cwd=ROOT, check=True)
        mirror_to_local(dest)
        from masthead.mirrors.pipeline import run

        start = time.perf_counter()
        result = run(progress=sys.stderr.isatty(), workers=args.workers)
        full_seconds = time.perf_counter() - start
        print(f"full export: {result.summary()}", flush=True)

        worker = start_worker()
        try:
            samples = [publish_one(dest, n) for n in range(PUBLISH_SAMPLES)]
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        immediate = publish_immediately(dest)
        static_rps = serve_with_nginx(tmp, dest / "current")
        report = {
            "stories": args.count,
            "workers": args.workers,
            "full_export_seconds": round(full_seconds, 1),
            "pages": result.pages,
            "files": len(result.files),
            "bytes": result.bytes,
            "ms_per_page": round(1000 * full_seconds / max(result.pages, 1), 1),
            "publish_to_served_seconds": [round(s, 2) for s in samples],
            "publish_to_served_median": round(statistics.median(samples), 2),
            "publish_to_served_immediate_seconds": [round(s, 2) for s in immediate],
            "publish_to_served_immediate_median": round(statistics.median(immediate), 2),
            "target_publish_seconds": TARGET_PUBLISH_SECONDS,
            "nginx_article_requests_per_second": static_rps,
        }
        if args.count:
            projected = full_seconds / args.count * 10_000
            report["projected_10k_export_seconds"] = round(projected)
            report["target_10k_export_seconds"] = TARGET_FULL_EXPORT_SECONDS_10K
        print(json.dumps(report, indent=2))


def serve_with_nginx(tmp, root):
    """Requests/s nginx serves one exported article at (None without nginx or wrk)."""
    if not (shutil.which("nginx") and shutil.which("wrk")):
        return None
    from masthead.news.models import ArticlePage

    story = ArticlePage.objects.live().order_by("pk").first()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)], start_new_session=True)
    try:
        time.sleep(1)
        site_path = story.url_path.split("/", 2)[2]  # "/home/news/x/" -> "news/x/"
        url = f"http://127.0.0.1:{port}/{site_path}"
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{WRK_SECONDS}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if non_2xx:
            raise SystemExit(f"nginx answered {non_2xx[1]} errors for {url}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        nginx.wait(timeout=30)


def worker_command():
    command = [str(ROOT / ".venv" / "bin" / "masthead"), "db_worker", "--no-reload"]
    return command + ["--interval", WORKER_INTERVAL, "--no-startup-delay", "-v", "0"]


def start_worker():
    worker = subprocess.Popen(worker_command(), cwd=ROOT, start_new_session=True)
    time.sleep(3)  # imports and the first poll, before the clock starts
    return worker


def publish_immediately(dest):
    """The same publish with the task run in this process as the transaction commits."""
    from django.test import override_settings

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        return [publish_one(dest, PUBLISH_SAMPLES + n) for n in range(PUBLISH_SAMPLES)]


def publish_one(dest, n):
    from masthead.news.models import ArticlePage, SectionPage

    section = SectionPage.objects.live().order_by("-depth", "path").first()
    story = ArticlePage(
        title=f"Bench story {n} {time.time_ns()}",
        standfirst="Published by the mirror bench.",
        body=[("paragraph", "<p>One paragraph.</p>")],
    )
    section.add_child(instance=story)
    target = dest / "current" / section.url_path.split("/", 2)[2] / story.slug / "index.html"
    start = time.perf_counter()
    story.save_revision().publish()  # page_published -> on_commit -> refresh task
    while not target.exists():
        if time.perf_counter() - start > 120:
            raise SystemExit(f"{target} never appeared")
        time.sleep(0.005)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
