"""CDN-friendly caching headers for public pages.

Fastly reads Surrogate-Control first, other shared caches s-maxage; browsers keep the page
for a minute. Purge keys go out as Surrogate-Key (Fastly, space separated) and Cache-Tag
(Cloudflare, comma separated).
"""

from django.conf import settings

from . import conf


def is_shareable(request, response):
    """Only anonymous GET/HEAD 200s of published pages may sit in a shared cache.

    A private page (login or password restriction) can only be served with a session
    cookie, so a request carrying one is never shared; previews carry is_preview.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if getattr(request, "is_preview", False):
        return False
    if request.path.startswith("/admin/"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if response.has_header("Cache-Control") or response.cookies:
        return False
    return True


def add_public_cache_headers(request, response, keys):
    if not is_shareable(request, response):
        response.setdefault("Cache-Control", "private, no-cache")
        return response
    shared = conf.cdn_max_age()
    response["Cache-Control"] = f"public, max-age={conf.browser_max_age()}, s-maxage={shared}"
    response["Surrogate-Control"] = f"max-age={shared}"
    keys = [key for key in dict.fromkeys(keys) if key]
    if keys:
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
    return response
