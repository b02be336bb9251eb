"""Cached reads of the mirror registry for the request path (one query per cache period)."""

from django.core.cache import cache
from django.db import DatabaseError

REGISTRY_CACHE_KEY = "mirrors:registry:v1"
# The cache is cleared whenever a Mirror is saved or deleted (signals.py); the timeout only
# bounds how long another process with a local-memory cache can lag behind.
REGISTRY_CACHE_SECONDS = 300


def _load():
    from .models import Mirror

    live_hosts, onion_origin = set(), None
    for mirror in Mirror.objects.filter(kind__in=[Mirror.Kind.LIVE, Mirror.Kind.ONION]):
        host = mirror.hostname
        if not host:
            continue
        live_hosts.add(host)
        if mirror.kind == Mirror.Kind.ONION and onion_origin is None and host.endswith(".onion"):
            onion_origin = mirror.origin
    return {"live_hosts": sorted(live_hosts), "onion_origin": onion_origin}


def registry():
    data = cache.get(REGISTRY_CACHE_KEY)
    if data is None:
        try:
            data = _load()
        except DatabaseError:
            # No table yet (before migrate) or the database is down: no extra hosts,
            # which fails safe (Django answers 400) and is not cached.
            return {"live_hosts": [], "onion_origin": None}
        cache.set(REGISTRY_CACHE_KEY, data, REGISTRY_CACHE_SECONDS)
    return data


def live_mirror_hosts():
    """Host names (lower case, no port) at which this installation answers."""
    return registry()["live_hosts"]


def onion_origin():
    """The first onion mirror's origin, e.g. http://abc…xyz.onion, or None."""
    return registry()["onion_origin"]


def clear():
    cache.delete(REGISTRY_CACHE_KEY)
