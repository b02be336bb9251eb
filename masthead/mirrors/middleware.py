"""Let live mirrors in the registry answer requests without a redeploy."""

from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port, validate_host

LIVE_HOSTS_CACHE_KEY = "mirrors:live-hosts"


def live_mirror_hosts():
    hosts = cache.get(LIVE_HOSTS_CACHE_KEY)
    if hosts is None:
        from urllib.parse import urlsplit

        from .models import Mirror

        hosts = [
            urlsplit(address).hostname
            for address in Mirror.objects.filter(kind__in=[Mirror.Kind.LIVE, Mirror.Kind.ONION])
            .values_list("address", flat=True)
        ]
        hosts = [host for host in hosts if host]
        cache.set(LIVE_HOSTS_CACHE_KEY, hosts, 300)
    return hosts


class MirrorHostMiddleware:
    """Extends ALLOWED_HOSTS with the registry's live and onion hosts.

    Django validates the Host header lazily in request.get_host(); we validate first
    against the static list plus the registry, and mark the request as checked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        domain, _port = split_domain_port(raw_host)
        if domain and not validate_host(domain, settings.ALLOWED_HOSTS):
            if domain in live_mirror_hosts():
                request._masthead_mirror_host = domain
                # Django's own check reads ALLOWED_HOSTS; accept this host for this request only.
                request.get_host = lambda: raw_host
        return self.get_response(request)
