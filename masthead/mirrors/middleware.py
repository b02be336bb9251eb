"""Live mirrors answer without a redeploy; HTTPS clearnet pages advertise the onion mirror.

Django validates the Host header lazily, in request.get_host(), against ALLOWED_HOSTS.
For a host that is not in ALLOWED_HOSTS but is exactly the host of a live or onion
Mirror, this middleware gives the request a get_host() that accepts it; any other host
is left to Django, which rejects it with 400 as before. Registry hosts are matched
exactly (never as ALLOWED_HOSTS patterns), so a registry entry cannot widen the set
of accepted hosts to a wildcard.
"""

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from . import registry

# Tor proposal "onion-location": the header is acted on only for pages served over
# HTTPS that are not themselves onion sites.
ONION_LOCATION_HEADER = "Onion-Location"
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def live_mirror_hosts():
    return registry.live_mirror_hosts()


class MirrorHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.accept_live_mirror_host(request)
        response = self.get_response(request)
        self.add_onion_location(request, response)
        return response

    def accept_live_mirror_host(self, request):
        try:
            # The same header Django reads (X-Forwarded-Host when USE_X_FORWARDED_HOST).
            raw_host = request._get_raw_host()
        except Exception:  # noqa: BLE001 - a malformed header is Django's to reject
            return
        domain, _port = split_domain_port(raw_host)
        if not domain:
            return  # not a well-formed host: Django's get_host() raises DisallowedHost
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        if validate_host(domain, allowed):
            return  # Django accepts it itself
        if domain in live_mirror_hosts():
            request._masthead_mirror_host = domain
            request.get_host = lambda: raw_host

    def add_onion_location(self, request, response):
        if ONION_LOCATION_HEADER in response or not request.is_secure():
            return
        if request.path.startswith(ADMIN_PREFIXES):
            return
        origin = registry.onion_origin()
        if not origin:
            return
        try:
            domain, _port = split_domain_port(request.get_host())
        except Exception:  # noqa: BLE001 - a rejected host gets no header
            return
        if domain.endswith(".onion"):
            return
        try:
            response[ONION_LOCATION_HEADER] = origin + request.get_full_path()
        except ValueError:  # BadHeaderError: an odd path is better served without it
            pass
