"""A Content-Security-Policy for the public site: nothing loads from anywhere but here
(and the media host, when uploads are served from S3 or a CDN)."""

from urllib.parse import urlsplit

from django.core.files.storage import default_storage

from .sites import find_site

PUBLIC_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:{media}",
    "media-src 'self' https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
# Wagtail's admin uses inline scripts and styles; it still gets no third-party origins.
ADMIN_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:{media}",
    "media-src 'self' blob:{media}",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
]


def media_origin():
    """Where uploaded files are served from, if not this site (S3, a CDN); else ''."""
    parts = urlsplit(default_storage.url("csp-probe"))
    if parts.scheme in ("http", "https") and parts.netloc:
        return f" {parts.scheme}://{parts.netloc}"
    return ""


def build_policy(directives):
    media = media_origin()
    return "; ".join(d.format(media=media) for d in directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = build_policy(
                ADMIN_DIRECTIVES if admin else PUBLIC_DIRECTIVES
            )
        return response


class SiteMiddleware:
    """Hands Wagtail the request's Site from the cache (Site.find_for_request reads
    request._wagtail_site before it queries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = find_site(request)
        return self.get_response(request)
