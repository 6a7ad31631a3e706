"""Settings for the site, read from the environment.

With ``DEBUG`` unset these are the production settings: ``SECRET_KEY`` and
``ALLOWED_HOSTS`` must come from the environment and ``manage.py check --deploy`` is
clean. ``make run`` sets ``DEBUG=1`` for local work on the embedded SQLite database.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

from osce_site.links import slug_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-never-used-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "axes",
    "django_filters",
    "django_prose_editor",
    "reversion",
    "mptt",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taxonomy",
    "institutions",
    "press",
    "alerts",
    "osce_site",  # the backup_site and restore_site commands
]

MIDDLEWARE = [
    "osce_site.observability.RequestIDMiddleware",  # first: every log line has the id
    "osce_site.resilience.DatabaseUnavailableMiddleware",  # the database down: a 503 page
    "django.middleware.security.SecurityMiddleware",
    "osce_site.security.PermissionsPolicyMiddleware",
    "osce_site.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "osce_site.languages.LanguageFromPathMiddleware",  # the language from the address
    "osce_site.languages.PublicLanguagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "osce_site.security.SessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into a page
]

ROOT_URLCONF = "osce_site.urls"
WSGI_APPLICATION = "osce_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded database lives under var/ so that a checkout stays clean.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers may write at once: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "osce_site.cache.SharedClientRedisCache",  # Django's, one client a pool
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The organisation's six official languages. English is the default: its addresses have no
# prefix (today's URLs), every other language's start with its code (/ru/press-releases/).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("es", "Español"),
]
# The languages the public site offers (osce_site/languages.py): a language opens when its
# catalogue and its reference data's names are complete: English and Russian. French,
# German, Italian and Spanish wait for theirs (PUBLIC_LANGUAGES=en,ru,fr shows where one is).
PUBLIC_LANGUAGES = tuple(os.environ.get("PUBLIC_LANGUAGES", "en,ru").replace(" ", "").split(","))
if LANGUAGE_CODE not in PUBLIC_LANGUAGES or not set(PUBLIC_LANGUAGES) <= dict(LANGUAGES).keys():
    raise ImproperlyConfigured(
        f"PUBLIC_LANGUAGES must name {LANGUAGE_CODE} and only codes of LANGUAGES: "
        + ", ".join(code for code, _name in LANGUAGES)
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
# English written the British way (31/12/2024, 24 September 2021), as the site always had.
FORMAT_MODULE_PATH = ["osce_site.formats"]
# The organisation's seat: an imported release dated "24 September 2021" is that day here.
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True


def media_storage():
    """Attachments on local disk, or in an S3-compatible bucket when ``S3_BUCKET`` is set.

    Every file goes through Django's storage API, so the choice is this setting alone;
    with several app servers the media must live in such a shared store (``pip install
    '.[s3]'`` adds django-storages; credentials come from the usual ``AWS_*`` variables).
    """
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
        "file_overwrite": False,  # two attachments of the same name both keep their file
        "querystring_auth": env_bool("S3_SIGNED_URLS"),
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {name: value for name, value in options.items() if value is not None},
    }


STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploads: a form's fields (a release's body and all) may total 2.5 MB, more answers 400;
# a file above 2.5 MB goes to a temporary file, not memory, until its validator has seen
# it. Attachments stop at 10 MB (press.models.ATTACHMENT_MAX_BYTES); the proxy in front
# should refuse bodies above about 12 MB before they reach the app.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

LOGIN_URL = reverse_lazy("admin:login")
# Where a login lands when its `next` is missing or refused (another site): the admin, the
# only place that has a login; Django's default, /accounts/profile/, is no page here.
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")

# Terms live in the reference-data apps, their pages in press: the wiring is here so that
# neither reference-data app needs to know about press.
ABSOLUTE_URL_OVERRIDES = {
    "taxonomy.fieldofwork": lambda term: slug_url("press:field-of-work", term.slug),
    "taxonomy.meeting": lambda term: slug_url("press:meeting", term.slug),
    "taxonomy.country": lambda term: slug_url("press:country", term.slug),
    "taxonomy.countrygroup": lambda group: f"{reverse_lazy('press:countries')}#{group.slug}",
    "institutions.structure": lambda term: slug_url("press:structure", term.slug),
}

# Production: the app sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Security by default (README, "Security"). A policy for every page: scripts, styles and
# fonts from this site only, no plugins, no <base>, no framing, forms post here. Images
# may also come from the media bucket when attachments live in one.
SELF, NONE = "'self'", "'none'"


def media_origins():
    """The origin attachments are served from when it is not this site (an S3 bucket)."""
    if not os.environ.get("S3_BUCKET"):
        return []
    if os.environ.get("S3_CUSTOM_DOMAIN"):
        return [f"https://{os.environ['S3_CUSTOM_DOMAIN']}"]
    if os.environ.get("S3_ENDPOINT_URL"):
        return [os.environ["S3_ENDPOINT_URL"].rstrip("/")]
    return [f"https://{os.environ['S3_BUCKET']}.s3.amazonaws.com"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins()],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# The admin differs in one directive (osce_site/security.py says why): the tree's indents,
# the rich-text editor's own stylesheet and its marks are inline styles. Scripts stay
# 'self' there too, plus the hash of each import map the page carries.
ADMIN_CONTENT_SECURITY_POLICY = {"style-src": [SELF, "'unsafe-inline'"]}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone",
        "midi", "payment", "publickey-credentials-get", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# Sessions end after 8 hours without a request: use renews them (at most every 5 minutes,
# osce_site/security.py), so a day's work is uninterrupted and a forgotten browser is
# logged out overnight. Only staff have sessions (visitors' pages never write one), so the
# page cache is untouched.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_RENEW_EVERY = 5 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the admin's scripts read the token from the form, not the cookie
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): 5 wrong passwords for one username from one address lock
# that pair for 15 minutes; others (the same user elsewhere, other users here) are not
# locked. A success resets the count. Site admins see and remove lockouts in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "osce_site.security.lockout_response"  # 429, for how long
# The client's address is the one the proxy appended to X-Forwarded-For (TRUSTED_PROXIES
# of them in front of the app; 0 when it faces clients itself).
AXES_CLIENT_IP_CALLABLE = "osce_site.security.client_address"
AXES_USERNAME_CALLABLE = "osce_site.security.login_username"  # cut to what axes stores
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))

# Logs go to stderr (gunicorn and systemd/docker collect them), each record with its
# request's id (osce_site/observability.py): one JSON object a line in production, plain
# lines under DEBUG. Django's own loggers lose their console handler and pass their records
# to this one, so an error is logged once.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "osce_site.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "osce_site.observability.JSONFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "plain" if DEBUG else "json",
        }
    },
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "axes.apps": {"level": "WARNING"},  # not its version banner on every command
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Email alerts (alerts/): the site's own address for links in emails, the sender, and the
# mail server. Under DEBUG with no EMAIL_HOST, mail is written to var/mail/ (one file a
# message) so that `make run` shows alerts end to end with no mail server.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
ALERTS_FROM_EMAIL = os.environ.get("ALERTS_FROM_EMAIL", "OSCE alerts <alerts@osce.example>")
DEFAULT_FROM_EMAIL = ALERTS_FROM_EMAIL
SERVER_EMAIL = ALERTS_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
if DEBUG and "EMAIL_HOST" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# The alerts' worker queue (django-tasks, its database backend: the same database, so
# nothing more to run or back up; several workers share it, each task taken by one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The alerts' lease on a message and the period of their clock (alerts.outbox, tasks), in
# seconds, where the environment sets them: the tests of real worker processes shorten both.
if "ALERTS_LEASE_SECONDS" in os.environ:
    ALERTS_LEASE = dt.timedelta(seconds=float(os.environ["ALERTS_LEASE_SECONDS"]))
if "ALERTS_TICK_SECONDS" in os.environ:
    ALERTS_TICK = dt.timedelta(seconds=float(os.environ["ALERTS_TICK_SECONDS"]))
if "ALERTS_SETTLE_SECONDS" in os.environ:
    ALERTS_SETTLE = dt.timedelta(seconds=float(os.environ["ALERTS_SETTLE_SECONDS"]))

# The open-data API (api/, README "For API users"): read-only JSON, open to every site.
API_REQUESTS_PER_MINUTE = int(os.environ.get("API_REQUESTS_PER_MINUTE", "120"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.http.errors_as_json",
    "URL_FORMAT_OVERRIDE": None,  # ?format= is the export's own parameter
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OSCE Newsroom open-data API",
    "DESCRIPTION": "Press releases, news and statements, and the reference data, read-only.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
