"""Settings the public site reads, with defaults (all optional)."""

from django.conf import settings


def cdn_max_age():
    """Seconds a shared cache (CDN) may keep a public page; purges keep it fresh."""
    return int(getattr(settings, "MASTHEAD_CDN_MAX_AGE", 300))


def browser_max_age():
    """Seconds a reader's browser may keep a public page without asking again."""
    return int(getattr(settings, "MASTHEAD_BROWSER_MAX_AGE", 60))


def primary_url():
    return getattr(settings, "PRIMARY_URL", "http://127.0.0.1:8000").rstrip("/")
