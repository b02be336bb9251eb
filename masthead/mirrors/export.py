"""Render the public site into a static copy, in full or for the pages a story touches.

Pages are rendered in-process by render.py on the primary host, so
the copy is exactly what the live site serves (canonical links name the primary domain;
feeds, sitemaps and robots.txt name the copy's address when it is given, see
publication/addresses.py, else the primary domain). Internal links are rewritten to
relative ones (rewrite.py); the static files, image renditions and media the pages use
are copied alongside.

This module is the crawl: a queue of site paths, fed by the links of every page rendered.
The other parts: render.py renders a page (and runs the worker pool of a full export),
files.BuildFiles keeps the files of the version being built, listing_walk.py picks the
numbered listing pages an update re-renders, and pipeline.py turns a build into a signed,
switched-to version.
"""

import contextlib
import datetime as dt
import logging
import posixpath
import re
import warnings
from collections import deque
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.core.files.storage import default_storage, storages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.changes.affected import affected, is_private_path, private_prefixes
from masthead.publication.checks import static_manifest_missing
from masthead.publication.paths import (
    default_site_path,
    listing_page_count,
    listing_page_path,
    topic_path,
)
from masthead.syndication import export as syndication

from . import files, listing_walk, render
from .render import Renderer
from .rewrite import Rewriter, UnsafePath, split_internal, url_path_to_file

logger = logging.getLogger("masthead.mirrors")

SEARCH_PATH = "/search/"
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", SEARCH_PATH)
MIRRORS_JSON = "/.well-known/masthead-mirrors.json"
ROKU_FEED = "/feeds/roku.json"
# A guard against a template bug that generates endless distinct links.
MAX_FETCHES = 2_000_000
# Starting worker processes costs more than rendering a publish's couple of dozen pages.
PARALLEL_MIN_BATCH = 64


class ExportError(Exception):
    """An export stopped; the message says why and that the live version is unchanged."""


def failed_pages_message(errors, shown=20):
    """A copy missing pages is not switched to: say which failed and why."""
    lines = [
        f"  {path}: {reason.strip().splitlines()[-1] if reason.strip() else '?'}"
        for path, reason in errors[:shown]
    ]
    more = f"\n  ... and {len(errors) - shown} more" if len(errors) > shown else ""
    return (
        f"{len(errors)} pages failed to render; the current version is unchanged:\n"
        + "\n".join(lines)
        + more
    )


def names_its_address(rel):
    """Files whose absolute URLs name the address the copy is read at (all else is relative)."""
    if rel.endswith(".html"):
        return False
    return rel in ("robots.txt", "sitemap.xml") or rel.startswith(("feeds/", "sitemaps/"))


class Exporter:
    def __init__(
        self,
        build_dir,
        previous_dir=None,
        previous_files=None,
        progress=False,
        workers=1,
        previous_pages=None,
        public_url=None,
    ):
        self.public_url = public_url
        self.workers = max(1, int(workers))
        self.pool = None
        self.previous_dir = Path(previous_dir) if previous_dir else None
        self.output = files.BuildFiles(build_dir, previous_files, previous_pages)
        self.pages = 0
        self.broken, self.errors = [], []
        self.seen = set()
        self.queue = deque()
        self.optional = set()
        self.progress = progress
        self.bar = None
        self.incremental = False
        self.renderer = Renderer(public_url)
        self.media_url = settings.MEDIA_URL
        media_prefixes = []
        if urlsplit(self.media_url).netloc:
            media_prefixes.append(self.media_url)
            if self.media_url.startswith(("http://", "https://")):
                media_prefixes.append("//" + self.media_url.split("://", 1)[1])
        self.media_path = self.media_url if self.media_url.startswith("/") else "/media/"
        self.static_path = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else None
        self.rewriter = Rewriter(lambda url, base: split_internal(url, base, media_prefixes))
        # Private pages (and all below them) never enter a copy: a copy cannot ask for a
        # login or a password, and its files are public.
        self.private = private_prefixes()

    # Public entry points ---------------------------------------------------------------

    def full(self):
        with quiet_404s(), export_static_storage():
            try:
                self._full()
            finally:
                self.close()

    def _full(self):
        for path in seed_paths():
            self.enqueue(path, optional=True)
        self.run_queue()
        self.write_search_note()

    def update(self, pages, build_holds_previous=False):
        """Re-render what the given pages touch; every other file stays as it was.

        build_holds_previous: the build directory already holds the previous version's
        files (pipeline.recycled_build); otherwise they are linked in first.
        """
        with quiet_404s(), export_static_storage():
            try:
                self._update(pages, build_holds_previous)
            finally:
                self.close()

    def _update(self, pages, build_holds_previous):
        self.incremental = True
        if not build_holds_previous:
            self.link_previous()
        forced, listings, story_files = [], [], []
        for page in pages:
            change = affected(page)
            forced.extend(change.paths)
            listings.extend((listing.path, listing.page_count()) for listing in change.listings)
            with_path = default_site_path(page)
            if with_path:
                story_files.append(safe_file(with_path))
        for path in dict.fromkeys(forced):
            self.enqueue(path, optional=True, force=True)
        self.run_queue()
        for base, expected in dict.fromkeys(listings):
            self.walk_listing(base, [name for name in story_files if name], expected)
        self.run_queue()

    def readdress(self):
        """Re-render the files that name the copy's address for this exporter's public_url;
        every other file is the previous version's (linked into the build first)."""
        with quiet_404s(), export_static_storage():
            try:
                self.incremental = True
                self.link_previous()
                for rel in sorted(self.output.entries):
                    if names_its_address(rel):
                        self.enqueue("/" + quote(rel), force=True)
                self.run_queue()
            finally:
                self.close()

    def link_previous(self):
        self.output.link_all_from(self.previous_dir)

    # The crawl -------------------------------------------------------------------------

    def enqueue(self, path, optional=False, force=False):
        if path in self.seen:
            return
        if self.drop_private(path):
            return
        if not force and self.incremental:
            try:
                if url_path_to_file(path) in self.output.entries:
                    return  # unchanged by this update: keep the previous file
            except (UnsafePath, UnicodeDecodeError):
                return
        self.seen.add(path)
        if optional:
            self.optional.add(path)
        self.queue.append(path)
        if self.bar is not None:
            self.bar.total += 1
            self.bar.refresh()

    def run_queue(self):
        from tqdm import tqdm

        fetched = 0
        with tqdm(
            total=len(self.queue), unit="file", disable=not self.progress, leave=False
        ) as self.bar:
            while self.queue:
                if self.workers > 1 and len(self.queue) > 1:
                    batch = list(self.queue)
                    self.queue.clear()
                else:
                    batch = [self.queue.popleft()]
                fetched += len(batch)
                if fetched > MAX_FETCHES:
                    raise ExportError(f"stopped after {MAX_FETCHES} URLs: a link loop?")
                for path, fetched_response in self.fetch_many(batch):
                    self.handle(path, fetched_response)
                    self.bar.update(1)
        self.bar = None

    def fetch_many(self, paths):
        """(path, response) pairs; rendered by worker processes when there are several."""
        pages = [path for path in paths if not self.is_asset(path)]
        if self.workers > 1 and len(pages) >= PARALLEL_MIN_BATCH:
            pool = self.worker_pool()
            results = dict(pool.imap_unordered(render.render_in_worker, pages, chunksize=8))
        else:
            results = {}
        for path in paths:
            yield path, results.get(path)

    def worker_pool(self):
        if self.pool is None:
            self.pool = render.pool(self.workers, self.public_url)
        return self.pool

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def fetch(self, path):
        return self.renderer.render(path)

    def handle(self, path, fetched=None):
        """Fetch one URL into the copy; returns 'changed', 'unchanged', 'missing' or 'error'."""
        try:
            rel = url_path_to_file(path)
        except (UnsafePath, UnicodeDecodeError):
            return "error"
        if self.is_asset(path):
            return self.copy_asset(path, rel)
        if self.drop_private(path):
            return "missing"
        page = fetched or self.fetch(path)
        if page.status == 200:
            return self.store_document(path, rel, page.content_type, page.body)
        if page.status in (301, 302, 303, 307, 308):
            return self.follow_redirect(path, rel, page.location)
        if page.status in (404, 410):
            if path not in self.optional:
                self.broken.append(path)
            self.output.remove(rel)
            return "missing"
        self.errors.append((path, page.error or f"HTTP {page.status}"))
        return "error"

    def store_document(self, path, rel, content_type, body):
        kind = content_type.split(";")[0].strip().lower()
        if kind == "text/html":
            self.pages += 1
            text, found = self.rewriter.html(decode(body, content_type), path, rel)
            self.follow(found)
            return self.output.put(rel, text.encode("utf-8"), page=True)
        elif kind == "text/css":
            text, found = self.rewriter.css(decode(body, content_type), path, rel)
            body = text.encode("utf-8")
            self.follow(found)
        return self.output.put(rel, body)

    def follow_redirect(self, path, rel, location):
        target = split_internal(location, path, [])
        if target is None:
            return "missing"
        target_path = target[0]
        try:
            target_rel = url_path_to_file(target_path)
        except (UnsafePath, UnicodeDecodeError):
            return "missing"
        self.enqueue(target_path)
        if target_rel == rel:
            return "unchanged"  # /news -> /news/ map to the same file
        href = posixpath.relpath(target_rel, posixpath.dirname(rel) or ".")
        stub = render_to_string("mirrors/redirect.html", {"href": quote(href, safe="/._-~")})
        return self.output.put(rel, stub.encode())

    def follow(self, found):
        for path in found:
            if self.excluded(path):
                continue
            self.enqueue(path)

    def excluded(self, path):
        return path.startswith(EXCLUDED_PREFIXES)

    def drop_private(self, path):
        """True for a private path, whose file (from the previous version) is removed."""
        if not is_private_path(path, self.private):
            return False
        self.seen.add(path)
        with contextlib.suppress(UnsafePath, UnicodeDecodeError):
            self.output.remove(url_path_to_file(path))
        return True

    # Assets ----------------------------------------------------------------------------

    def is_asset(self, path):
        if self.static_path and path.startswith(self.static_path):
            return True
        return path.startswith(self.media_path)

    def copy_asset(self, path, rel):
        if self.output.holds(rel):
            return "unchanged"
        try:
            source = self.open_asset(path)
        except (OSError, ValueError) as error:
            self.broken.append(path)
            logger.warning("mirror export: asset %s not found (%s)", path, error)
            return "missing"
        with source:
            if rel.endswith(".css"):
                text, found = self.rewriter.css(decode(source.read(), ""), path, rel)
                self.follow(found)
                return self.output.put(rel, text.encode("utf-8"))
            return self.output.put_stream(rel, source)

    def open_asset(self, path):
        decoded = unquote(path, errors="strict")
        if self.static_path and path.startswith(self.static_path):
            name = decoded[len(self.static_path) :]
            if staticfiles_storage.exists(name):
                return staticfiles_storage.open(name)
            found = finders.find(name)
            if not found:
                raise FileNotFoundError(name)
            return open(found, "rb")  # noqa: SIM115 - closed by the caller
        name = decoded[len(self.media_path) :]
        return default_storage.open(name)

    def write_search_note(self):
        """Search needs the server; a copy carries a page saying so instead."""
        rel = url_path_to_file(SEARCH_PATH)
        request = self.renderer.request(SEARCH_PATH)
        try:
            html = render_to_string("mirrors/search_note.html", {"request": request}, request)
        except Exception:  # noqa: BLE001 - the site's base template may need more context
            logger.warning("mirror export: search note fell back to the plain template")
            html = render_to_string("mirrors/search_note_plain.html", {})
        text, found = self.rewriter.html(html, SEARCH_PATH, rel)
        self.follow(found)
        self.run_queue()
        self.output.put(rel, text.encode("utf-8"))

    # Incremental listings --------------------------------------------------------------

    def walk_listing(self, base, story_files, expected_pages):
        listing_walk.walk(base, expected_pages, story_files, self.output, self.render_listed)
        self.run_queue()

    def render_listed(self, path):
        self.optional.add(path)  # a numbered page past the end is expected to be missing
        return self.handle(path)


@contextlib.contextmanager
def quiet_404s():
    """Probing numbered pages meets expected 404s; Django would log each as a warning."""
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_logger.setLevel(level)


@contextlib.contextmanager
def export_static_storage():
    """The static files storage pages are rendered with during an export.

    With the production storage and no `collectstatic` yet (a fresh clone, a worker on a
    new machine), every {% static %} raises "Missing staticfiles manifest entry", so the
    copy names static files as they are (StaticFilesStorage, read through the finders,
    which copy_asset falls back to) rather than fail every page. Otherwise a fresh
    instance of the configured storage reads the manifest as it is now: a long-running
    task worker may have started before the last `collectstatic`.
    """
    configured = storages.create_storage(settings.STORAGES["staticfiles"])
    if static_manifest_missing(configured):
        logger.warning(
            "mirror export: no static files manifest (run `masthead collectstatic --noinput`"
            " for the live site); the copy names static files without their hash"
        )
        configured = StaticFilesStorage()
    saved = staticfiles_storage._wrapped
    staticfiles_storage._wrapped = configured
    try:
        with warnings.catch_warnings():
            # whitenoise says so at every start without STATIC_ROOT; said once above.
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            yield configured
    finally:
        staticfiles_storage._wrapped = saved


def decode(body, content_type):
    charset = "utf-8"
    match = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    if match:
        charset = match.group(1)
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body.decode("utf-8", errors="replace")


def safe_file(path):
    try:
        return url_path_to_file(path)
    except (UnsafePath, UnicodeDecodeError):
        return None


def seed_paths():
    """Every public URL the database knows of; the crawl adds whatever pages link to."""
    from masthead.news.listings import count_stories_under
    from masthead.news.models import (
        ArticlePage,
        AuthorIndexPage,
        AuthorPage,
        SectionPage,
        Topic,
        VideoPage,
    )
    from masthead.news.serving import VIDEOS_PATH

    yield "/"
    yield "/robots.txt"
    # Linked only while on air, but a reader's bookmark of it must not break in a copy.
    yield reverse("tv_live")
    yield MIRRORS_JSON
    yield ROKU_FEED
    yield from syndication.all_paths()
    for model in (AuthorIndexPage, AuthorPage):
        for page in model.objects.live().public():
            if path := default_site_path(page):
                yield path
    for section in SectionPage.objects.live().public():
        path = default_site_path(section)
        if not path:
            continue
        yield path
        # A guess at the numbered pages: the listing walk finds the rest.
        for number in range(1, listing_page_count(count_stories_under(section)) + 1):
            yield listing_page_path(path, number)
    yield VIDEOS_PATH
    videos = VideoPage.objects.live().public().count()
    for number in range(1, listing_page_count(videos) + 1):
        yield listing_page_path(VIDEOS_PATH, number)
    for page in ArticlePage.objects.live().public().specific().iterator(chunk_size=500):
        if path := default_site_path(page):
            yield path
    topics = Topic.objects.filter(tagged_stories__content_object__live=True).distinct()
    for slug in topics.values_list("slug", flat=True):
        yield topic_path(slug)


def utcnow():
    return timezone.now().astimezone(dt.UTC)
