"""How each page type answers readers: fast routing, context, and cache headers.

These mixins hold the behaviour of the page models in models.py, which keep the fields.
Since models.py imports this module, this module does not import it: the other news models
a page lists or links (stories, sections, authors, topics) come from the page itself, as
`self.news` (a listings.NewsModels that models.py fills in).
"""

import re

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.models import Page, PageViewRestriction
from wagtail.search.backends.base import FilterError
from wagtail.url_routing import RouteResult

from masthead.publication import chrome
from masthead.publication.cdn import add_public_cache_headers
from masthead.publication.paths import (
    listing_page_path,
    page_path,
    parent_tree_path,
    site_root_prefix,
    topic_path,
    tree_paths_to,
)

from . import listings, metadata

WORD_RE = re.compile(r"\w+")
FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# Longest search query we pass to the search backend, in characters.
MAX_QUERY_LENGTH = 200
# The front page's own breadcrumb: sections and stories leave it out (the site name in the
# header leads home), so it is the only crumb there.
HOME_CRUMB = "Home"
# Every video on the site, newest first (the home page's own route).
VIDEOS_PATH = "/videos/"
VIDEOS_TITLE = "Videos"


def search_terms(query):
    """Readers' words only: quotes, brackets, stars and AND/OR/NOT are syntax to the
    full-text engines behind Wagtail's database backend, and an unbalanced quote is an
    error there, so the query is reduced to its words (lower-cased operators are words)."""
    words = WORD_RE.findall(query)
    return " ".join(w.lower() if w in FTS_OPERATORS else w for w in words)


class PublicPageMixin:
    """Shared by every public page type."""

    def surrogate_keys(self, request):
        return [f"page-{self.pk}"] + getattr(request, "_masthead_surrogate_keys", [])

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return add_public_cache_headers(request, response, self.surrogate_keys(request))

    def get_view_restrictions(self):
        """One query instead of Wagtail's two: restrictions on this page, its ancestors, or
        the pages they alias (the tree path gives the ancestors without asking)."""
        paths = tree_paths_to(self.path)
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()

    def ancestor_pages(self, request):
        """Pages from the site root down to the parent (plain Page objects)."""
        cached = getattr(request, "_masthead_ancestors", None)
        if cached is not None and cached and cached[-1].path == parent_tree_path(self.path):
            return cached

        prefix = site_root_prefix(request)
        return [
            page
            for page in self.get_ancestors().only("id", "title", "url_path", "path", "depth")
            if page.url_path.startswith(prefix)
        ]

    def breadcrumb(self, request, include_self=False):
        """[(title, path)] for the sections above (and optionally including) this page."""
        crumbs = [(p.title, page_path(p, request)) for p in self.ancestor_pages(request)[1:]]
        if include_self:
            crumbs.append((self.title, page_path(self, request)))
        return crumbs

    def base_context(self, context, request):
        path_here = page_path(self, request)
        context["page_path"] = path_here
        context["canonical_url"] = metadata.canonical_url(path_here)
        context["site_identity"] = chrome.identity(request)
        return context


def with_breadcrumb(context, crumbs):
    """Put the visible breadcrumb and its BreadcrumbList JSON-LD (the same crumbs, with
    canonical URLs) in the context, so the two cannot drift apart."""
    context["breadcrumb"] = crumbs
    context["breadcrumb_ld"] = metadata.json_for_script(
        metadata.breadcrumb_list([(name, metadata.canonical_url(p)) for name, p in crumbs])
    )
    return context


class HomeMixin(PublicPageMixin):
    def route(self, request, path_components):
        """Find the deepest existing page along the path in one query, not two per level.

        /news/iraq/story/ asks for url_paths /home/news/, /home/news/iraq/ and
        /home/news/iraq/story/ together; a trailing part that matches no page (page/2/)
        is left for that page's own routes.
        """
        if not path_components or not self.live:
            return super().route(request, path_components)
        try:
            # /topics/... and /search/ belong to the home page itself.
            view, args, kwargs = self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            pass
        else:
            request.routable_resolver_match = (view, args, kwargs)
            return RouteResult(self, args=(view, args, kwargs))

        prefixes = [
            self.url_path + "".join(part + "/" for part in path_components[:n])
            for n in range(1, len(path_components) + 1)
        ]
        found = {
            page.url_path: page
            for page in Page.objects.filter(url_path__in=prefixes, path__startswith=self.path).only(
                "id", "title", "url_path", "path", "depth", "content_type_id", "live"
            )
        }
        chain = []
        for n, prefix in enumerate(prefixes):
            page = found.get(prefix)
            if page is None or page.depth != self.depth + n + 1:
                break
            chain.append(page)
        if not chain:
            raise Http404
        deepest = chain[-1]
        model = deepest.specific_class
        if model is None:
            raise Http404
        queryset = model.objects.all()
        if issubclass(model, self.news.ArticlePage):
            queryset = queryset.select_related("lead_image")
        target = queryset.get(pk=deepest.pk)
        target._cached_parent_obj = chain[-2] if len(chain) > 1 else self
        request._masthead_ancestors = [self, *chain[:-1]]
        return target.route(request, path_components[len(chain) :])

    def route_context(self, request):
        """Context for the home page's own routes (topics, search): no front-page listing."""
        context = Page.get_context(self, request)
        return self.base_context(context, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.base_context(context, request)
        sections = list(
            listings.section_pages(self.news)
            .child_of(self)
            .live()
            .order_by("path")
            .only("id", "title", "url_path", "path")
        )
        sections = [s for s in sections if s.path[: len(self.path)] == self.path]
        per_section = listings.latest_per_section(self, sections)
        lead = None
        # The lead story is the newest anywhere on the site.
        newest = [s for stories in per_section.values() for s in stories]
        if newest:
            lead = max(newest, key=lambda s: (s.first_published_at, s.pk))
        groups = []
        for section in sections:
            stories = [s for s in per_section.get(section.pk, []) if s is not lead]
            if stories:
                groups.append(
                    {"section": section, "path": page_path(section, request), "stories": stories}
                )
        shown = [lead] if lead else []
        listings.attach_renditions(shown + newest, specs=listings.THUMB_SPECS + listings.LEAD_SPECS)
        context.update({"lead": lead, "groups": groups})
        return with_breadcrumb(context, [(HOME_CRUMB, "/")])

    def surrogate_keys(self, request):
        return super().surrogate_keys(request) + ["home"]

    @path("topics/<str:slug>/", name="topic")
    def topic_view(self, request, slug):
        topic = self.news.Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404
        stories = listings.story_queryset(self.news).filter(tagged_topics__tag=topic)
        stories = listings.newest_first(stories)
        page = listings.paginate(stories, request.GET.get("page"))
        listings.attach_renditions(page.object_list)
        request._masthead_surrogate_keys = [f"topic-{topic.pk}"]
        context = self.route_context(request)
        path = topic_path(topic.slug)
        context.update(
            {
                "topic": topic,
                "stories": page.object_list,
                "page_obj": page,
                "page_path": path,
                "canonical_url": metadata.canonical_url(path),
            }
        )
        with_breadcrumb(context, [(topic.name, path)])
        return TemplateResponse(request, "news/topic_page.html", context)

    # /videos/ is the home page's, as /topics/ and /search/ are: a section with the slug
    # "videos" directly under home would be hidden behind it.
    @path("videos/", name="videos")
    def videos_view(self, request):
        stories, older = self.video_archive().latest()
        return self.video_listing(request, stories, None, older, None)

    @re_path(r"^videos/page/(?P<number>[0-9]{1,7})/$", name="videos_archive")
    def videos_archive_view(self, request, number):
        """Numbered like a section's archive: page 1 holds the oldest 20 videos."""
        number = int(number)
        found = self.video_archive().numbered(number)
        if found is None:
            raise Http404
        stories, older, newer = found
        return self.video_listing(request, stories, number, older, newer)

    def video_archive(self):
        return listings.Archive(listings.video_queryset(self.news).descendant_of(self))

    def video_listing(self, request, stories, number, older, newer):
        listings.attach_renditions(stories)
        request._masthead_surrogate_keys = ["videos"]
        context = self.route_context(request)
        here = VIDEOS_PATH if number is None else listing_page_path(VIDEOS_PATH, number)
        context.update(
            {
                "stories": stories,
                "page_number": number,
                "older_page": older,
                "newer_page": newer,
                "page_path": VIDEOS_PATH,
                "listing_path": here,
                "canonical_url": metadata.canonical_url(here),
            }
        )
        with_breadcrumb(context, [(VIDEOS_TITLE, VIDEOS_PATH)])
        return TemplateResponse(request, "news/video_index.html", context)

    @path("search/", name="search")
    def search_view(self, request):
        query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        terms = search_terms(query)
        page = None
        if terms:
            # The search backend only understands plain field filters, so Wagtail's own
            # .public() (one extra query for the restrictions) is used here.
            results = self.news.ArticlePage.objects.live().public().order_by("-first_published_at")
            try:
                # A savepoint, so a backend that still rejects the query leaves the
                # connection usable (PostgreSQL aborts the transaction otherwise).
                with transaction.atomic():
                    results = results.search(terms, order_by_relevance=False)
                    page = listings.paginate(results, request.GET.get("page"))
                    ids = [story.pk for story in page.object_list]
            except (FilterError, ValueError, TypeError, DatabaseError):
                page, ids = None, []
            # Reload the page's hits with their images joined, in the hits' order.
            hits = listings.story_queryset(self.news).filter(pk__in=ids)
            found = {story.pk: story for story in hits}
            stories = [found[pk] for pk in ids if pk in found]
            listings.attach_renditions(stories)
        else:
            stories = []
        request._masthead_surrogate_keys = ["search"]
        context = self.route_context(request)
        context.update(
            {
                "query": query,
                "stories": stories,
                "page_obj": page,
                "page_path": "/search/",
                "canonical_url": metadata.canonical_url("/search/"),
                "noindex": True,
            }
        )
        return TemplateResponse(request, "news/search_page.html", context)


class SectionMixin(PublicPageMixin):
    def stories(self):
        return listings.story_queryset(self.news).descendant_of(self)

    def archive(self):
        return listings.Archive(self.stories(), total=listings.count_stories_under(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.base_context(context, request)
        context["subsections"] = [
            (s.title, page_path(s, request))
            for s in listings.public_only(listings.section_pages(self.news).child_of(self).live())
            .order_by("path")
            .only("title", "url_path")
        ]
        return with_breadcrumb(context, self.breadcrumb(request, include_self=True))

    def listing_response(self, request, stories, number, older, newer):
        listings.attach_renditions(stories)
        context = self.get_context(request)
        context.update(
            {"stories": stories, "page_number": number, "older_page": older, "newer_page": newer}
        )
        if number:
            here = listing_page_path(context["page_path"], number)
            context["listing_path"] = here
            context["canonical_url"] = metadata.canonical_url(here)
        return TemplateResponse(request, self.get_template(request), context)

    @path("", name="latest")
    def latest_view(self, request):
        archive = self.archive()
        stories, older = archive.latest()
        return self.listing_response(request, stories, None, older, None)

    @re_path(r"^page/(?P<number>[0-9]{1,7})/$", name="archive")
    def archive_view(self, request, number):
        number = int(number)
        found = self.archive().numbered(number)
        if found is None:
            raise Http404
        stories, older, newer = found
        return self.listing_response(request, stories, number, older, newer)

    def surrogate_keys(self, request):
        return super().surrogate_keys(request) + [f"section-{self.pk}"]


class AuthorIndexMixin(PublicPageMixin):
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.base_context(context, request)
        context["authors"] = [
            (a.title, a.role, page_path(a, request))
            for a in self.news.AuthorPage.objects.child_of(self)
            .live()
            .order_by("title")
            .only("title", "role", "url_path")
        ]
        return context


class AuthorMixin(PublicPageMixin):
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.base_context(context, request)
        bylines = self.news.Byline.objects.filter(author_id=self.pk)
        stories = listings.newest_first(
            listings.story_queryset(self.news).filter(pk__in=bylines.values("article_id"))
        )
        page = listings.paginate(stories, request.GET.get("page"))
        listings.attach_renditions(page.object_list)
        context.update({"author": self, "stories": page.object_list, "page_obj": page})
        return with_breadcrumb(context, self.breadcrumb(request, include_self=True))


class ArticleMixin(PublicPageMixin):
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.base_context(context, request)
        news = self.news
        site = context["site_identity"]
        authors = self.byline_links(request)
        topics = list(
            news.Topic.objects.filter(tagged_stories__content_object_id=self.pk).order_by("name")
        )
        notes = news.CorrectionNote.objects.filter(article_id=self.pk)
        notes = list(notes.order_by("noted_at", "pk"))
        related = listings.related_stories(news, self.pk, [t.pk for t in topics])
        lead_image = self.lead_image if self.lead_image_id else None
        listings.attach_renditions(related, specs=listings.ALL_SPECS, extra_images=[lead_image])

        crumbs = self.breadcrumb(request)
        url = context["canonical_url"]
        home_url = metadata.canonical_url("/")
        share_image = listings.rendition(lead_image, listings.SHARE_FILTER) if lead_image else None
        image_alt = self.lead_image_alt or (lead_image.description if lead_image else "")
        images = [metadata.absolute_media(share_image.url)] if share_image else []
        author_urls = [(name, metadata.canonical_url(p)) for name, p in authors]
        section = crumbs[-1][0] if crumbs else ""
        article_ld = metadata.news_article(
            headline=self.title,
            description=self.standfirst,
            url=url,
            images=images,
            published=self.first_published_at,
            modified=self.updated_at,
            authors=author_urls,
            section=section,
            topics=[t.name for t in topics],
            site=site,
            home_url=home_url,
        )
        breadcrumb_ld = metadata.breadcrumb_list(
            [(name, metadata.canonical_url(p)) for name, p in crumbs] + [(self.title, url)]
        )
        org_ld = {"@context": "https://schema.org", **metadata.organization(site, home_url)}
        context.update(
            {
                "article": self,
                "authors": authors,
                "topics": [(t.name, topic_path(t.slug)) for t in topics],
                "corrections": notes,
                "related": related,
                "breadcrumb": crumbs,
                "lead_image": lead_image,
                "lead_alt": image_alt,
                "share_links": metadata.share_links(url, self.title),
                "share_image": share_image,
                "share_image_url": images[0] if images else "",
                "section_name": section,
                "x_title": metadata.truncate(self.title, metadata.X_TITLE_MAX),
                "x_description": metadata.truncate(self.standfirst, metadata.X_DESCRIPTION_MAX),
                "json_ld": [
                    metadata.json_for_script(article_ld),
                    metadata.json_for_script(breadcrumb_ld),
                    metadata.json_for_script(org_ld),
                ],
            }
        )
        return context

    def byline_links(self, request):
        """[(name, path)] of the authors in byline order, read as values: an AuthorPage
        instance per byline cost more than the query."""
        prefix = site_root_prefix(request)
        links = []
        for author_id, title, url_path in (
            self.news.Byline.objects.filter(article_id=self.pk)
            .order_by("sort_order", "pk")
            .values_list("author_id", "author__title", "author__url_path")
        ):
            if url_path.startswith(prefix):
                links.append((title, url_path[len(prefix) - 1 :]))
            else:  # another site's author: Wagtail's own URL (rare, costs a query)
                author = self.news.AuthorPage.objects.get(pk=author_id)
                links.append((title, page_path(author, request)))
        return links

    def surrogate_keys(self, request):
        sections = [f"section-{p.pk}" for p in self.ancestor_pages(request)[1:]]
        return super().surrogate_keys(request) + sections
