"""Writing checked ArticleRecords into the page tree, fast and idempotently.

Each article becomes a live ArticlePage with one published revision, so editors can open
it in the admin like any other story. Articles are matched on ArticlePage.external_id:
importing the same line again changes nothing, and a changed line updates the page.

Speed: in a Wagtail bulk load the search index and the reference index, both updated
on every save, cost more than the pages themselves. bulk_load_mode() switches both off
for the load; index_imported() brings the search index up to date once at the end, in
bulk, and queues the reference index update as a background task, as Wagtail does
after every save. Tree positions come from TreeWriter, not treebeard.

Atomicity: each batch of lines is one transaction and each line a savepoint inside it,
so a line that fails while being written leaves nothing behind.
"""

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead.news.models import (
    ArticlePage,
    ArticleTopic,
    AuthorIndexPage,
    AuthorPage,
    Byline,
    HomePage,
    SectionPage,
    Topic,
    topic_slug,
)
from masthead.news.topics import stamp_published
from masthead.publication.paths import parent_tree_path

from .records import LineError, parse_line
from .tasks import update_references
from .tree import TreeWriter, make_slug

logger = logging.getLogger(__name__)

# Lines per transaction: large enough to amortise the commit, small enough that a
# newsroom editor saving a page at the same time waits well under a second on SQLite.
DEFAULT_BATCH_SIZE = 200
# Objects handed to the search backend at once after the load.
INDEX_CHUNK_SIZE = 500

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
REVISION_POINTER_FIELDS = [
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
]


class ImportSetupError(Exception):
    """The site is not ready for an import (no home page: run migrate first)."""


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # (line number, reason)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + self.skipped

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)


@contextmanager
def bulk_load_mode():
    """Skip per-save search and reference indexing; restore them afterwards.

    Wagtail (through modelsearch) queues a search-index task on every save of an indexed
    model, and another for the reference index. Both are per object; the importer does
    the same work once, in bulk, in index_imported().
    """
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler

    disconnected = []
    for model in get_indexed_models():
        if post_save.disconnect(post_save_signal_handler, sender=model):
            disconnected.append(model)
            post_delete.disconnect(post_delete_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
            post_delete.connect(post_delete_signal_handler, sender=model)


class ArticleImporter:
    """Imports batches of corpus lines. Use inside bulk_load_mode(), then call
    index_imported()."""

    def __init__(self, images_dir=None):
        self.home = HomePage.objects.first()
        if self.home is None:
            raise ImportSetupError("There is no home page yet: run `masthead migrate` first.")
        self.images_dir = images_dir
        self.tree = TreeWriter(self.home)
        self.checked_images = {}
        self.touched = {}  # model -> ids of objects to index afterwards
        self.pending = None  # while a batch collects new articles: [(page, children)]
        self.staged = None
        self.page_type = ContentType.objects.get_for_model(Page)
        self.article_type = ContentType.objects.get_for_model(ArticlePage)
        self.reset_caches()

    def reset_caches(self):
        """After a rolled-back line, objects it created may be gone: read them again."""
        self.sections = {}
        self.authors = {}
        self.author_index = None
        self.topics = {}
        self.images = {}
        self.tree.reset()

    # Lines ---------------------------------------------------------------------------

    def import_batch(self, lines, counts, on_error=None):
        """Import [(line number, raw line)]; counts are updated, errors reported through
        on_error(line number, reason)."""
        records = []
        for number, raw in lines:
            try:
                text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                records.append(parse_line(text, number, self.images_dir, self.checked_images))
            except UnicodeDecodeError:
                self.fail(counts, on_error, number, "not UTF-8 text")
            except LineError as error:
                self.fail(counts, on_error, number, str(error))
        if not records:
            return
        try:
            outcome = self.write_records(records, deferred=True)
        except DatabaseError:
            # The batch-level inserts failed: nothing of the batch was kept. Go again line
            # by line, each line complete in its own savepoint, to find the culprit.
            logger.warning(
                "batch from line %s failed; retrying line by line", records[0].line_number
            )
            self.reset_caches()
            outcome = self.write_records(records, deferred=False)
        for number, reason in outcome.errors:
            self.fail(counts, on_error, number, reason)
        for name in (CREATED, UPDATED, UNCHANGED):
            setattr(counts, name, getattr(counts, name) + getattr(outcome, name))

    def write_records(self, records, deferred):
        """Write checked records in one transaction, each line in a savepoint.

        With `deferred`, what every new article needs besides its page row (bylines,
        topics, revision, revision pointers) is written for the whole batch at once at
        the end: four statements instead of four per article. A failure there rolls the
        whole batch back, and import_batch() retries it with deferred=False.
        """
        outcome = ImportCounts()
        existing = self.existing_articles([r.external_id for r in records])
        self.pending = [] if deferred else None
        written = []
        try:
            with transaction.atomic():
                for record in records:
                    if self.is_pending(existing.get(record.external_id)):
                        # The same id twice in a batch: complete the first before the second.
                        self.flush_pending()
                    try:
                        with transaction.atomic():
                            page, result = self.write(record, existing.get(record.external_id))
                    except LineError as error:
                        self.forget(existing, record.external_id)
                        outcome.errors.append((record.line_number, str(error)))
                    except Exception as error:  # a database refusal: the savepoint undid it
                        logger.exception("line %s could not be saved", record.line_number)
                        self.forget(existing, record.external_id)
                        outcome.errors.append((record.line_number, f"could not be saved: {error}"))
                    else:
                        self.tree.line_done()
                        existing[record.external_id] = page
                        written.append(page.pk)
                        outcome.add(result)
                        if self.staged is not None:
                            self.pending.append(self.staged)
                self.flush_pending()
                self.tree.write_child_counts()
                stamp_published(written)
        finally:
            self.pending = None
            self.tree.forget_child_counts()
        outcome.skipped = len(outcome.errors)
        return outcome

    def is_pending(self, page):
        return page is not None and any(staged is page for staged, _ in self.pending or [])

    def flush_pending(self):
        """Batch-insert the children and revisions of the new articles staged by write()."""
        if not self.pending:
            return
        Byline.objects.bulk_create([row for _, c in self.pending for row in c["bylines"]])
        ArticleTopic.objects.bulk_create(
            [row for _, c in self.pending for row in c["tagged_topics"]]
        )
        revisions = []
        for page, children in self.pending:
            self.set_children(page, children)
            revisions.append(self.new_revision(page, page.last_published_at))
        Revision.objects.bulk_create(revisions)
        for (page, _), revision in zip(self.pending, revisions, strict=True):
            self.point_to_revision(page, revision)
        # One UPDATE for the batch: each new page points at its only revision.
        # (bulk_update() builds a CASE per row and field, slower than the inserts.)
        only_revision = Revision.objects.filter(
            base_content_type=self.page_type, object_id=Cast(OuterRef("pk"), CharField())
        ).values("pk")[:1]
        Page.objects.filter(pk__in=[page.pk for page, _ in self.pending]).update(
            latest_revision=Subquery(only_revision),
            live_revision=Subquery(only_revision),
            latest_revision_created_at=F("last_published_at"),
            has_unpublished_changes=False,
            draft_title=F("title"),
        )
        self.pending = []

    def fail(self, counts, on_error, number, reason):
        counts.skipped += 1
        counts.errors.append((number, reason))
        if on_error:
            on_error(number, reason)

    def forget(self, existing, external_id):
        self.reset_caches()
        existing.pop(external_id, None)
        existing.update(self.existing_articles([external_id]))

    def existing_articles(self, external_ids):
        pages = (
            ArticlePage.objects.filter(external_id__in=set(external_ids))
            .prefetch_related("bylines", "tagged_topics")
            .order_by()
        )
        found = {}
        for page in pages:
            if page.content_type_id != self.article_type.pk:
                page = page.specific  # a VideoPage: keep its own fields in the revision
            found[page.external_id] = page
        return found

    # Articles ------------------------------------------------------------------------

    def write(self, record, page):
        """Write one record; returns (page, outcome). A new article's children and
        revision are left in self.staged when a batch is collecting them."""
        self.staged = None
        parent = self.section_for(record.section)
        authors = [self.author_for(record.byline)] if record.byline else []
        topics = [self.topic_for(name) for name in record.tags]
        image = self.image_for(record.image.path) if record.image else None
        if page is None:
            page = ArticlePage(external_id=record.external_id)
            self.fill_fields(page, record, image)
            slug = self.tree.unique_slug(parent, make_slug(record.headline, record.external_id))
            self.tree.place(page, parent, slug)
            children = {
                "bylines": [
                    Byline(article=page, author=author, sort_order=i)
                    for i, author in enumerate(authors)
                ],
                "tagged_topics": [ArticleTopic(content_object=page, tag=t) for t in topics],
            }
            if self.pending is None:
                self.publish_new(page, record.published, record.updated, children)
            else:
                self.save_new(page, record.published, record.updated)
                self.staged = (page, children)
            return page, CREATED
        if self.unchanged(page, record, parent, image, authors, topics):
            return page, UNCHANGED
        old_parent_path = parent_tree_path(page.path)
        if old_parent_path != parent.path:
            self.tree.move_leaf(page, old_parent_path, parent)
        self.fill(page, record, image, authors, topics)
        page.save(clean=False)
        self.save_published_revision(page, timezone.now())
        self.mark(page)
        return page, UPDATED

    def fill(self, page, record, image, authors, topics):
        self.fill_fields(page, record, image)
        page.bylines = [Byline(author=a, sort_order=i) for i, a in enumerate(authors)]
        page.tagged_topics = [ArticleTopic(tag=topic) for topic in topics]

    def fill_fields(self, page, record, image):
        page.title = page.draft_title = record.headline
        page.standfirst = record.standfirst
        page.body = [("paragraph", html) for html in record.paragraphs]
        page.lead_image = image
        lead = record.image
        page.lead_image_alt = lead.alt if lead else ""
        page.lead_image_caption = lead.caption if lead else ""
        page.lead_image_credit = lead.credit if lead else ""
        page.first_published_at = record.published
        page.last_published_at = record.updated

    def unchanged(self, page, record, parent, image, authors, topics):
        lead = record.image
        return (
            page.title == record.headline
            and page.standfirst == record.standfirst
            and parent_tree_path(page.path) == parent.path
            and page.lead_image_id == (image.pk if image else None)
            and page.lead_image_alt == (lead.alt if lead else "")
            and page.lead_image_caption == (lead.caption if lead else "")
            and page.lead_image_credit == (lead.credit if lead else "")
            and page.first_published_at == record.published
            and page.last_published_at == record.updated
            and [(b["type"], b["value"]) for b in page.body.raw_data]
            == [("paragraph", html) for html in record.paragraphs]
            and [b.author_id for b in page.bylines.all()] == [a.pk for a in authors]
            and sorted(t.tag_id for t in page.tagged_topics.all()) == sorted(t.pk for t in topics)
        )

    # Pages ---------------------------------------------------------------------------

    def save_new(self, page, first_published_at, last_published_at=None):
        """Insert a placed page as live, without children or revision yet."""
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = first_published_at
        page.last_published_at = last_published_at or first_published_at
        page.draft_title = page.title
        page._is_site_root = False  # spares Page.save() a query; imported pages never are
        # log_action=None: no per-page "created" log entry (a bulk load is not an edit).
        page.save(clean=False, log_action=None)
        self.mark(page)

    def publish_new(self, page, first_published_at, last_published_at=None, children=None):
        """Save a placed, unsaved page as live with one published revision.

        `children` maps child relation names to unsaved rows: they are bulk-inserted
        rather than committed one by one by modelcluster.
        """
        self.save_new(page, first_published_at, last_published_at)
        children = children or {}
        for rows in children.values():
            if rows:
                rows[0].__class__.objects.bulk_create(rows)
        self.set_children(page, children)
        self.save_published_revision(page, page.last_published_at)
        return page

    def set_children(self, page, children):
        """Put the saved child rows back on the page, and empty lists for the relations it
        has none of, so its revision is serialised without reading them again."""
        for relation in get_all_child_relations(page):
            name = relation.get_accessor_name()
            setattr(page, name, children.get(name, []))

    def new_revision(self, page, created_at):
        return Revision(
            content_object=page,
            base_content_type=self.page_type,
            content=page.serializable_data(),
            object_str=str(page),
            created_at=created_at,
        )

    def point_to_revision(self, page, revision):
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.draft_title = page.title
        if page.live:
            page.live_revision = revision
            page.has_unpublished_changes = False

    def save_published_revision(self, page, created_at):
        """What page.save_revision().publish() leaves behind, without sending
        page_published for every imported story."""
        revision = self.new_revision(page, created_at)
        revision.save()
        self.point_to_revision(page, revision)
        Page.objects.filter(pk=page.pk).update(
            **{name: getattr(page, name) for name in REVISION_POINTER_FIELDS}
        )
        return revision

    def new_child(self, parent, page, base_slug):
        self.tree.place(page, parent, self.tree.unique_slug(parent, base_slug))
        return self.publish_new(page, timezone.now())

    def mark(self, obj):
        self.touched.setdefault(type(obj), set()).add(obj.pk)

    # Sections, authors, topics, images -------------------------------------------------

    def section_for(self, titles):
        """The innermost SectionPage of `titles` (outermost first), made where missing."""
        parent = self.home
        for depth in range(1, len(titles) + 1):
            key = titles[:depth]
            if key not in self.sections:
                title = titles[depth - 1]
                children = SectionPage.objects.child_of(parent)
                found = children.filter(title=title).first()
                if found is None:
                    found = children.filter(slug=make_slug(title, "section")).first()
                if found is None:
                    found = self.new_child(
                        parent, SectionPage(title=title), make_slug(title, "section")
                    )
                self.sections[key] = found
            parent = self.sections[key]
        return parent

    def author_for(self, name):
        if name not in self.authors:
            index = self.authors_index()
            found = AuthorPage.objects.child_of(index).filter(title=name).first()
            if found is None:
                found = self.new_child(index, AuthorPage(title=name), make_slug(name, "author"))
            self.authors[name] = found
        return self.authors[name]

    def authors_index(self):
        if self.author_index is None:
            self.author_index = AuthorIndexPage.objects.first() or self.new_child(
                self.home, AuthorIndexPage(title="Authors"), "authors"
            )
        return self.author_index

    def topic_for(self, name):
        if name not in self.topics:
            topic = Topic.objects.filter(name=name).first()
            if topic is None:
                base = topic_slug(name)
                slug, number = base, 1
                while Topic.objects.filter(slug=slug).exists():
                    number += 1
                    slug = f"{base}-{number}"
                topic = Topic.objects.create(name=name, slug=slug)
            self.topics[name] = topic
        return self.topics[name]

    def image_for(self, path):
        """One Wagtail image per picture file: found again by its content hash."""
        if path not in self.images:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha1").hexdigest()
                image_model = get_image_model()
                image = image_model.objects.filter(file_hash=digest).first()
                if image is None:
                    image = image_model(title=path.stem)
                    image.file = File(handle, name=path.name)
                    image._set_image_file_metadata()
                    image.save()
                    self.mark(image)
            self.images[path] = image
        return self.images[path]

    # After the load --------------------------------------------------------------------

    def index_imported(self, progress=None):
        """Bring the search index up to date for everything this import wrote, in bulk,
        and queue the reference index update. Returns the number of objects indexed."""
        backends = list(get_search_backends(with_auto_update=True))
        indexed = 0
        for model, ids in self.touched.items():
            ids = sorted(ids)
            for start in range(0, len(ids), INDEX_CHUNK_SIZE):
                chunk = ids[start : start + INDEX_CHUNK_SIZE]
                objects = list(model.objects.filter(pk__in=chunk))
                for backend in backends:
                    backend.add_bulk(model, objects)
                # After the commit, so that a worker in another process can see the rows.
                transaction.on_commit(
                    partial(
                        update_references.enqueue,
                        model._meta.app_label,
                        model._meta.model_name,
                        chunk,
                    )
                )
                indexed += len(objects)
                if progress:
                    progress(len(objects))
        self.touched = {}
        return indexed
