"""Settings of the SECM eServices portal.

Every environment variable the portal reads is read here, through the typed helpers below, and
documented in docs/settings.md. The embedded default (SQLite, local files, mails to a folder, tasks
in-process) needs none of them. ``SECM_PROFILE=production`` switches on the production-only settings
and refuses to start with the demo's secret key, with DEBUG, or with the demo identity provider.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    """A string variable; ``NAME_FILE`` wins when set, so secrets can come from mounted files."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name, default):
    value = env(name, "")
    if value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def envint(name, default):
    value = env(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name, default):
    value = env(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


PROFILE = env("SECM_PROFILE", "development")
if PROFILE not in ("development", "test", "production"):
    raise ImproperlyConfigured("SECM_PROFILE must be development, test or production")
PRODUCTION = PROFILE == "production"

# A well-known key for the demo only: the production profile refuses it.
DEMO_SECRET_KEY = "demo-only-secret-key-never-use-in-production-4f1c2a9e7b"  # noqa: S105 # nosec B105 # pragma: allowlist secret
SECRET_KEY = env("SECRET_KEY", "" if PRODUCTION else DEMO_SECRET_KEY)
# The key of the national register number's lookup hash (identity/nrn.py); the production profile needs its own.
DEMO_NRN_HASH_KEY = "demo-only-nrn-hash-key"  # noqa: S105 - public on purpose
NRN_HASH_KEY = env("NRN_HASH_KEY", "" if PRODUCTION else DEMO_NRN_HASH_KEY)
# The key that seals each audit entry (an HMAC of its hash, audit/chain.py): someone who can write to the
# database but does not hold it cannot append or rewrite entries unseen. Outside production it is derived from
# SECRET_KEY unless given; production needs its own, so that rotating SECRET_KEY never breaks the seals. Keys
# used before a change stay in AUDIT_SEAL_KEY_FALLBACKS so that older entries still verify.
AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY", "") or (
    "" if PRODUCTION else hashlib.sha256(f"audit-seal:{SECRET_KEY}".encode()).hexdigest()
)
AUDIT_SEAL_KEY_FALLBACKS = envlist("AUDIT_SEAL_KEY_FALLBACKS", [])
DEBUG = envbool("DEBUG", not PRODUCTION and PROFILE != "test")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# One folder for everything the embedded default writes: database, documents, mails, static files.
DATA_DIR = Path(env("SECM_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# Each audit checkpoint is also appended, as it is made, to this JSON-lines file outside the database (put it on
# append-only or write-once storage): `verify_audit --checkpoints FILE` then finds a cut of the chain's end even
# when the last checkpoints were deleted from the database too.
AUDIT_CHECKPOINT_FILE = env("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit" / "checkpoints.jsonl"))
# How audit entries get into the chain (audit/services.py): "sequencer" (production) - a request only inserts its
# entry, and one sequencer (run_scheduler's thread or run_audit_sequencer, under a lease) seals the queue every
# AUDIT_SEAL_INTERVAL seconds, up to AUDIT_SEAL_BATCH entries per transaction; "inline" (the embedded default) -
# record() seals before it returns, so the chain is whole at every commit. verify_audit reports any entry
# left unsealed for more than AUDIT_SEAL_BOUND seconds.
AUDIT_SEALING = env("AUDIT_SEALING", "sequencer" if PRODUCTION else "inline")
if AUDIT_SEALING not in ("inline", "sequencer"):
    raise ImproperlyConfigured("AUDIT_SEALING must be inline or sequencer")
AUDIT_SEAL_INTERVAL = float(env("AUDIT_SEAL_INTERVAL", "0.2"))
AUDIT_SEAL_BATCH = envint("AUDIT_SEAL_BATCH", 5000)
AUDIT_SEAL_BOUND = envint("AUDIT_SEAL_BOUND", 60)

INSTALLED_APPS = [
    # floor 1: ground
    "eservices.core",
    "eservices.units",
    # floor 2: mechanisms (identity records audit events and queues e-mails)
    "eservices.identity",
    "eservices.audit",
    "eservices.intake",
    "eservices.notifications",
    "eservices.signing",
    "eservices.calendar",
    "eservices.pages",
    # floor 3: rules and proofs
    "eservices.access",
    "eservices.evidence",
    # floor 4: domain
    "eservices.casefiles",
    "eservices.deposits",
    "eservices.mailbox",
    "eservices.dashboards",
    # floor 5: faces
    "eservices.portal",
    "eservices.backoffice",
    "eservices.demo",
    "eservices.operations",
    "eservices.api",
    # Django and the ecosystem
    "django_otp",
    "django_otp.plugins.otp_totp",
    "eservices.audit.admin_app.AuditedAdminConfig",  # django.contrib.admin, every change audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "pgtrigger",
    "django_ratelimit",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
]

MIDDLEWARE = [
    "eservices.core.middleware.ProbeMiddleware",  # /healthz and /readyz: no session, no redirect
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "eservices.identity.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eservices.core.middleware.SecurityHeadersMiddleware",
    "eservices.core.middleware.ServiceUnavailableMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eservices.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the data folder unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the in-process tasks and the web requests share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: optional on one machine, required to scale out (one count of the rate limits for every process).
# While Redis is down the cache answers from each process's memory instead of failing (eservices/core/cache.py).
REDIS_URL = env("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = envint("REDIS_TIMEOUT_SECONDS", 1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "eservices.core.cache.RedisCacheWithLocalFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database only, with or without Redis: a cached copy could outlive a logout made while
# Redis was unreachable, and a Redis outage must not log anyone out or answer 500.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Abuse limits (django-ratelimit): counters live in the cache above, so with several processes REDIS_URL
# is needed for one shared count. The embedded default (one process) counts in local memory, which the
# library flags (E003); Django's own Redis backend increments atomically but is not on its list (W001).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "eservices.core.views.too_many_requests"
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
RATELIMIT_IP_META_KEY = "eservices.core.clients.client_address"
# How many reverse proxies stand in front, each appending to X-Forwarded-For (eservices/core/clients.py): the
# client address of the rate limits and the audit trail. Production stands behind one unless told otherwise.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 1 if PRODUCTION and envbool("BEHIND_TLS_PROXY", True) else 0)
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", *([] if REDIS_URL else ["django_ratelimit.E003"])]
# Every abuse limit of the portal, in one place: rates per group (django-ratelimit's syntax; None: no limit on
# that key), per account (per address when anonymous) and per client address. Views opt in with
# eservices.core.ratelimits.rate_limited(group); see docs/security.md.
RATE_LIMITS = {
    # Login attempts (the OIDC start and callback, the local staff password and code), per client address.
    "login": {"user_or_ip": None, "ip": env("LOGIN_RATE", "20/m")},
    "access_request": {"user_or_ip": env("ACCESS_REQUEST_RATE", "10/h"), "ip": "30/h"},
    "deposit": {"user_or_ip": env("DEPOSIT_RATE", "30/h"), "ip": "300/h"},
    # The public verification page of proofs of deposit (each verification costs CPU), per client address.
    "verification": {"user_or_ip": None, "ip": env("VERIFY_RATE", "10/m")},
    # The public check of an e-mail's check code: per client address, so that codes cannot be guessed.
    "email_check": {"user_or_ip": None, "ip": env("EMAIL_CHECK_RATE", "10/m")},
    "download": {"user_or_ip": env("DOWNLOAD_RATE", "600/h"), "ip": "1200/h"},
    "audit_export": {"user_or_ip": "10/m", "ip": "30/m"},
    # A new e-mail address on the profile (each sends a confirmation mail): per account, per client address and
    # per address written (eservices.core.ratelimits.exceeded).
    "email_change": {"user_or_ip": "5/h", "ip": "20/h", "address": "3/h"},
    # "My data": the export gathers everything about the person.
    "my_data_export": {"user_or_ip": "5/h", "ip": "30/h"},
    # The API's token endpoint (client credentials), per client address; the API itself: API_CLIENT_RATE.
    "api_token": {"user_or_ip": None, "ip": env("API_TOKEN_RATE", "60/m")},
}

# Retention (manage.py apply_retention): days after a case file's closing date after which each kind of record
# is removed; 0 keeps it for ever. See docs/security.md.
RETENTION = {
    "documents": envint("RETENTION_DOCUMENTS_DAYS", 3650) or None,
    "personal_data": envint("RETENTION_PERSONAL_DATA_DAYS", 3650) or None,
    "deposit_files": envint("RETENTION_DEPOSIT_FILES_DAYS", 3650) or None,
    "supporting_documents": envint("RETENTION_SUPPORTING_DOCUMENTS_DAYS", 3650) or None,
    "messages": envint("RETENTION_MESSAGES_DAYS", 3650) or None,
    "evidence": envint("RETENTION_EVIDENCE_DAYS", 0) or None,
}

# The scheduler (manage.py run_scheduler, eservices/operations/scheduler.py): seconds between two runs of each job.
SCHEDULE = {
    "pending_scans": 60,
    "pending_receipts": 300,
    "outbox": 60,
    "mailbox_jobs": 900,
    "intake_cleanup": 3600,
    "retention": 86400,
    "visits": 60,
    "audit_seal": 60,
    "audit_checkpoint": 86400,
}

# Background tasks: in-process by default; in production the database backend of django-tasks-db
# (TASKS_BACKEND=django_tasks_db.DatabaseBackend) with `manage.py db_worker` as the worker (see docs/settings.md).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")}}

AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 14}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French by default, Dutch complete, German and English present.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# Files: static files served by WhiteNoise; documents behind Django's storage API, never public.
STATIC_URL = "/static/"
# Collected for production; found in the apps by WhiteNoise elsewhere.
STATIC_ROOT = env("STATIC_ROOT", str(DATA_DIR / "static")) if PRODUCTION else (env("STATIC_ROOT") or None)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGE_BACKEND = env("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "local":
    documents_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "documents"), "base_url": None},
    }
elif STORAGE_BACKEND == "s3":
    documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be local or s3")
STORAGES = {
    "default": documents_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# File intake (eservices.intake): limits, the private work folder, the antivirus (docs/intake.md).
INTAKE_MAX_FILE_BYTES = envint("INTAKE_MAX_FILE_MB", 50) * 1024 * 1024
INTAKE_MAX_SUBMISSION_BYTES = envint("INTAKE_MAX_SUBMISSION_MB", 100) * 1024 * 1024
INTAKE_MAX_FILES = envint("INTAKE_MAX_FILES", 20)
INTAKE_MAX_UNPACKED_BYTES = envint("INTAKE_MAX_UNPACKED_MB", 100) * 1024 * 1024  # XLSX: declared uncompressed total
INTAKE_MAX_ZIP_MEMBERS = envint("INTAKE_MAX_ZIP_MEMBERS", 2000)
# The structural parse of each file runs in a child process bounded in CPU time and memory (eservices.core.sandbox).
INTAKE_PARSE_CPU_SECONDS = envint("INTAKE_PARSE_CPU_SECONDS", 5)
INTAKE_PARSE_MEMORY_BYTES = envint("INTAKE_PARSE_MEMORY_MB", 256) * 1024 * 1024
INTAKE_PDF_MAX_OBJECTS = envint("INTAKE_PDF_MAX_OBJECTS", 200_000)
INTAKE_PDF_MAX_PAGES = envint("INTAKE_PDF_MAX_PAGES", 5000)
# The public verification page: the largest receipt it reads (real ones are a few hundred KB).
VERIFY_MAX_RECEIPT_BYTES = envint("VERIFY_MAX_RECEIPT_KB", 1024) * 1024
INTAKE_WORK_DIR = env("INTAKE_WORK_DIR", str(DATA_DIR / "intake"))
# Django's temporary files of uploads go under the intake's work folder, where cleanup_intake finds them.
FILE_UPLOAD_TEMP_DIR = str(Path(INTAKE_WORK_DIR) / "uploads")
# The longest an upload request may take (the proxy's and the application server's timeouts must not be longer):
# cleanup_intake never removes a work file, an upload's temporary file or a stored file younger than this.
INTAKE_UPLOAD_MAX_SECONDS = envint("INTAKE_UPLOAD_MAX_SECONDS", 3600)
# /readyz fails when the local folders uploads and documents are written to have less free space than this.
READYZ_MIN_FREE_PERCENT = envint("READYZ_MIN_FREE_PERCENT", 10)
# Unscanned files (no CLAMD_ADDRESS) are shown only where this is on: never by default in production.
INTAKE_RELEASE_UNSCANNED = envbool("INTAKE_RELEASE_UNSCANNED", not PRODUCTION)
CLAMD_ADDRESS = env("CLAMD_ADDRESS", "")  # "unix:/run/clamav/clamd.ctl" or "host:port"; empty: no antivirus
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 120)
# Uploads go to disk in chunks and are cut at the intake limits while the body is read.
FILE_UPLOAD_HANDLERS = ["eservices.intake.uploads.LimitedUploadHandler"]
# Access to case files: deciding a request takes at most ACCESS_DECISION_DAYS; it is "at risk" (orange) in
# its last ACCESS_AT_RISK_DAYS. Supporting documents (mandates) go through the intake pipeline.
ACCESS_DECISION_DAYS = envint("ACCESS_DECISION_DAYS", 15)
ACCESS_AT_RISK_DAYS = envint("ACCESS_AT_RISK_DAYS", 3)
# Downloads: streamed by Django unless the web server serves the bytes (X-Accel-Redirect to this internal
# location, local storage only) or the storage hands out a short-lived signed URL (S3, always in production).
DOWNLOAD_ACCEL_REDIRECT = env("DOWNLOAD_ACCEL_REDIRECT", "")
DOWNLOAD_SIGNED_URL_SECONDS = envint("DOWNLOAD_SIGNED_URL_SECONDS", 60)
DOWNLOAD_OFFLOAD = ""  # the production profile sets "signed_url" or "accel" below

# Signing: the platform's key and certificate (PKCS#12) for proofs of deposit, and the time-stamping authority.
# Outside production a demo PKI is made in the data folder when the file is missing; production needs its own
# key (a demo certificate is refused) and a TSA URL.
SIGNING_PKCS12_PATH = env("SIGNING_PKCS12_PATH", "" if PRODUCTION else str(DATA_DIR / "pki" / "signer.p12"))
SIGNING_PKCS12_PASSPHRASE = env("SIGNING_PKCS12_PASSPHRASE", "" if PRODUCTION else "demo")
SIGNING_TSA_URL = env("SIGNING_TSA_URL", "")
SIGNING_TSA_TIMEOUT = envint("SIGNING_TSA_TIMEOUT", 10)
# What the proof of deposit may claim (eIDAS art. 3, 35, 41-42; docs/deadlines.md): "qualified" only for a TSA on the
# EU trusted list, or a seal with a qualified certificate on a qualified device; the TSA's name as it should read.
SIGNING_TSA_QUALIFIED = envbool("SIGNING_TSA_QUALIFIED", False)
SIGNING_TSA_NAME = env("SIGNING_TSA_NAME", "")
SIGNING_SEAL_QUALIFIED = envbool("SIGNING_SEAL_QUALIFIED", False)
# A PEM file of further trust anchors (e.g. the TSA's root) for validating receipts offline.
SIGNING_TRUST_ROOTS = env("SIGNING_TRUST_ROOTS", "")
# Key rotation: a PEM file of the platform's previous signing certificates; receipts they sealed stay the platform's.
SIGNING_PREVIOUS_CERTIFICATES = env("SIGNING_PREVIOUS_CERTIFICATES", "")
# Where the key lives: "pkcs12" (the file above; the demo default) or "pkcs11" (an HSM through its PKCS#11 module,
# with the key on the token under SIGNING_PKCS11_KEY_LABEL).
SIGNING_BACKEND = env("SIGNING_BACKEND", "pkcs12")
SIGNING_PKCS11_MODULE = env("SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_TOKEN_LABEL = env("SIGNING_PKCS11_TOKEN_LABEL", "")
SIGNING_PKCS11_PIN = env("SIGNING_PKCS11_PIN", "")
SIGNING_PKCS11_KEY_LABEL = env("SIGNING_PKCS11_KEY_LABEL", "platform")
# Hash on the host and let the token sign the digest (CKM_ECDSA, CKM_RSA_PKCS), for tokens without hash-and-sign
# mechanisms (SoftHSM2 has no CKM_ECDSA_SHA256).
SIGNING_PKCS11_RAW_MECHANISM = envbool("SIGNING_PKCS11_RAW_MECHANISM", False)
# With pkcs11: the key's certificate (PEM), read from disk, so that verifying never opens the HSM.
SIGNING_CERTIFICATE = env("SIGNING_CERTIFICATE", "")
# PAdES B-LTA: revocation data embedded at signing comes from these CRL files (comma-separated) and, when allowed,
# from the CAs' OCSP responders and CRL distribution points (on by default in production).
SIGNING_CRLS = env("SIGNING_CRLS", "")
SIGNING_FETCH_REVOCATION = envbool("SIGNING_FETCH_REVOCATION", PRODUCTION)
# renew_timestamps re-stamps a receipt whose last timestamp's certificate expires within this many days.
SIGNING_RENEW_TIMESTAMP_DAYS = envint("SIGNING_RENEW_TIMESTAMP_DAYS", 365)

# Deposits: the triage deadline (their files' limits are the intake pipeline's, INTAKE_*).
DEPOSIT_TRIAGE_WORKING_DAYS = envint("DEPOSIT_TRIAGE_WORKING_DAYS", 3)

# E-mail: written to a folder, one readable file per mail, unless an SMTP host is configured.
if env("EMAIL_HOST", ""):
    MAILERS = {
        "default": {
            "BACKEND": "eservices.core.mail.DkimSmtpBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": envint("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER", "") or None,
                "password": env("EMAIL_HOST_PASSWORD", "") or None,
                "use_tls": envbool("EMAIL_USE_TLS", False),
                "timeout": envint("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "eservices.core.mail.FolderEmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
# DKIM: outgoing mail is signed when a private key (PEM, RSA) is given; its public key is published in DNS as
# <selector>._domainkey.<domain> (docs/evidence.md, "Genuine alerts").
DKIM_PRIVATE_KEY_PATH = env("DKIM_PRIVATE_KEY_PATH", "")
DKIM_SELECTOR = env("DKIM_SELECTOR", "secm")
DKIM_DOMAIN = env("DKIM_DOMAIN", "")
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 8)
# Alerts to one address within this many seconds leave as one mail (0: only those not yet sent are grouped).
ALERT_GROUPING_SECONDS = envint("ALERT_GROUPING_SECONDS", 120 if PRODUCTION else 0)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "eservices-secm@riziv-inami.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails point here.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security headers: a strict CSP with nonces, no inline script anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, *envlist("CSP_FORM_ACTION", [])],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Messages live in the session: no extra cookie beside the session and CSRF ones.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Lax: the OpenID Connect callback is a top-level cross-site GET.
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)

# Login through OpenID Connect (docs/identity.md). Outside production the defaults point at the development
# identity provider that `make demo` starts (devidp/, port 8089); production must name the real one.
OIDC_DEV_PROVIDER = envbool("OIDC_DEV_PROVIDER", not PRODUCTION)
DEVIDP_PORT = envint("DEVIDP_PORT", 8089)
OIDC_ISSUER = env("OIDC_ISSUER", "" if PRODUCTION else f"http://127.0.0.1:{DEVIDP_PORT}")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "" if PRODUCTION else "secm-eservices-demo")
# private_key_jwt (preferred), client_secret_basic or client_secret_post.
OIDC_CLIENT_AUTH_METHOD = env("OIDC_CLIENT_AUTH_METHOD", "private_key_jwt")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
# The client's private key (PEM or JWK); outside production the demo's key written by `manage.py devidp_config`.
OIDC_CLIENT_PRIVATE_KEY = env("OIDC_CLIENT_PRIVATE_KEY", "")
OIDC_DEMO_CLIENT_KEY_PATH = DATA_DIR / "devidp" / "rp-key.json"
OIDC_REQUEST_OBJECT = envbool("OIDC_REQUEST_OBJECT", False)
OIDC_REDIRECT_URI = env("OIDC_REDIRECT_URI", f"{SITE_URL}/oidc/callback")
OIDC_POST_LOGOUT_REDIRECT_URI = env("OIDC_POST_LOGOUT_REDIRECT_URI", f"{SITE_URL}/oidc/logged-out")
OIDC_TIMEOUT_SECONDS = envint("OIDC_TIMEOUT_SECONDS", 10)
OIDC_ACR_CITIZEN = env("OIDC_ACR_CITIZEN", "urn:be:fedict:iam:fas:Level450")
OIDC_ACR_STAFF = env("OIDC_ACR_STAFF", "urn:be:fedict:iam:fas:Level500")
OIDC_CLAIM_NRN = env("OIDC_CLAIM_NRN", "egovNRN")
OIDC_CLAIM_GIVEN_NAME = env("OIDC_CLAIM_GIVEN_NAME", "givenName")
OIDC_CLAIM_SURNAME = env("OIDC_CLAIM_SURNAME", "surname")
OIDC_CLAIM_EMAIL = env("OIDC_CLAIM_EMAIL", "mail")
OIDC_CLAIM_LANGUAGE = env("OIDC_CLAIM_LANGUAGE", "prefLanguage")
# Fernet keys (comma-separated, the first encrypts) of the national register number's encrypted copy.
DEMO_NRN_ENCRYPTION_KEY = "ZGVtby1vbmx5LW5ybi1lbmNyeXB0aW9uLWtleS0wMDA="  # noqa: S105 - public on purpose
NRN_ENCRYPTION_KEYS = envlist("NRN_ENCRYPTION_KEYS", [] if PRODUCTION else [DEMO_NRN_ENCRYPTION_KEY])
# Where companies' mandates come from (an interface with one implementation per source); none by default.
MANDATE_SOURCE = env("MANDATE_SOURCE", "" if PRODUCTION else "eservices.identity.mandates.JsonMandateSource")
MANDATE_SOURCE_FILE = env("MANDATE_SOURCE_FILE", "" if PRODUCTION else str(BASE_DIR / "devidp" / "mandates.json"))
# The local staff accounts' lockout (login attempts per address: RATE_LIMITS["login"]).
STAFF_LOCKOUT_FAILURES = envint("STAFF_LOCKOUT_FAILURES", 5)
STAFF_LOCKOUT_SECONDS = envint("STAFF_LOCKOUT_SECONDS", 15 * 60)
OTP_TOTP_ISSUER = "SECM eServices"

# A rehearsal of the production profile on this machine (`make prod-local`): its one exception to the checks
# below is an identity provider on 127.0.0.1 over http (the development one, with the rehearsal's own client key),
# and it refuses to start unless ALLOWED_HOSTS and SITE_URL are loopback only, so it cannot serve the public.
LOCAL_REHEARSAL = envbool("SECM_LOCAL_REHEARSAL", False)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

# Production-only settings, explicit: TLS everywhere, __Host- cookies, HSTS, behind one proxy.
if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("The production profile needs its own SECRET_KEY (50+ characters).")
    if not NRN_HASH_KEY or NRN_HASH_KEY == DEMO_NRN_HASH_KEY or len(NRN_HASH_KEY) < 32:
        raise ImproperlyConfigured("The production profile needs its own NRN_HASH_KEY (32+ characters).")
    if DEBUG:
        raise ImproperlyConfigured("The production profile refuses DEBUG.")
    if LOCAL_REHEARSAL and (
        not ALLOWED_HOSTS
        or any(host not in LOOPBACK_HOSTS for host in ALLOWED_HOSTS)
        or urlsplit(SITE_URL).hostname not in LOOPBACK_HOSTS
    ):
        raise ImproperlyConfigured("SECM_LOCAL_REHEARSAL needs ALLOWED_HOSTS and SITE_URL on 127.0.0.1 only.")
    issuer_is_local = urlsplit(OIDC_ISSUER).hostname in LOOPBACK_HOSTS
    if OIDC_DEV_PROVIDER or (issuer_is_local and not LOCAL_REHEARSAL):
        raise ImproperlyConfigured("The production profile refuses the development identity provider.")
    if not (OIDC_ISSUER.startswith("https://") or (LOCAL_REHEARSAL and issuer_is_local)) or not OIDC_CLIENT_ID:
        raise ImproperlyConfigured("The production profile needs OIDC_ISSUER (https) and OIDC_CLIENT_ID.")
    if not NRN_ENCRYPTION_KEYS or DEMO_NRN_ENCRYPTION_KEY in NRN_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("The production profile needs its own NRN_ENCRYPTION_KEYS.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("The production profile needs ALLOWED_HOSTS.")
    if len(AUDIT_SEAL_KEY) < 32 or AUDIT_SEAL_KEY == SECRET_KEY:
        raise ImproperlyConfigured("The production profile needs its own AUDIT_SEAL_KEY (32+ characters).")
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured("The production profile needs an https SITE_URL (the links in e-mails).")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", True) else None
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    DOWNLOAD_OFFLOAD = "signed_url" if STORAGE_BACKEND == "s3" else ("accel" if DOWNLOAD_ACCEL_REDIRECT else "")
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# Logs are JSON lines (eservices.core.logs.JsonFormatter); audit events go to the "eservices.audit" logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "eservices.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per audit event, for the separate log store: on in production, quiet in development.
        "eservices.audit": {"level": env("AUDIT_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    },
}

# Tests: with SECM_REQUIRE_SERVICES=1 a missing service (Redis, ...) fails a test instead of skipping it.
REQUIRE_SERVICES = envbool("SECM_REQUIRE_SERVICES", False)

PORTAL_NAME = _("eServices of the SECM")

# The REST API for the institution's systems (eservices/api, docs/api.md): OAuth2 client credentials
# (django-oauth-toolkit), short-lived bearer tokens, scopes per resource and action, a rate per client.
API_TOKEN_SECONDS = envint("API_TOKEN_SECONDS", 300)
API_CLIENT_RATE = env("API_CLIENT_RATE", "600/m")
API_PAGE_SIZE = envint("API_PAGE_SIZE", 50)
# The evidence feed shows only events older than this many seconds: a transaction still open when a younger
# event was read could commit an earlier position later (docs/api.md, "Evidence feed").
API_FEED_HORIZON_SECONDS = envint("API_FEED_HORIZON_SECONDS", 5)
API_IDEMPOTENCY_HOURS = envint("API_IDEMPOTENCY_HOURS", 24)
# django-oauth-toolkit's own models (named, as Django's swappable models need).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": API_TOKEN_SECONDS,
    "SCOPES_BACKEND_CLASS": "eservices.api.scopes.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "eservices.api.validators.ApiValidator",
    "ERROR_RESPONSE_WITH_SCOPES": True,
    # Only a hash of each token is stored (RFC 9700): a copy of the database holds no usable token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # nosec B105 - a switch, not a password
    # The rest of RFC 9700 (OAuth 2.0 Security BCP), though only client credentials are used: no implicit or
    # password grant, tokens in the Authorization header only, https redirect URIs, S256 PKCE only, replayed
    # refresh tokens revoke their family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["eservices.api.auth.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["eservices.api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["eservices.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "eservices.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SECM eServices API",
    "DESCRIPTION": "Case files, documents, notifications, deposits and evidence for the institution's systems.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseFileKindEnum": "eservices.casefiles.models.CaseFile.Kind",
        "CaseFileStatusEnum": "eservices.casefiles.models.CaseFile.Status",
        "DocumentKindEnum": "eservices.casefiles.models.Document.Kind",
        "MessageKindEnum": "eservices.mailbox.models.MessageKind",
        "RepresentationStatusEnum": "eservices.identity.models.Representation.Status",
        "RefusalReasonEnum": "eservices.access.models.RefusalReason",
    },
}
# The data protection officer's address, cited by the privacy notice (docs/statements/).
DPO_EMAIL = env("DPO_EMAIL", "dpo@riziv-inami.fgov.be")
