"""Django settings, read from the environment (twelve-factor).

Every value has a development default so that ``make run`` works on a fresh machine; the
README lists what production must set (DATABASE_URL, DJANGO_SECRET_KEY, TREMPLIN_FIELD_KEY,
e-mail, allowed hosts).
"""

import hashlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TREMPLIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)  # keys, database and uploads: the service's account only


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("TREMPLIN_DEBUG")
# Development machines only (benchmarks, makemigrations, the test settings): keys generated
# once into var/ are accepted without TREMPLIN_DEBUG. Never on a server.
LOCAL_KEYS = DEBUG or env_bool("TREMPLIN_LOCAL_KEYS")

KEYS_MISSING_MESSAGE = (
    "Tremplin refuse de démarrer : il manque {missing} dans l'environnement. En production, "
    "définissez DJANGO_SECRET_KEY (clé secrète de Django) et TREMPLIN_FIELD_KEY (clé Fernet "
    "qui chiffre le NIR et le numéro d'allocataire : la même sur chaque serveur, sauvegardée) ; "
    "sur un poste de développement, TREMPLIN_DEBUG=1 les crée dans var/. / Tremplin will not "
    "start: {missing} missing from the environment. In production set DJANGO_SECRET_KEY and "
    "TREMPLIN_FIELD_KEY (the same Fernet key on every server, backed up); on a development "
    "machine TREMPLIN_DEBUG=1 creates them in var/."
)
_missing_keys = [
    name for name in ("DJANGO_SECRET_KEY", "TREMPLIN_FIELD_KEY") if not os.environ.get(name)
]
if _missing_keys and not LOCAL_KEYS:
    raise ImproperlyConfigured(KEYS_MISSING_MESSAGE.format(missing=" et ".join(_missing_keys)))


def secret_from_env_or_file(env_name: str, file_name: str, generate) -> str:
    """A secret from the environment, or (development only) one generated once into var/."""
    if os.environ.get(env_name):
        return os.environ[env_name]
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = secret_from_env_or_file(
    "DJANGO_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50)
)
# Key of the encryption at rest of the NIR and the RSA allocation number (DESIGN.md).
FIELD_ENCRYPTION_KEY = secret_from_env_or_file(
    "TREMPLIN_FIELD_KEY", "field_key", lambda: Fernet.generate_key().decode()
)
ALLOWED_HOSTS = os.environ.get("TREMPLIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("TREMPLIN_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_include_bootstrap",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "huey.contrib.djhuey",  # the job queue and its worker, ``tremplin run_huey``
    "tremplin.web",
    "tremplin.accounts",
    "tremplin.registry",
    "tremplin.conventions",
    "tremplin.support",
    "tremplin.professional",
    "tremplin.progress",
    "tremplin.companies",
    "tremplin.outcomes",
    "tremplin.invitations",
    "tremplin.api",
    "tremplin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts, the second factor (tremplin/accounts/security.py).
    "tremplin.accounts.security.SessionPolicyMiddleware",
    # Every page needs a login unless its view is marked login_not_required (issue 12).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "tremplin.web.request_limits.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tremplin.accounts.security.NoStoreMiddleware",
    "tremplin.accounts.audit.AuditContextMiddleware",
    # No double submission: a POST form's one-time token is consumed in the view's own
    # transaction (tremplin/web/once.py). Its process_view runs the view: after every other
    # process_view (login, CSRF).
    "tremplin.web.once.OneTimeFormMiddleware",
    # The view of a writing request in one transaction, a page's without (web/transactions.py).
    "tremplin.web.transactions.WriteTransactionMiddleware",
    # After a user's write, their navigation badge is counted again (web/queues.py).
    "tremplin.web.queues.ForgetBadgeAfterWriteMiddleware",
    # Last, as django-axes asks: turns a lockout into the login page saying until when.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tremplin.urls"
WSGI_APPLICATION = "tremplin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tremplin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tremplin.web.context_processors.navigation",
            ],
            # {% form_token %} in every POST form, next to {% csrf_token %}{% form_token %} (web/once.py).
            "builtins": [
                "tremplin.web.templatetags.form_guard",
                "tremplin.web.templatetags.rule_help",
                # The French plural rule for Django's pluralize filter, and {{ name|de }}.
                "tremplin.web.templatetags.french",
                # {% url %}, each URL reversed once per process (web/links.py).
                "tremplin.web.templatetags.links",
            ],
        },
    },
]
FORM_RENDERER = "tremplin.forms.BootstrapFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes (a page never waits for a writer);
    # IMMEDIATE transactions avoid the "database is locked" upgrade deadlock under
    # concurrent writes, and only writing requests open one (web/transactions.py). A
    # writer waits for another at most TREMPLIN_SQLITE_BUSY_SECONDS (the busy timeout).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("TREMPLIN_SQLITE_BUSY_SECONDS", "20")),
    }
    # Each gunicorn thread keeps its connection between requests, as on PostgreSQL: opening
    # one (and registering Django's SQL functions on it) was 5 % of the server's time under
    # the bench's load. Between requests it holds no transaction, so it never holds back WAL
    # checkpoints; TREMPLIN_SQLITE_CONN_MAX_AGE=0 opens one per request.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("TREMPLIN_SQLITE_CONN_MAX_AGE", "60"))
    # The database file is readable by the service's account only (issue 12): created 0600
    # (SQLite gives its -wal and -shm files the same mode), and set so if it already exists.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if DATABASES["default"]["NAME"] != ":memory:" and _sqlite_file.parent.is_dir():
        try:
            _sqlite_file.touch(mode=0o600, exist_ok=True)
            _sqlite_file.chmod(0o600)
        except OSError:  # not the file's owner: its mode is the owner's business
            pass
# Every writing request (POST, PUT, PATCH, DELETE) is one transaction: a failing save writes
# nothing half-way. Pages (GET, HEAD) run without one, so that they never take SQLite's write
# lock: see tremplin/web/transactions.py (not ATOMIC_REQUESTS, which wraps every view).
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login of a locked account (django-axes), even with the right password.
    "tremplin.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The CNIL's recommendation on passwords (délibération n° 2022-100 du 21 juillet 2022), see
# tremplin/accounts/password_policy.py; Django's checks of similarity and common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tremplin.accounts.password_policy.CnilPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("TREMPLIN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sessions (issue 12): closed after TREMPLIN_SESSION_IDLE_MINUTES without a request, and in
# any case TREMPLIN_SESSION_MAX_HOURS after the login; the cookie dies with the browser.
TREMPLIN_SESSION_IDLE_MINUTES = int(os.environ.get("TREMPLIN_SESSION_IDLE_MINUTES", "30"))
TREMPLIN_SESSION_MAX_HOURS = int(os.environ.get("TREMPLIN_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = TREMPLIN_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session is read from the shared cache (Redis in production, files otherwise) and written
# to both the cache and the database: one query fewer on every page, and nothing lost when
# the cache is emptied (the database still holds every session).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Login throttling (django-axes): 5 failures for one account, each within 15 minutes of the
# previous one, lock the account (whatever the address) for 15 minutes after the last one.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A try during the lockout neither extends it nor counts: it ends 15 minutes after the 5th.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "tremplin.accounts.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "tremplin.accounts.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "tremplin.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Second factor (django-otp, TOTP + recovery codes): required of département agents and
# administrators when TREMPLIN_OTP_REQUIRED is on (the default outside debug; `make run`'s
# demo leaves it off unless TREMPLIN_OTP_REQUIRED=1), optional for everyone else.
TREMPLIN_OTP_REQUIRED = env_bool("TREMPLIN_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("TREMPLIN_OTP_ISSUER", "Tremplin")
# Wrong codes count as failed logins for the account's lockout (5 in 15 minutes); django-otp's
# own growing delay after each wrong code would refuse a right code typed just after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the technical admin never shows a device's secret
OTP_STATIC_THROTTLE_FACTOR = 0

# Client address for the audit log and the lockout: X-Forwarded-For is believed only behind
# TREMPLIN_TRUSTED_PROXIES reverse proxies (0: the peer's address, REMOTE_ADDR).
TREMPLIN_TRUSTED_PROXIES = int(os.environ.get("TREMPLIN_TRUSTED_PROXIES", "0"))

# OpenID Connect login (ProConnect-ready, mozilla-django-oidc), off unless configured; see
# tremplin/accounts/oidc.py and the README.
TREMPLIN_OIDC_ENABLED = env_bool("TREMPLIN_OIDC_ENABLED")
TREMPLIN_OIDC_ISSUER = os.environ.get("TREMPLIN_OIDC_ISSUER", "").rstrip("/")
TREMPLIN_OIDC_LABEL = os.environ.get("TREMPLIN_OIDC_LABEL", "Se connecter avec ProConnect")
OIDC_RP_CLIENT_ID = os.environ.get("TREMPLIN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("TREMPLIN_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("TREMPLIN_OIDC_SCOPES", "openid email given_name usual_name")
OIDC_RP_SIGN_ALGO = os.environ.get("TREMPLIN_OIDC_SIGN_ALGO", "RS256")
OIDC_CREATE_USER = False  # accounts and memberships are created by an administrator
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's logout
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
for _name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS", "LOGOUT"):
    # Explicit endpoints; without them, the issuer's discovery document gives them.
    if os.environ.get(f"TREMPLIN_OIDC_{_name}_ENDPOINT"):
        globals()[f"OIDC_OP_{_name}_ENDPOINT"] = os.environ[f"TREMPLIN_OIDC_{_name}_ENDPOINT"]
if TREMPLIN_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("tremplin.accounts.oidc.OidcBackend")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("TREMPLIN_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads and the files jobs make: the local file system (MEDIA_ROOT) by default; with
# several application servers, an S3-compatible bucket shared by all (django-storages),
# private: every file is served through Tremplin's checked, audited downloads, never by
# a public link.
TREMPLIN_S3_BUCKET = os.environ.get("TREMPLIN_S3_BUCKET", "")
if TREMPLIN_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": TREMPLIN_S3_BUCKET,
            "endpoint_url": os.environ.get("TREMPLIN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TREMPLIN_S3_REGION") or None,
            "access_key": os.environ.get("TREMPLIN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("TREMPLIN_S3_SECRET_KEY") or None,
            "location": os.environ.get("TREMPLIN_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads (issue 12): one file at most TREMPLIN_UPLOAD_MAX_MB megabytes (10 holds a scanned
# contract); a larger request is refused before its body is read, a file cut at the limit
# (see tremplin/web/request_limits.py). The form's other fields: Django's 2.5 MB.
TREMPLIN_UPLOAD_MAX_BYTES = int(os.environ.get("TREMPLIN_UPLOAD_MAX_MB", "10")) * 1024 * 1024
# A list of beneficiaries to import (page and API) may weigh more: 100,000 people make a CSV
# of 15 MB. It is read row by row, never whole (registry/imports/reading.py).
TREMPLIN_IMPORT_UPLOAD_MAX_BYTES = (
    int(os.environ.get("TREMPLIN_IMPORT_UPLOAD_MAX_MB", "50")) * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "tremplin.web.request_limits.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = os.environ.get(
    "TREMPLIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("TREMPLIN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TREMPLIN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TREMPLIN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TREMPLIN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TREMPLIN_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "TREMPLIN_FROM_EMAIL", "Tremplin <ne-pas-repondre@tremplin.local>"
)

# Text messages (invitations, reminders): a pluggable backend like EMAIL_BACKEND
# (tremplin/web/sms/). Console by default; in production the provider's HTTP API.
TREMPLIN_SMS_BACKEND = os.environ.get(
    "TREMPLIN_SMS_BACKEND", "tremplin.web.sms.backends.console.SmsBackend"
)
TREMPLIN_SMS_FILE_PATH = os.environ.get("TREMPLIN_SMS_FILE_PATH", str(VAR_DIR / "sms"))
TREMPLIN_SMS_API_URL = os.environ.get(
    "TREMPLIN_SMS_API_URL", "https://api.brevo.com/v3/transactionalSMS/sms"
)
TREMPLIN_SMS_API_KEY = os.environ.get("TREMPLIN_SMS_API_KEY", "")
TREMPLIN_SMS_SENDER = os.environ.get("TREMPLIN_SMS_SENDER", "Tremplin")
TREMPLIN_SMS_WEBHOOK_URL = os.environ.get("TREMPLIN_SMS_WEBHOOK_URL", "")
# The shared secret the provider's delivery reports carry (bearer token or basic password).
TREMPLIN_SMS_WEBHOOK_SECRET = os.environ.get("TREMPLIN_SMS_WEBHOOK_SECRET", "")
TREMPLIN_SMS_TIMEOUT = float(os.environ.get("TREMPLIN_SMS_TIMEOUT", "10"))

# The job queue (huey, docs/decisions.md 26): long work (large exports, the livret and report
# PDFs, the month's payment list) runs in the worker ``tremplin run_huey``, out of the
# request. Redis when TREMPLIN_HUEY_REDIS_URL (or REDIS_URL) is set — several servers, one
# queue —, otherwise a SQLite file in var/ (one server). Without a worker, TREMPLIN_DEBUG
# runs the jobs at once in the request (``make run`` is one command); TREMPLIN_HUEY_IMMEDIATE
# says so explicitly either way.
TREMPLIN_HUEY_REDIS_URL = os.environ.get("TREMPLIN_HUEY_REDIS_URL") or os.environ.get(
    "REDIS_URL", ""
)
_huey_immediate = env_bool("TREMPLIN_HUEY_IMMEDIATE", DEBUG)
if TREMPLIN_HUEY_REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "tremplin",
        "url": TREMPLIN_HUEY_REDIS_URL,
        "immediate": _huey_immediate,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tremplin",
        "filename": os.environ.get("TREMPLIN_HUEY_FILE", str(VAR_DIR / "huey.sqlite3")),
        "immediate": _huey_immediate,
    }
HUEY["consumer"] = {
    "workers": int(os.environ.get("TREMPLIN_HUEY_WORKERS", "2")),
    "worker_type": "thread",
}
# The cache (a list filter's options per user, the dashboard's numbers, the navigation's
# badge: copies kept a few minutes): Redis shared by every server when TREMPLIN_CACHE_REDIS_URL
# (or REDIS_URL) is set — nothing cached is a fact, only a copy that may be a few minutes old.
TREMPLIN_CACHE_REDIS_URL = os.environ.get("TREMPLIN_CACHE_REDIS_URL") or os.environ.get(
    "REDIS_URL", ""
)
# Without Redis, files under var/cache/, shared by the processes of one machine (gunicorn's
# workers): a copy dropped after a write is dropped for every worker, which a process's
# memory could not do. The prefix names the database, so that two databases (the
# development one, the bench's) never read each other's copies.
_CACHE_PREFIX = (
    "tremplin-"
    + hashlib.sha256(
        f"{DATABASES['default']['ENGINE']}|{DATABASES['default'].get('HOST', '')}|"
        f"{DATABASES['default'].get('PORT', '')}|{DATABASES['default']['NAME']}".encode()
    ).hexdigest()[:12]
)
if TREMPLIN_CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TREMPLIN_CACHE_REDIS_URL,
            "KEY_PREFIX": _CACHE_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": _CACHE_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# The dashboard's numbers are kept this long for the same scope and filters (« Recalculer »
# counts again); 0 counts them on every load.
TREMPLIN_INDICATORS_CACHE_SECONDS = int(os.environ.get("TREMPLIN_INDICATORS_CACHE_SECONDS", "300"))

# The navigation's badge (items waiting in the user's queues) is kept this long per user; the
# user's own writes and their home page count it again. 0 counts it on every page.
TREMPLIN_BADGE_CACHE_SECONDS = int(os.environ.get("TREMPLIN_BADGE_CACHE_SECONDS", "60"))

# The slow parts of a work queue (the agent's quarterly proofs over a month's conventions) are
# kept this long at most; any write of what they read makes them read again (web/kept.py).
TREMPLIN_QUEUE_CACHE_SECONDS = int(os.environ.get("TREMPLIN_QUEUE_CACHE_SECONDS", "600"))

# Exports above this many rows run as jobs; smaller ones answer at once.
TREMPLIN_JOB_ROWS = int(os.environ.get("TREMPLIN_JOB_ROWS", "5000"))
# A beneficiaries' import of more rows than this is confirmed by the worker (a job).
TREMPLIN_IMPORT_JOB_ROWS = int(os.environ.get("TREMPLIN_IMPORT_JOB_ROWS", "1000"))
# The files jobs made are deleted after this many days (the worker's nightly task).
TREMPLIN_JOB_KEEP_DAYS = int(os.environ.get("TREMPLIN_JOB_KEEP_DAYS", "7"))

# Lists: rows per page of every paginated list.
TREMPLIN_PAGE_SIZE = 25
# The calendar feed goes to an outside provider (Google, Microsoft…): a person's initials
# only, unless the département decides otherwise (TREMPLIN_ICAL_FULL_NAMES=1).
TREMPLIN_ICAL_FULL_NAMES = env_bool("TREMPLIN_ICAL_FULL_NAMES")
# The département's own retention periods (a TOML file shaped as rules/data/retention.toml);
# empty: the shipped periods.
TREMPLIN_RETENTION_FILE = os.environ.get("TREMPLIN_RETENTION_FILE", "")

# In-employment support (issue 4): the Cellule contrats aidés' mailbox(es), comma-separated
# (empty: the territory's département agents), and the site's address for links in e-mails.
TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = os.environ.get("TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL", "")
TREMPLIN_SITE_URL = os.environ.get("TREMPLIN_SITE_URL", "")

# Headers and transport (issue 12). Behind TLS-terminating proxies (TREMPLIN_TRUSTED_PROXIES
# > 0), the proxy's X-Forwarded-Proto says whether the request came in over HTTPS.
TREMPLIN_PROXY_SSL_HEADER = os.environ.get("TREMPLIN_PROXY_SSL_HEADER", "X-Forwarded-Proto")
if TREMPLIN_TRUSTED_PROXIES > 0 and TREMPLIN_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + TREMPLIN_PROXY_SSL_HEADER.upper().replace("-", "_"),
        "https",
    )
SECURE_SSL_REDIRECT = env_bool("TREMPLIN_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # the proxy's health probe may speak plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("TREMPLIN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TREMPLIN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("TREMPLIN_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading binds the whole domain of the département, not only Tremplin: its
    # owner decides (TREMPLIN_HSTS_PRELOAD=1), the application does not.
    "security.W021",
    # The lockout counts per account, whatever the address (issue 12): a lockout per address
    # would lock out a whole département's office behind one NAT address.
    "axes.W006",
]
# Content-Security-Policy (django-csp): no inline script, event handler or style attribute.
_form_action = [SELF]
if TREMPLIN_OIDC_ENABLED and TREMPLIN_OIDC_ISSUER:
    # Logging out of the provider follows the logout form's redirect to its origin.
    _issuer = urlsplit(TREMPLIN_OIDC_ISSUER)
    _form_action.append(f"{_issuer.scheme}://{_issuer.netloc}")
PYGAL_HIDDEN_STYLE_SHA256 = (
    "hcUjSVUy038f+0X6P07svdIrF4humQP+99vTrfpW7yw="  # base64 SHA-256 of "opacity: 0"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The charts are SVG drawn by pygal on the server, inlined with their own <style>
        # element (scoped to the chart's id): style elements are allowed inline; of style
        # attributes, only pygal's hidden tooltip's ``opacity: 0``; scripts never are.
        "style-src-elem": [SELF, UNSAFE_INLINE],
        "style-src-attr": ["'unsafe-hashes'", f"'sha256-{PYGAL_HIDDEN_STYLE_SHA256}'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": _form_action,
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TREMPLIN_LOG_LEVEL", "WARNING")},
}
