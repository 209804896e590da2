"""Settings of the CCHC Index Portal, all driven by environment variables.

Development opts in with DJANGO_DEBUG=true (the Makefile does it for `make run`);
everything else defaults to what is safe in production.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cchc_portal.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DJANGO_DEBUG", default=False)

# Only development may run with a key everyone knows; check --deploy flags it anyway.
SECRET_KEY = envstr("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(for development, set DJANGO_DEBUG=true)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks",
    "cchc_portal",
    "axes",
    "csp",
    "cchc_portal.accounts",
    "units",
    "scoring",
    "reports",
    # After reports, whose db_worker command (the worker that first takes back what a
    # stopped worker left running) replaces this app's own.
    "django_tasks_db",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc_portal.middleware.ChosenLanguageMiddleware",
    # Before anything reads the body (CSRF reads a POST's fields); after the language,
    # so the refusal is in the visitor's.
    "cchc_portal.request_size.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cchc_portal.accounts.middleware.IdleTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page that explains it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "units.context_processors.portal",
            ],
        },
    },
]

# An empty or unset DATABASE_URL means the zero-setup SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DJANGO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the zero-setup default; PostgreSQL is the production database.
    # The background worker (db_worker) writes to the same file as the web process: a
    # writer waits for the other's transaction (a publication holds it for seconds)
    # instead of failing with "database is locked" after SQLite's default 5 s.
    # IMMEDIATE takes the write lock when a transaction begins. With SQLite's default
    # (DEFERRED) a transaction that read first and then writes cannot wait for the lock
    # (SQLite fails it at once, whatever the timeout): 10 staff saving scores beside public
    # traffic failed 6.7 % of their saves that way; with IMMEDIATE none (issue 10).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": envint("DJANGO_SQLITE_TIMEOUT", 20), "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The public pages keep rendered answers here (reports.views.page_cache). By default each
# process has its own memory cache; DJANGO_CACHE_URL (redis://host:6379/0) shares one
# between the workers with Django's Redis backend, which needs the `redis` package
# installed alongside (not a dependency of the portal).
CACHE_URL = envstr("DJANGO_CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL={CACHE_URL!r} is not a Redis URL (redis://, rediss:// or unix://)."
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cchc"}
    )
}

# Background tasks (django-tasks, the backport of Django 6's tasks): publishing a
# decision renders its PDF, which takes seconds to minutes for a large province, so the
# web request only queues it. "database" keeps the queue in the portal's database and
# needs a worker process (manage.py db_worker; make run starts one); "immediate" runs
# each task at once in the process that queues it (the tests, or a look without a worker).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = envstr("DJANGO_TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND={TASKS_BACKEND!r} is not one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A password reset link is good for one day (Django's default is three).
PASSWORD_RESET_TIMEOUT = 24 * 3600
# A new account's invitation link (choose your first password) is good for a week: the
# officer did not ask for it, and may read the unit's mailbox only days later; staff
# send it again once it has run out (cchc_portal.accounts.services.invitations).
INVITATION_TIMEOUT = envint("CCHC_INVITATION_DAYS", 7) * 24 * 3600

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one IP address, that pair is refused for AXES_COOLOFF_TIME, counted
# from its latest failure. Keyed by the pair, not by either alone: by username alone an
# attacker anywhere could lock any officer out; by address alone one clerk's typos (or
# an attacker on the same network) would lock out a whole department behind one NAT
# address. Staff clear a lockout early from the portal (accounts:lockout_list).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("CCHC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CCHC_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cchc_portal.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cchc_portal.accounts.client_ip.client_ip"
# Whom a locked-out user should call, printed on the login page (a name, a phone number).
LOGIN_HELP_CONTACT = envstr("CCHC_LOGIN_HELP_CONTACT")

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request
# (cchc_portal.accounts.middleware). The cookie itself lives a working day, so that a
# request after the idle limit still brings the stale session, and the login page can
# say why the user was logged out; the server refuses that session whatever the cookie.
SESSION_IDLE_TIMEOUT = envint("CCHC_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese formats: 92,18 and 17/10/2016 (cchc_portal/formats/vi overrides Django's d-m-Y).
FORMAT_MODULE_PATH = ["cchc_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / envstr("DJANGO_STATIC_ROOT", "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files and generated PDFs are private: MEDIA_ROOT is never served as is,
# only through permission-checked views.
MEDIA_ROOT = Path(envstr("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FRAMEWORK_UPLOAD_MAX_BYTES = envint("CCHC_FRAMEWORK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
EVIDENCE_MAX_BYTES = envint("CCHC_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)

# A zip (an XLSX workbook, an Office document) is looked into before anything unpacks
# it (scoring.zip_inspection): a few hundred kilobytes can unpack to gigabytes. A scores
# file of 50,000 rows unpacks to about 25 MB; a 20 MB Word report mostly holds images,
# which do not pack smaller. Ordinary XML packs 5 to 20 times smaller, never 100.
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_RATIO = 100
WORKBOOK_PART_MAX_BYTES = envint("CCHC_WORKBOOK_PART_MAX_BYTES", 40 * 1024 * 1024)
WORKBOOK_UNPACKED_MAX_BYTES = envint("CCHC_WORKBOOK_UNPACKED_MAX_BYTES", 64 * 1024 * 1024)
EVIDENCE_PART_MAX_BYTES = envint("CCHC_EVIDENCE_PART_MAX_BYTES", 128 * 1024 * 1024)
EVIDENCE_UNPACKED_MAX_BYTES = envint("CCHC_EVIDENCE_UNPACKED_MAX_BYTES", 256 * 1024 * 1024)
# The largest request body accepted at all (cchc_portal.request_size), refused with 413
# before it is read: the largest upload plus room for the form around it. A proxy in
# front should say the same (README: nginx's client_max_body_size).
MAX_REQUEST_BYTES = envint(
    "DJANGO_MAX_REQUEST_BYTES",
    max(EVIDENCE_MAX_BYTES, FRAMEWORK_UPLOAD_MAX_BYTES) + 1024 * 1024,
)

# The portal's public address, printed on published PDFs (verification link and QR code).
# Only ever printed: PDF rendering never fetches from the portal's own URL.
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# The published decision is signed (PAdES, reports.outputs.signing) with the organisation's
# certificate: a PKCS#12 file and its password. Without one, a demo authority made on first
# use under MEDIA_ROOT signs, and every page showing such a decision says so. A timestamp
# authority's URL makes the signatures PAdES B-T. The verification page trusts the CAs in
# the PEM files listed in DJANGO_SIGNING_TRUST_ROOTS, and the demo CA in development.
SIGNING_PKCS12 = envstr("DJANGO_SIGNING_PKCS12")
SIGNING_PKCS12_PASSWORD = envstr("DJANGO_SIGNING_PKCS12_PASSWORD")
SIGNING_TSA_URL = envstr("DJANGO_SIGNING_TSA_URL")
SIGNING_TRUST_ROOTS = envlist("DJANGO_SIGNING_TRUST_ROOTS", default=[])
SIGNING_TRUST_DEMO_CA = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = envstr(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = envstr("DJANGO_DEFAULT_FROM_EMAIL", "cchc@localhost")

# Behind a TLS-terminating proxy in production; development stays on plain HTTP.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Every cookie the portal sets: Secure in production, HttpOnly (no script of the portal
# reads one), SameSite=Lax. The messages cookie follows the session cookie's flags.
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
# Behind the proxy, the visitor's address (for login throttling) is the one the proxy
# appended last to X-Forwarded-For (cchc_portal.accounts.client_ip).
BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and styles from the portal's own static
# files only, never inline. Bootstrap's CSS draws its icons (menu toggler, close button,
# select arrow) as data: images. The drafting preview relaxes style-src for the decision
# document it embeds (reports.views.drafting).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter here.
    # django-axes announces itself at every start; its failures and lockouts still log.
    # fontTools (pyHanko subsets the signature's font with it) lists every table at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
