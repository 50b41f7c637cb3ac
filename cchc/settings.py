"""One settings module, driven by environment variables (see .env.example).

SQLite by default so that nothing needs installing to try the product;
DATABASE_URL switches to PostgreSQL. DJANGO_ENV=production turns on the
production hardening and refuses to start without a real secret and hosts.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
# Django's technical 404/500 pages (tracebacks) only when a developer asks.
DEBUG_PAGES = env_bool("DJANGO_DEBUG_PAGES")

_DEV_SECRET = "dev-only-secret-not-for-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names.")

SITE_NAME = env("SITE_NAME", "Cổng thông tin Cải cách hành chính tỉnh An Giang")
WAGTAIL_SITE_NAME = SITE_NAME
# The one source of the site's public address: links in e-mails, feeds and exported
# files (cchc/lib/links.py). The Wagtail Site record only routes requests.
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
BASE_URL = WAGTAILADMIN_BASE_URL

INSTALLED_APPS = [
    "cchc.core",
    "cchc.org",
    "cchc.accounts",
    "cchc.news",
    "cchc.stats",
    "cchc.par",
    "cchc.targets",
    "cchc.sipas",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "cchc.accounts.users_app.UsersConfig",  # wagtail.users, guarded user screens
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The visit beacon answers here, past nothing it does not need (cchc/stats/middleware.py).
    "cchc.stats.middleware.BeaconMiddleware",
    "cchc.core.middleware.PublicPageCacheMiddleware",
    # Inside the page cache, so a cached page keeps the header it was sent with.
    "cchc.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Turns a refused sign-in into the lockout page (after the auth middleware).
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # 404 for another unit's image or document on any back-office URL (cchc/news/media.py).
    "cchc.news.media.MediaScopeMiddleware",
    # Wagtail page screens that do not check the page or the user (cchc/news/page_access.py).
    "cchc.news.page_access.PageScopeMiddleware",
    # Our 404 and 500 pages under DEBUG too, unless DJANGO_DEBUG_PAGES=1 (innermost,
    # so it sees a view's exception first).
    "cchc.core.debug_pages.ProductErrorPagesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.site",
                "cchc.org.context_processors.province",
            ],
        },
    },
]

# Databases ---------------------------------------------------------------
# Persistent connections matter: one connection per request made PostgreSQL
# 5x and SQLite 2.2x slower on these machines (docs/field-notes).
CONN_MAX_AGE = int(env("CONN_MAX_AGE", "600"))
if env("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL"), conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    DATABASES["default"].setdefault("TEST", {})
    if env("TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"]["NAME"] = env("TEST_DATABASE_NAME")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so read-then-write
                # transactions wait in busy_timeout instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured (shared by all workers), else per-process.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "cchc",
        }
    }
else:
    # Public pages keep routes, fragments and rendered lists per section and
    # topic (cchc/core/site_version.py): 300 entries (Django's default) culls them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Authentication ----------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses while a sign-in is locked out; must come first.
    "axes.backends.AxesStandaloneBackend",
    "cchc.accounts.backends.RoleBackend",
]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "accounts:landing"
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
WAGTAILADMIN_USER_LOGIN_FORM = "cchc.accounts.forms.LoginForm"

# Sign-in throttling: django-axes (docs/operations.md). A username is locked
# from one client address after LOGIN_FAILURE_LIMIT failures, so nobody can
# lock a user out from elsewhere; an address is locked after the looser
# LOGIN_ADDRESS_FAILURE_LIMIT (offices share one address behind NAT).
# Counted in the cache, keyed by hashes: no IP address in the database. With
# several workers the cache must be shared (REDIS_URL), else each worker
# counts alone.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
LOGIN_LOCKOUT_MINUTES = int(env("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "cchc.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
# Attempts refused during a lockout neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # its rows would hold raw addresses
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_CLIENT_IP_CALLABLE = "cchc.lib.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "cchc.accounts.views.locked_out"
AXES_COOLOFF_MESSAGE = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
    f"Vui lòng thử lại sau {LOGIN_LOCKOUT_MINUTES} phút."
)

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "cchc@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
FORMAT_MODULE_PATH = ["cchc.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# Static and uploaded files -------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "cchc" / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Uploads (evidence, attachments) live outside the code and the static root;
# in production MEDIA_ROOT points at a volume or object storage mount.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# PAR evidence files: never under MEDIA_ROOT (nothing serves them but the
# permission-checked view in cchc/par/views/evidence.py); in production an
# object-storage backend (django-storages) is set here instead.
EVIDENCE_ROOT = Path(env("EVIDENCE_ROOT", str(BASE_DIR / "var" / "evidence")))
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
# Generated reports (cchc/par/services/reports.py): outside the web root too, read
# only by the permission-checked download view (cchc/par/views/reports.py).
REPORTS_ROOT = Path(env("REPORTS_ROOT", str(BASE_DIR / "var" / "reports")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EVIDENCE_ROOT), "base_url": None},
    },
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(REPORTS_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Development serves static files straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Attachments: PDF, Word and Excel only, checked by content, not by name, on
# every Wagtail upload path (single, multiple, chooser).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cchc.news.forms.AttachmentForm"
# Downloads go through Django, so the check in cchc/news/media.py runs on every one
# (a draft's attachment is not public); never a redirect to the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Background work (django-tasks; docs/operations.md) -------------------------
# "background": long work (the annual report and its appendices) as rows in the
# database, run by `manage.py db_worker --backend background` (make run starts
# one); a job queued survives a restart of the server and of the worker. A
# Redis-backed backend is a change of this setting. "default" stays immediate:
# Wagtail's own small tasks (search index, reference index) run in the request,
# as before.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A report job still "running" with no progress for this long lost its worker
# (killed, machine restarted): it is marked failed and can be requested again.
REPORT_JOB_STALE_MINUTES = int(env("REPORT_JOB_STALE_MINUTES", "30"))

# Wagtail -----------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_COMMENTS_ENABLED = False
# No autosave: on the "new article" screen Wagtail's autosave creates the page
# itself, and an editor who clicks "Gửi duyệt" while an autosave is in flight
# gets two articles (seen in the browser tests under load). Editors save or
# submit; a stale tab is refused by Wagtail's own revision check.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# No avatars fetched from third parties: visitors' and officers' browsers talk
# only to the portal.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Security ----------------------------------------------------------------
# The reverse proxies whose forwarding header names the client (addresses or
# networks, e.g. 127.0.0.1 behind the nginx of docs/deployment.md). Empty: the
# header is ignored and REMOTE_ADDR is the client. Used by sign-in throttling
# and visitor statistics alike (cchc/lib/client_ip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp; cchc/core/middleware.py). Pages load
# scripts, styles, fonts and images from the portal only, and no page can be
# framed by another site (the news widget opts out: frame-ancestors *).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Wagtail's admin needs inline styles and some inline scripts (date pickers,
# inline panels; they carry no nonce), and blob: images for upload previews.
CSP_BACK_OFFICE_PREFIX = "/quan-tri/"
CSP_BACK_OFFICE_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
    # W019: Wagtail's live preview shows the page in a same-origin frame, so
    # X_FRAME_OPTIONS stays SAMEORIGIN (the embeddable news widget opts out
    # per view). W021: HSTS preload is the operator's decision.
    SILENCED_SYSTEM_CHECKS = ["security.W019"] + ([] if SECURE_HSTS_PRELOAD else ["security.W021"])

# Demo accounts' credentials are printed only when this is on (development).
DEMO_PRINT_CREDENTIALS = env_bool("DEMO_PRINT_CREDENTIALS", default=not PRODUCTION)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint logs each layout step of each page at INFO: a report's 50 pages
        # would flood the worker's log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Anonymous visitors get CCHC pages rendered at most this many seconds ago
# (cchc/core/middleware.py); 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "10"))

# Visitor statistics (docs/statistics.md) ---------------------------------
# At most this many distinct visitors (user agents) a day are counted from
# one address: offices and schools share one address behind NAT, but fifty
# user agents from one machine are a script.
STATS_MAX_VISITORS_PER_ADDRESS = int(env("STATS_MAX_VISITORS_PER_ADDRESS", "20"))
# Referrer hosts counted by name besides the built-in search engines, social
# networks, press, *.gov.vn, *.edu.vn and the portal's own hosts; any other
# host is counted as "khác" (cchc/stats/visitors.py).
STATS_REFERRER_HOSTS = env_list("STATS_REFERRER_HOSTS")
# > 0 (default 1): beacons are written in batches every that many seconds,
# and at a worker's exit (graceful restart, max_requests); a worker killed
# outright loses at most its last interval and one write. 0: at beacon time.
STATS_WRITE_BEHIND_SECONDS = float(env("STATS_WRITE_BEHIND_SECONDS", "1"))
STATS_COUNTER_CACHE_SECONDS = int(env("STATS_COUNTER_CACHE_SECONDS", "10"))
