"""What every public page shows around its content that belongs to the publication: its
identity (name, language, handles, logo), and the caching every piece of the chrome shares.

Each piece is one small cached value so that a page costs no queries for it once warm.
The pieces drawn from other apps live in those apps, on top of the helpers here: the
section navigation in masthead/news/navigation.py, the "On air now" link in
masthead/tv/on_air.py, the alternate-addresses notice in masthead/mirrors/notice.py; each
drops its own cache when what it shows changes. The identity is dropped by signals.py.
"""

from django.core.cache import cache
from wagtail.models import Site

from .models import PublicationSettings

# How long a piece may live even without an invalidating signal (another process may have
# changed it, e.g. a worker on a different cache); seconds.
CHROME_CACHE_SECONDS = 300

IDENTITY_KEY = "masthead:chrome:identity:{site_id}"

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


def identity(request):
    """The publication's name, language, handles and logo as plain values.

    The settings row itself is cached with them and handed to Wagtail's per-request
    settings cache, so templates reading {{ settings.publication... }} cost no query either.
    """
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


def forget_identity():
    forget_per_site(IDENTITY_KEY, 0)  # 0: the identity read with no site (no request)
