"""Test settings: fast hashing, immediate tasks, an isolated var/ and media folder."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("MASTHEAD_VAR_DIR", tempfile.mkdtemp(prefix="masthead-test-var-"))
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: E402,F403
from .base import STATIC_ROOT, VAR_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(VAR_DIR) / "media"
# Nothing is collected for tests, but whitenoise warns at every start if its folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = True
PRIMARY_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = PRIMARY_URL
