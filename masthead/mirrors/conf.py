"""The mirrors app's settings: each read from Django settings first, then the environment.

MASTHEAD_MIRROR_TARGETS is configured like CACHES, e.g.

    MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": "/srv/mirror"},
        "bucket": {"BACKEND": "masthead.mirrors.targets.S3Bucket", "BUCKET": "news-mirror",
                   "ENDPOINT_URL": "https://s3.example", "PREFIX": "site/"},
    }

or as JSON in the MASTHEAD_MIRROR_TARGETS environment variable. Empty means that
publishing triggers no automatic export.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _setting(name, default):
    return getattr(settings, name, os.environ.get(name, default))


def targets():
    value = _setting("MASTHEAD_MIRROR_TARGETS", "")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return {}
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ImproperlyConfigured(f"MASTHEAD_MIRROR_TARGETS: not JSON ({error})") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured("MASTHEAD_MIRROR_TARGETS must be a mapping of name to options")
    return value


def signing_key():
    """Base64 of the raw 32-byte Ed25519 private key, or None: manifests go unsigned."""
    return _setting("MASTHEAD_MIRROR_SIGNING_KEY", "") or None


def public_key():
    """Base64 of the raw 32-byte Ed25519 public key that `mirror verify` trusts by default."""
    return _setting("MASTHEAD_MIRROR_PUBLIC_KEY", "") or None


def keep_versions():
    """How many export versions stay on disk (the current one included)."""
    return max(1, int(_setting("MASTHEAD_MIRROR_KEEP_VERSIONS", "3")))


def stale_hours():
    """A copy whose manifest is older than this is reported stale by verify and check."""
    return float(_setting("MASTHEAD_MIRROR_STALE_HOURS", "24"))


def work_dir():
    """Where versions are built when no LocalDirectory target is configured (bucket only)."""
    default = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "mirror-build"
    return Path(_setting("MASTHEAD_MIRROR_WORK_DIR", str(default)))


def check_timeout():
    """Seconds to wait for a mirror's manifest in `mirror check` and `mirror verify`."""
    return float(_setting("MASTHEAD_MIRROR_TIMEOUT", "10"))


def primary_url():
    return settings.PRIMARY_URL.rstrip("/")


def export_workers():
    """Processes that render pages during an export (1: in-process only). More than one
    needs a database each process can open (PostgreSQL, or SQLite in a file)."""
    return max(1, int(_setting("MASTHEAD_MIRROR_WORKERS", "1")))
