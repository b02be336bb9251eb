"""The mirrors app's settings; the defaults and the environment are in settings/base.py.

MASTHEAD_MIRROR_TARGETS is configured like CACHES, e.g.

    MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": "/srv/mirror"},
        "bucket": {"BACKEND": "masthead.mirrors.targets.S3Bucket", "BUCKET": "news-mirror",
                   "ENDPOINT_URL": "https://s3.example", "PREFIX": "site/"},
    }

or as JSON in the MASTHEAD_MIRROR_TARGETS environment variable. Empty means that
publishing triggers no automatic export.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from masthead.publication.conf import primary_url  # noqa: F401 - one definition, reused


def targets():
    value = settings.MASTHEAD_MIRROR_TARGETS or {}
    if not isinstance(value, dict):
        raise ImproperlyConfigured("MASTHEAD_MIRROR_TARGETS must be a mapping of name to options")
    return value


def signing_key():
    """Base64 of the raw 32-byte Ed25519 private key, or None: manifests go unsigned."""
    return settings.MASTHEAD_MIRROR_SIGNING_KEY or None


def public_key():
    """Base64 of the raw 32-byte Ed25519 public key that `mirror verify` trusts by default."""
    return settings.MASTHEAD_MIRROR_PUBLIC_KEY or None


def keep_versions():
    """How many export versions stay on disk (the current one included)."""
    return max(1, settings.MASTHEAD_MIRROR_KEEP_VERSIONS)


def stale_hours():
    """A copy whose manifest is older than this is reported stale by verify and check."""
    return settings.MASTHEAD_MIRROR_STALE_HOURS


def work_dir():
    """Where versions are built when no LocalDirectory target is configured (bucket only)."""
    return Path(settings.MASTHEAD_MIRROR_WORK_DIR)


def check_timeout():
    """Seconds to wait for a mirror's manifest in `mirror check` and `mirror verify`."""
    return settings.MASTHEAD_MIRROR_TIMEOUT


def export_workers():
    """Processes that render pages during an export (1: in-process only). More than one
    needs a database each process can open (PostgreSQL, or SQLite in a file)."""
    return max(1, settings.MASTHEAD_MIRROR_WORKERS)
