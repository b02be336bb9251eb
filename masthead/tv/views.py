from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from masthead.publication.cdn import add_public_cache_headers

from . import roku
from .models import LiveStreamSettings

# The live page flips between on and off air, so shared caches keep it only briefly.
LIVE_PAGE_MAX_AGE = 60
# Purge keys for CDNs that support them (Surrogate-Key / Cache-Tag).
LIVE_PAGE_CACHE_KEY = "tv-live"
ROKU_FEED_CACHE_KEY = "tv-roku-feed"


@require_safe
def live_stream(request):
    live = LiveStreamSettings.for_request(request)
    response = render(request, "tv/live.html", {"live": live})
    response = add_public_cache_headers(request, response, [LIVE_PAGE_CACHE_KEY])
    if response["Cache-Control"].startswith("public"):
        response["Cache-Control"] = (
            f"public, max-age={LIVE_PAGE_MAX_AGE}, s-maxage={LIVE_PAGE_MAX_AGE}"
        )
        response["Surrogate-Control"] = f"max-age={LIVE_PAGE_MAX_AGE}"
    return response


@require_safe
def roku_feed(request):
    """Roku channel feed; ETag and Last-Modified let the channel skip unchanged copies."""
    feed = roku.rendered_feed(request)
    if feed.body is None:
        response = HttpResponseNotFound(
            roku.NO_VIDEOS_TEXT, content_type="text/plain; charset=utf-8"
        )
        return add_public_cache_headers(request, response, [ROKU_FEED_CACHE_KEY])
    response = HttpResponse(feed.body, content_type="application/json; charset=utf-8")
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(feed.last_modified.timestamp())
    response = add_public_cache_headers(request, response, [ROKU_FEED_CACHE_KEY])
    return get_conditional_response(
        request,
        etag=feed.etag,
        last_modified=int(feed.last_modified.timestamp()),
        response=response,
    )
