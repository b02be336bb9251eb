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

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from masthead.publication.conf import primary_url  # noqa: F401 - one definition, reused

logger = logging.getLogger("masthead.mirrors")


def targets():
    value = settings.MASTHEAD_MIRROR_TARGETS or {}
    if not isinstance(value, dict):
        raise ImproperlyConfigured("MASTHEAD_MIRROR_TARGETS must be a mapping of name to options")
    return value


def signing_key_file():
    """Where the signing key is kept as PEM when MASTHEAD_MIRROR_SIGNING_KEY is not set."""
    value = settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE
    return Path(value) if value else None


def signing_key():
    """Base64 of the raw 32-byte Ed25519 private key, or None: manifests go unsigned.

    MASTHEAD_MIRROR_SIGNING_KEY wins; otherwise the key file, if it exists (`make demo`
    creates one, create_signing_key_file() below)."""
    if settings.MASTHEAD_MIRROR_SIGNING_KEY:
        return settings.MASTHEAD_MIRROR_SIGNING_KEY
    path = signing_key_file()
    if path is None or not path.exists():
        return None
    from . import manifest

    try:
        return manifest.private_key_from_pem(path.read_bytes())
    except (OSError, manifest.KeyFormatError) as error:
        raise ImproperlyConfigured(f"MASTHEAD_MIRROR_SIGNING_KEY_FILE {path}: {error}") from None


def create_signing_key_file():
    """Generate the key file once; an existing file is kept. Returns (path, created)."""
    from . import manifest

    path = signing_key_file()
    if path is None:
        raise ImproperlyConfigured("MASTHEAD_MIRROR_SIGNING_KEY_FILE is not set")
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    private, _public = manifest.generate_keypair()
    partial = path.with_name(path.name + ".partial")
    # Owner-only from the first byte: the key signs what readers will trust.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(manifest.private_key_to_pem(private))
    os.replace(partial, path)
    return path, True


def public_key():
    """Base64 of the raw 32-byte Ed25519 public key that `mirror verify` trusts by default."""
    return settings.MASTHEAD_MIRROR_PUBLIC_KEY or None


def published_public_key():
    """The public key readers and mirror operators check copies with: that of the key
    manifests are signed with, else MASTHEAD_MIRROR_PUBLIC_KEY, else None (unsigned)."""
    from . import manifest

    try:
        key = signing_key()
        if key:
            return manifest.public_key_of(key)
    except (ImproperlyConfigured, manifest.KeyFormatError) as error:
        # Readers' pages must not fail over it: the export refuses and says what is wrong.
        logger.error("mirror signing key unusable: %s", error)
        return None
    return public_key()


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


def max_shrink():
    """The share of the current copy's pages a new full version may drop (0.10: 10 %)."""
    return settings.MASTHEAD_MIRROR_MAX_SHRINK
