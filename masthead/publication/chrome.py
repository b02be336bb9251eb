"""What every public page shows around its content: identity, section navigation, and the
alternate-addresses notice.

Each piece is one small cached value so that a page costs no queries for them once warm.
The caches are dropped by signals (see signals.py) when sections are published, unpublished,
moved or deleted, when a Mirror changes, and when the publication or live stream settings
are saved; the navigation also when a page is made private or public again
(masthead/changes/receivers.py), since a private section is left out of it.
"""

import functools

from django.core.cache import cache
from wagtail.models import Site

# How long a piece may live even without an invalidating signal (another process may have
# changed it, e.g. a worker on a different cache); seconds.
CHROME_CACHE_SECONDS = 300

NAV_KEY = "masthead:chrome:nav:{site_id}"
MIRRORS_KEY = "masthead:chrome:mirrors"
IDENTITY_KEY = "masthead:chrome:identity:{site_id}"
LIVE_KEY = "masthead:chrome:live:{site_id}"

# Primary language subtags written right to left (BCP 47 language part).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"}
)


def text_direction(language):
    primary = (language or "").split("-")[0].split("_")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


def site_for(request):
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


@functools.cache
def _live_public_sections():
    # Built once per process and only cloned, never evaluated: resolving the restriction
    # filter costs more than running the query. It holds no data, so it cannot go stale.
    from masthead.news.listings import public_only, section_pages

    return public_only(section_pages().live())


def navigation(request):
    """Top-level sections as [{"title", "url"}], in the editors' menu order."""
    site = site_for(request)
    if site is None:
        return []
    key = NAV_KEY.format(site_id=site.pk)
    items = cache.get(key)
    if items is None:
        root = site.root_page
        prefix_len = len(root.url_path) - 1
        # The children of the root, as Wagtail's child_of() finds them, on a prebuilt query.
        children = _live_public_sections().filter(path__startswith=root.path, depth=root.depth + 1)
        items = [
            {"title": title, "url": url_path[prefix_len:]}
            for title, url_path in children.order_by("path").values_list("title", "url_path")
        ]
        cache.set(key, items, CHROME_CACHE_SECONDS)
    return items


def live_stream(request):
    """{"title", "url"} of the live stream while it is on air, else None.

    Read from the TV app's setting: every page's footer links to /live/ only while there
    is something to watch there.
    """
    site = site_for(request)
    if site is None:
        return None
    key = LIVE_KEY.format(site_id=site.pk)
    item = cache.get(key)
    if item is None:
        from masthead.tv.models import LiveStreamSettings

        live = LiveStreamSettings.for_site(site)
        # False rather than None, so that "off air" is cached too.
        item = {"title": live.title, "url": "/live/"} if live.on_air else False
        cache.set(key, item, CHROME_CACHE_SECONDS)
    return item or None


def public_mirrors():
    """The addresses listed in the notice: [{"address", "label"}], possibly empty."""
    items = cache.get(MIRRORS_KEY)
    if items is None:
        from masthead.mirrors.models import Mirror

        items = list(Mirror.objects.filter(is_public=True).values("address", "label"))
        cache.set(MIRRORS_KEY, items, CHROME_CACHE_SECONDS)
    return items


def identity(request):
    """The publication's name, language, handles and logo as plain values.

    The settings row itself is cached with them and handed to Wagtail's per-request
    settings cache, so templates reading {{ settings.publication... }} cost no query either.
    """
    from .models import PublicationSettings

    attr_name = PublicationSettings.get_cache_attr_name()
    known = getattr(request, "_masthead_identity", None)
    if known is not None:
        return known
    site = site_for(request)
    key = IDENTITY_KEY.format(site_id=site.pk if site else 0)
    cached = cache.get(key)
    if cached is None:
        settings_obj = PublicationSettings.for_site(site) if site else PublicationSettings()
        logo = None
        if settings_obj.logo_id:
            rendition = settings_obj.logo.get_rendition("height-120|format-png")
            logo = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
        value = {
            "name": settings_obj.name,
            "tagline": settings_obj.tagline,
            "language": settings_obj.language or "en",
            "dir": text_direction(settings_obj.language),
            "og_locale": (settings_obj.language or "en").replace("-", "_"),
            "x_handle": settings_obj.x_handle.lstrip("@"),
            "roku_channel_url": settings_obj.roku_channel_url,
            "roku_promo_text": settings_obj.roku_promo_text,
            "logo": logo,
        }
        cached = {"identity": value, "settings": settings_obj}
        cache.set(key, cached, CHROME_CACHE_SECONDS)
    if request is not None:
        if not hasattr(request, attr_name) and cached["settings"].pk:
            cached["settings"]._request = request
            setattr(request, attr_name, cached["settings"])
        request._masthead_identity = cached["identity"]
    return cached["identity"]


def forget_per_site(key, *site_ids):
    """Drop a per-site chrome value for every site (and these extra ids)."""
    cache.delete_many(
        [key.format(site_id=pk) for pk in [*site_ids, *Site.objects.values_list("pk", flat=True)]]
    )


def forget_navigation():
    forget_per_site(NAV_KEY)


def forget_live_stream():
    forget_per_site(LIVE_KEY)


def forget_mirrors():
    cache.delete(MIRRORS_KEY)


def forget_identity():
    forget_per_site(IDENTITY_KEY, 0)  # 0: the identity read with no site (no request)
