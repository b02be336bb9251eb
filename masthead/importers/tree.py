"""Placing new pages in Wagtail's page tree without treebeard's per-insert work.

Treebeard's add_child() re-reads the parent and its last child for every page it adds.
During an import the importer is the only writer of the sections it fills, so it can
hand out materialised paths itself: it reads each parent's last child once, then counts
on. numchild is brought up to date with one UPDATE per parent before each batch
commits, so the tree is `fixtree`-clean (Page.find_problems() is empty) after every
committed batch.
"""

from collections import Counter

from django.db.models import F
from django.utils.text import slugify
from wagtail.models import Page

# A slug made from a headline is cut to this many characters (at a word boundary):
# long enough to read, short enough for a URL that is shared by hand.
MAX_SLUG_LENGTH = 80
# HomePage answers these paths itself (topics and search routes, the authors index),
# so a section must not take them.
RESERVED_HOME_SLUGS = {"topics", "search", "authors", "feeds", "admin", "media", "static"}


def make_slug(text, fallback):
    slug = slugify(text, allow_unicode=True)
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug.strip("-") or slugify(fallback, allow_unicode=True) or "page"


class TreeWriter:
    """Hands out paths and sibling-unique slugs for new children of known parents."""

    def __init__(self, home=None):
        self.home = home
        self.next_step = {}  # parent path -> next free step number
        self.slugs = {}  # parent path -> slugs of its children
        self.line_counts = Counter()  # parent path -> children added by the current line
        self.batch_counts = Counter()  # ... by the lines of this batch that succeeded

    def reset(self):
        """Forget what was read: after a rolled-back line the database is the truth."""
        self.next_step.clear()
        self.slugs.clear()
        self.line_counts.clear()

    def line_done(self):
        """The current line was written: its children count."""
        self.batch_counts.update(self.line_counts)
        self.line_counts.clear()

    def write_child_counts(self):
        """Bring numchild up to date for this batch (call inside its transaction)."""
        for parent_path, added in self.batch_counts.items():
            if added:
                Page.objects.filter(path=parent_path).update(numchild=F("numchild") + added)
        self.forget_child_counts()

    def forget_child_counts(self):
        self.line_counts.clear()
        self.batch_counts.clear()

    def child_slugs(self, parent):
        if parent.path not in self.slugs:
            self.slugs[parent.path] = set(
                Page.objects.filter(
                    path__startswith=parent.path, depth=parent.depth + 1
                ).values_list("slug", flat=True)
            )
        return self.slugs[parent.path]

    def unique_slug(self, parent, base, keep=None):
        """`base`, or base-2, base-3... if a sibling has it. `keep` is the page's own
        current slug, which it may go on using."""
        taken = self.child_slugs(parent)
        reserved = RESERVED_HOME_SLUGS if self.home and parent.pk == self.home.pk else set()
        candidate, number = base, 1
        while (candidate in taken and candidate != keep) or candidate in reserved:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def allocate_path(self, parent):
        if parent.path not in self.next_step:
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            self.next_step[parent.path] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        step = self.next_step[parent.path]
        path = Page._get_path(parent.path, parent.depth + 1, step)
        if len(path) != len(parent.path) + Page.steplen:
            raise ValueError(f"section {parent.title!r} has no room for another page")
        self.next_step[parent.path] = step + 1
        return path

    def place(self, page, parent, slug):
        """Give the unsaved `page` its position under `parent` and count it there."""
        page.path = self.allocate_path(parent)
        page.depth = parent.depth + 1
        page.numchild = 0
        self.claim(page, parent, slug)
        self.line_counts[parent.path] += 1

    def move_leaf(self, page, old_parent_path, parent):
        """Move a page without children to `parent` (an article whose section changed)."""
        self.child_slugs(parent)  # read before the page arrives there
        page.path = self.allocate_path(parent)
        page.depth = parent.depth + 1
        self.slugs.get(old_parent_path, set()).discard(page.slug)
        self.claim(page, parent, self.unique_slug(parent, page.slug))
        self.line_counts[old_parent_path] -= 1
        self.line_counts[parent.path] += 1

    def claim(self, page, parent, slug):
        page.slug = slug
        page.url_path = f"{parent.url_path}{slug}/"
        page.locale_id = parent.locale_id
        # Page.save() asks for the parent to set url_path; this spares it the query.
        page._cached_parent_obj = parent
        self.child_slugs(parent).add(slug)
