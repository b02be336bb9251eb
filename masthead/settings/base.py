"""Masthead's one settings module: every deployment choice comes from the environment.

Defaults give a laptop install with no services (SQLite in WAL mode, local-memory
cache, media on local disk, tasks in a database queue). Production sets
DATABASE_URL, REDIS_URL, the S3 variables and SECRET_KEY. Every variable is read here, through
the helpers in env.py, so a bad value stops the start with its name; apps read
django.conf.settings only.
"""

import secrets
from pathlib import Path

from masthead.settings.env import (
    env_bool,
    env_choice,
    env_database,
    env_extensions,
    env_float,
    env_int,
    env_json,
    env_list,
    env_str,
    env_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
# In a checkout (make demo, an editable install) var/ sits beside the package. Installed
# into site-packages (`pip install .`) it is the working directory's var/, never a folder
# inside the Python installation: run every command from the deployment's folder.
IN_CHECKOUT = (BASE_DIR / "pyproject.toml").is_file()
VAR_DIR = Path(env_str("MASTHEAD_VAR_DIR", BASE_DIR / "var" if IN_CHECKOUT else Path.cwd() / "var"))


def read_or_create_secret_key(path):
    """Keep a generated key under var/ so sessions survive restarts without a key in git."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")

# The primary domain: canonical URLs, feeds and sitemaps name it.
PRIMARY_URL = env_url("MASTHEAD_PRIMARY_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = PRIMARY_URL
# Host names from the environment; live mirrors in the registry are added at request time.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Hosts where the admin and the front-end login answer (empty: the primary host only).
MASTHEAD_ADMIN_HOSTS = env_list("MASTHEAD_ADMIN_HOSTS")

INSTALLED_APPS = [
    "masthead.publication",
    "masthead.news",
    "masthead.newsroom",
    "masthead.importers",
    "masthead.syndication",
    "masthead.mirrors",
    "masthead.changes",
    "masthead.tv",
    "masthead.demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: SecurityMiddleware's HTTPS redirect asks for the host, which live mirrors extend.
    "masthead.mirrors.middleware.MirrorHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "masthead.publication.middleware.SiteMiddleware",
    # The admin and the front-end login answer only on MASTHEAD_ADMIN_HOSTS, never a mirror.
    "masthead.newsroom.hosts.AdminHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.publication.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise. Connections
# are kept between requests on SQLite too: opening one per request (and re-running the
# PRAGMAs) cost gunicorn about a tenth of its article throughput.
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, unit="seconds", minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while the newsroom writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write locks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise this process's memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "masthead",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Background work (publish-triggered mirror refreshes, cache purges): a database queue
# drained by `masthead db_worker`, so no broker is needed.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Admin login throttling: lock a username/IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, unit="failed logins", minimum=1)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 0.25, unit="hours", minimum=0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, unit="proxies", minimum=0) or None

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible storage when a bucket is named.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_url("AWS_S3_ENDPOINT_URL", None)
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN")
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None

# Uploads: a clear form error rather than a stored surprise.
# Images (MASTHEAD_MAX_UPLOAD_MB); documents and videos have their own limits below.
MAX_UPLOAD_MB = env_int("MASTHEAD_MAX_UPLOAD_MB", 20, unit="megabytes", minimum=1)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_UPLOAD_MB * 1024 * 1024
# Rejects decompression bombs: a small file that would decode to a huge bitmap.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int(
    "MASTHEAD_MAX_IMAGE_PIXELS", 64_000_000, unit="pixels", minimum=1
)
# A story body beyond this in `import-jsonl` is almost certainly a broken export, not
# journalism: the line is reported and skipped.
IMPORT_MAX_BODY_MB = env_int("MASTHEAD_IMPORT_MAX_BODY_MB", 2, unit="megabytes", minimum=1)
# Reads image dimensions from the header before Wagtail decodes the file, and turns
# corrupt or truncated images into a form error instead of a 500 (masthead/newsroom/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "masthead.newsroom.forms.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Documents: refused by size and by type with a clear message, and the empty-extension
# error Wagtail adds after a refused upload dropped (masthead/newsroom/forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "masthead.newsroom.forms.DocumentForm"
MAX_DOCUMENT_MB = env_int("MASTHEAD_MAX_DOCUMENT_MB", 50, unit="megabytes", minimum=1)
WAGTAILDOCS_MAX_UPLOAD_SIZE = MAX_DOCUMENT_MB * 1024 * 1024
# Documents are served from the site's own domain, so a type a browser renders as a page
# (HTML, SVG, XML) would run its script with the reader's session; archives and programs
# are how malware is passed on. Naming one of these is refused at start.
UNSAFE_DOCUMENT_EXTENSIONS = frozenset(
    "htm html shtml xhtml svg svgz xml xsl xslt js mjs swf php exe msi bat cmd com scr "
    "jar zip rar 7z".split()
)
WAGTAILDOCS_EXTENSIONS = env_extensions(
    "MASTHEAD_DOCUMENT_EXTENSIONS",
    "pdf,doc,docx,odt,xls,xlsx,ods,csv,txt,ppt,pptx,odp,epub,vtt",
    refused=UNSAFE_DOCUMENT_EXTENSIONS,
    why="served from the site's domain they could run script or carry malware",
)
# Checked by the video page's form from the upload's size, before ffprobe reads it.
MAX_VIDEO_MB = env_int("MASTHEAD_MAX_VIDEO_MB", 2048, unit="megabytes", minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail (workflow notifications, password resets) is queued and sent by the task worker
# (masthead/newsroom/mail.py) with MASTHEAD_EMAIL_BACKEND, so SMTP never runs in a request.
EMAIL_BACKEND = "masthead.newsroom.mail.QueuedEmailBackend"
MASTHEAD_EMAIL_BACKEND = env_str(
    "MASTHEAD_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, unit="port", minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 10.0, unit="seconds", minimum=0.1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")

WAGTAIL_SITE_NAME = env_str("MASTHEAD_SITE_NAME", "Masthead News")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# Staff avatars would come from gravatar.com, telling it who works in the newsroom.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Security: Django's protections on; cookies secure whenever we are not in a local demo.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, unit="seconds", minimum=0)

# Public pages are cached for this long in shared caches (CDN); purges handle freshness.
MASTHEAD_CDN_MAX_AGE = env_int("MASTHEAD_CDN_MAX_AGE", 300, unit="seconds", minimum=0)
# Readers' browsers keep a public page this long without asking again.
MASTHEAD_BROWSER_MAX_AGE = env_int("MASTHEAD_BROWSER_MAX_AGE", 60, unit="seconds", minimum=0)
# The CDN or caching proxy to purge after each publish, configured like CACHES with Wagtail's
# frontend cache backends, e.g. {"varnish": {"BACKEND":
# "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://127.0.0.1:6081"}}.
WAGTAILFRONTENDCACHE = env_json(
    "MASTHEAD_FRONTEND_CACHE", {}, expect=dict, form="a JSON object of name to backend options"
)

# Feeds and sitemaps (masthead/syndication/conf.py says what each one is for). No cache
# lifetime given: a day with a cache every process shares, a minute with local memory.
MASTHEAD_FEEDS_FULL_TEXT = env_bool("MASTHEAD_FEEDS_FULL_TEXT", False)
MASTHEAD_SYNDICATION_CACHE_SECONDS = env_int(
    "MASTHEAD_SYNDICATION_CACHE_SECONDS", None, unit="seconds", minimum=0
)
MASTHEAD_FEED_TAG_AUTHORITY = env_str("MASTHEAD_FEED_TAG_AUTHORITY")  # None: from PRIMARY_URL

# Static mirrors (masthead/mirrors/conf.py says what each one is for). Targets are
# configured like CACHES; empty means publishing triggers no automatic export.
MASTHEAD_MIRROR_TARGETS = env_json(
    "MASTHEAD_MIRROR_TARGETS", {}, expect=dict, form="a JSON object of target name to options"
)
MASTHEAD_MIRROR_SIGNING_KEY = env_str("MASTHEAD_MIRROR_SIGNING_KEY")
MASTHEAD_MIRROR_PUBLIC_KEY = env_str("MASTHEAD_MIRROR_PUBLIC_KEY")
# Without MASTHEAD_MIRROR_SIGNING_KEY, manifests are signed with this PEM file if it exists.
MASTHEAD_MIRROR_SIGNING_KEY_FILE = env_str(
    "MASTHEAD_MIRROR_SIGNING_KEY_FILE", VAR_DIR / "mirror-signing-key.pem"
)
MASTHEAD_MIRROR_KEEP_VERSIONS = env_int(
    "MASTHEAD_MIRROR_KEEP_VERSIONS", 3, unit="versions", minimum=1
)
MASTHEAD_MIRROR_STALE_HOURS = env_float("MASTHEAD_MIRROR_STALE_HOURS", 24.0, unit="hours")
MASTHEAD_MIRROR_WORK_DIR = Path(env_str("MASTHEAD_MIRROR_WORK_DIR", VAR_DIR / "mirror-build"))
MASTHEAD_MIRROR_TIMEOUT = env_float("MASTHEAD_MIRROR_TIMEOUT", 10.0, unit="seconds", minimum=0.1)
MASTHEAD_MIRROR_WORKERS = env_int("MASTHEAD_MIRROR_WORKERS", 1, unit="processes", minimum=1)
# A full export that would drop more than this share of the current copy's pages is
# refused unless asked for (`mirror export --allow-shrink`): a broken query must not empty
# a mirror.
MASTHEAD_MIRROR_MAX_SHRINK = env_float("MASTHEAD_MIRROR_MAX_SHRINK", 0.10, minimum=0.0, maximum=1.0)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", LOG_LEVELS)},
    "loggers": {
        "masthead": {"level": env_choice("MASTHEAD_LOG_LEVEL", "INFO", LOG_LEVELS)},
    },
}
