"""Settings for tsunagu, read from ``TSUNAGU_*`` environment variables.

Every variable is documented in ``.env.example``. The defaults give a laptop
set-up with SQLite under ``var/`` and no other services; production mode
(``TSUNAGU_DEBUG=0``) refuses to start without a secret key.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"TSUNAGU_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(f"TSUNAGU_{name}")
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"TSUNAGU_{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"TSUNAGU_{name}")
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"TSUNAGU_{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):  # sqlite:////absolute/path
            path = path[1:]
        elif path.startswith("/"):  # sqlite:///relative/to/project
            path = str(PROJECT_DIR / path[1:])
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;"},
        }
    raise ImproperlyConfigured(
        f"TSUNAGU_DATABASE_URL must start with postgres:// or sqlite:///, got {parsed.scheme!r}"
    )


DEBUG = env_bool("DEBUG", True)
VAR_DIR = Path(env_str("VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "TSUNAGU_SECRET_KEY is not set. Production mode (TSUNAGU_DEBUG=0) refuses to start "
            "without a secret key: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "tsunagu.core",
    "tsunagu.people",
    "tsunagu.textsearch",
    "tsunagu.plans",
    "tsunagu.directory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tsunagu.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"

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
                "tsunagu.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tsunagu.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work runs inline unless a worker is configured (STYLE.md rule 10).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_bool("TASK_WORKER", False)
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["tsunagu.core.auth.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
# Lockout: this many failures for one username within the window locks it for the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 9) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain to HTTPS for good; a city opts in
        # with TSUNAGU_HSTS_PRELOAD=1 rather than being warned into it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "tsunagu@localhost")

# Requests per client address to the public HSDS API, e.g. "120/min" or "5000/day".
API_RATE = env_str("API_RATE", "120/min")
_rate_count, _rate_slash, _rate_period = API_RATE.partition("/")
_rate_periods = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
if not _rate_count.isdigit() or _rate_period not in _rate_periods:
    raise ImproperlyConfigured(f"TSUNAGU_API_RATE must look like 120/min, got {API_RATE!r}")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"hsds": API_RATE},
    # How many reverse proxies (nginx, a load balancer) stand in front of the app.
    # 0: rate limits key on the connecting address and ignore X-Forwarded-For, which
    # a client can forge; behind one proxy, 1: the address that proxy saw.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tsunagu API",
    "DESCRIPTION": (
        "/api/hsds/: the public social-resource directory as Open Referral HSDS 3.0 "
        "(read-only, no login; tsunagu's additions are in docs/hsds-mapping.md). "
        "/api/v1/: staff APIs (login required)."
    ),
    "VERSION": "0.1.0",
    # The schema endpoint documents the API, not itself.
    "SERVE_INCLUDE_SCHEMA": False,
    # The HSDS API's choice sets (plain values, as HSDS lists them), named once.
    "ENUM_NAME_OVERRIDES": {
        "HsdsLocationTypeEnum": ["physical", "postal", "virtual"],
        "HsdsServiceStatusEnum": ["active", "inactive", "defunct", "temporarily closed"],
        "HsdsFrequencyEnum": ["WEEKLY", "MONTHLY"],
        "HsdsWeekdayEnum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    },
}

# The public directory API (HSDS 3) may be read from any origin; nothing else may.
CORS_URLS_REGEX = r"^/api/hsds/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}},
}

# The public directory's map: a Leaflet tile URL template ({z}/{x}/{y}, {s} for
# subdomains) and the credit line the tile provider asks for (plain text). The CSP lets
# images come from the tile host. Default: 地理院タイル (GSI standard map); empty: no map.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "国土地理院")
if MAP_TILE_URL and urlparse(MAP_TILE_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(
        f"TSUNAGU_MAP_TILE_URL must be an http(s) URL template, got {MAP_TILE_URL!r}"
    )

# Demo accounts share this password; set in `make demo` only.
TSUNAGU_DEMO_PASSWORD = env_str("DEMO_PASSWORD", "tsunagu-demo-2025")
