"""Django settings, read from the environment (twelve-factor).

Every value has a development default so that ``make run`` works on a fresh machine; the
README lists what production must set (DATABASE_URL, DJANGO_SECRET_KEY, TREMPLIN_FIELD_KEY,
e-mail, allowed hosts).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TREMPLIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def secret_from_env_or_file(env_name: str, file_name: str, generate) -> str:
    """A secret from the environment, or one generated once into var/ (never committed)."""
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
DEBUG = env_bool("TREMPLIN_DEBUG")
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
    "rules.apps.AutodiscoverRulesConfig",
    "tremplin.web",
    "tremplin.accounts",
    "tremplin.registry",
    "tremplin.conventions",
    "tremplin.support",
    "tremplin.professional",
    "tremplin.progress",
    "tremplin.companies",
    "tremplin.outcomes",
    "tremplin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tremplin.web.request_limits.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tremplin.accounts.audit.AuditContextMiddleware",
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
        },
    },
]
FORM_RENDERER = "tremplin.web.forms.BootstrapFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions avoid the
    # "database is locked" upgrade deadlock under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Every request is one transaction: a failing save writes nothing half-way.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("TREMPLIN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

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

# Uploads (issue 12): one file at most TREMPLIN_UPLOAD_MAX_MB megabytes (10 holds a scanned
# contract); a larger request is refused before its body is read, a file cut at the limit
# (see tremplin/web/request_limits.py). The form's other fields: Django's 2.5 MB.
TREMPLIN_UPLOAD_MAX_BYTES = int(os.environ.get("TREMPLIN_UPLOAD_MAX_MB", "10")) * 1024 * 1024
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

# Lists: rows per page of every paginated list.
TREMPLIN_PAGE_SIZE = 25

# In-employment support (issue 4): the Cellule contrats aidés' mailbox(es), comma-separated
# (empty: the territory's département agents), and the site's address for links in e-mails.
TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = os.environ.get("TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL", "")
TREMPLIN_SITE_URL = os.environ.get("TREMPLIN_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TREMPLIN_LOG_LEVEL", "WARNING")},
}
