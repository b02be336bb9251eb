"""Publishing bursts under reader load: how long each story takes to reach the static copy.

    .venv/bin/python bench/burst_bench.py                       # 1,000 stories, 30 s
    .venv/bin/python bench/burst_bench.py --count 10000 --seconds 60 --connections 32

Loads the synthetic corpus into a fresh SQLite database in a temporary folder
(bench/common.py) and makes a first full export to a LocalDirectory target. Then, at once:

- readers: gunicorn (2 workers) serves the site and `wrk -c<connections>` requests
  articles, sections and the home page from it for the whole run;
- the mirror: a `masthead db_worker --interval 0.2` process runs the refresh tasks, as in
  production;
- an editor: this process publishes one new story a second through Wagtail's API.

A watcher notes when each story's page appears in DEST/current; the lag of a story runs
from the moment its publish began. Prints the publish rate, the readers' requests/s and
the lag's min/median/max against the 2 s goal (exit status 1 when a story missed it).
"""

import argparse
import json
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_LAG_SECONDS = 2.0
# The worker's idle poll, as `make demo` and the README's production set-up run it.
WORKER_INTERVAL = "0.2"
READER_PATHS = 40
WRK_SCRIPT = """
paths = {%s}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="stories in the archive")
    parser.add_argument("--seconds", type=int, default=30, help="how long the editor publishes")
    parser.add_argument("--rate", type=float, default=1.0, help="stories published per second")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    args = parser.parse_args()
    for tool in ("wrk",):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get install -y wrk")

    with tempfile.TemporaryDirectory(prefix="masthead-burst-bench-") as tmp:
        tmp = Path(tmp)
        dest = tmp / "mirror"
        # DEBUG: plain static storage, so no collectstatic is needed before exporting.
        os.environ["DEBUG"] = "1"
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        sys.path.insert(0, str(ROOT))
        from bench.common import fresh_database, load_corpus, mirror_to_local

        fresh_database(tmp / "var")
        loaded = load_corpus(args.count)
        print(f"loaded {args.count} stories in {loaded.seconds:.1f} s", flush=True)
        # The import's follow-up tasks run before anything is timed; the target is set
        # afterwards, so the import queues no export of its own.
        subprocess.run([*worker_command(), "--batch"], cwd=ROOT, check=True)
        mirror_to_local(dest)
        from masthead.mirrors.pipeline import run

        start = time.perf_counter()
        result = run()
        print(f"full export in {time.perf_counter() - start:.1f} s: {result.summary()}")

        processes = []
        try:
            port = free_port()
            processes.append(start_site(port))
            processes.append(start_worker())
            wait_for_port(port)
            paths = reader_paths()
            warm(port, paths)
            wrk = start_wrk(tmp, port, paths, args.connections, args.seconds + 5)
            time.sleep(2)  # readers at full load before the first publish
            processes.append(wrk)
            lags, rate = publish_burst(dest, args.seconds, args.rate)
            wrk_out, _ = wrk.communicate(timeout=args.seconds + 60)
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
        report(args, lags, rate, wrk_out)
        if max(lags) > TARGET_LAG_SECONDS:
            raise SystemExit(1)


def publish_burst(dest, seconds, rate):
    """Publish `rate` stories a second for `seconds` s: (each story's lag, in order; the
    publish rate achieved)."""
    from masthead.news.models import ArticlePage, SectionPage

    sections = list(SectionPage.objects.live().order_by("path"))
    watched = {}  # file -> publish start
    seen = {}  # file -> first seen on the copy
    done = threading.Event()
    lock = threading.Lock()

    def watch():
        while not done.is_set() or len(seen) < len(watched):
            with lock:
                waiting = [path for path in watched if path not in seen]
            for path in waiting:
                if path.exists():
                    seen[path] = time.perf_counter()
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    total = int(seconds * rate)
    began = time.perf_counter()
    order = []
    for n in range(total):
        delay = began + n / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        section = sections[n % len(sections)]
        story = ArticlePage(
            title=f"Burst story {n} {time.time_ns()}",
            standfirst="Published by the burst bench.",
            body=[("paragraph", "<p>One paragraph.</p>")],
        )
        section.add_child(instance=story)
        target = dest / "current" / section.url_path.split("/", 2)[2] / story.slug / "index.html"
        started = time.perf_counter()
        with lock:
            watched[target] = started
        order.append(target)
        story.save_revision().publish()  # page_published -> on_commit -> refresh task
    published_for = time.perf_counter() - began
    done.set()
    watcher.join(timeout=180)
    missing = [path for path in order if path not in seen]
    if missing:
        raise SystemExit(f"{len(missing)} stories never reached the copy, e.g. {missing[0]}")
    return [seen[path] - watched[path] for path in order], total / published_for


def report(args, lags, rate, wrk_out):
    rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk_out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk_out)
    errors = re.search(r"Socket errors: (.*)", wrk_out)
    print(f"\n{args.count} stories; gunicorn 2 workers under wrk -t2 -c{args.connections}")
    print(f"publish rate     {rate:.2f} stories/s for {args.seconds} s")
    print(f"reader load      {float(rps[1]) if rps else 0:.1f} req/s", end="")
    print(f" (non-2xx {non_2xx[1] if non_2xx else 0}; socket errors {errors[1] if errors else 0})")
    print(
        f"lag to the copy  min {min(lags):.2f} s  median {statistics.median(lags):.2f} s  "
        f"max {max(lags):.2f} s  (goal: every story within {TARGET_LAG_SECONDS:.0f} s; "
        f"{sum(lag > TARGET_LAG_SECONDS for lag in lags)} of {len(lags)} over)"
    )
    print("lags             " + " ".join(f"{lag:.2f}" for lag in lags))


def reader_paths():
    from masthead.news.models import ArticlePage, SectionPage

    def site_path(page):
        return "/" + page.url_path.split("/", 2)[2]

    articles = list(ArticlePage.objects.live().order_by("pk").values_list("url_path", flat=True))
    rng = random.Random(7)
    picked = rng.sample(articles, min(READER_PATHS, len(articles)))
    paths = ["/" + url_path.split("/", 2)[2] for url_path in picked]
    paths += [site_path(section) for section in SectionPage.objects.live()]
    return ["/", *paths]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_site(port):
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1,localhost")
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "masthead.wsgi", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_for_port(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def warm(port, paths):
    """Imports, caches and renditions in both workers before the clock starts."""
    for path in paths * 2:
        subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "--max-time", "30", f"http://127.0.0.1:{port}{path}"],
            check=False,
            timeout=40,
        )


def start_wrk(tmp, port, paths, connections, seconds):
    script = tmp / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(script), f"http://127.0.0.1:{port}/"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)


def worker_command():
    command = [str(ROOT / ".venv" / "bin" / "masthead"), "db_worker", "--no-reload"]
    return command + ["--interval", WORKER_INTERVAL, "--no-startup-delay", "-v", "0"]


def start_worker():
    worker = subprocess.Popen(worker_command(), cwd=ROOT, start_new_session=True)
    time.sleep(3)  # imports and the first poll, before the clock starts
    return worker


if __name__ == "__main__":
    main()
