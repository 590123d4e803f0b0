"""Reading settings from the environment, failing loudly on a malformed value."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false or 1/0.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def env_required_list(name: str) -> list[str]:
    env_required(name)  # refuses an unset or blank value with the same message as the others
    items = env_list(name, [])
    if not items:
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} lists nothing: give comma-separated values.")
    return items


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_private_dir(name: str, default: str) -> str:
    """A folder only this user may write to, created if missing. Refuses one that others can write
    to or that belongs to someone else: Django's file cache unpickles what it finds there."""
    path = os.environ.get(name, default)
    os.makedirs(path, mode=0o700, exist_ok=True)
    found = os.stat(path)
    if found.st_uid != os.getuid() or found.st_mode & 0o022:
        raise ImproperlyConfigured(
            f"{name}={path!r} belongs to another user or others may write to it: "
            f"give a folder of this user's own (chmod 700)."
        )
    return path


def media_storage(url: str, public_url: str) -> tuple[dict, str]:
    """The STORAGES entry and MEDIA_URL for S3-compatible object storage (django-storages) described by
    MEDIA_STORAGE_URL=https://ACCESS_KEY:SECRET_KEY@s3.example.org/bucket (http:// for a local server).
    Files are read by anyone who has their (random) address, so the bucket must allow public reads of
    objects; MEDIA_PUBLIC_URL is their public address when a CDN or another host serves the bucket."""
    parts = urlsplit(url)
    bucket = parts.path.strip("/")
    if parts.scheme not in ("http", "https") or not parts.hostname or not bucket or "/" in bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like https://ACCESS_KEY:SECRET_KEY@s3.example.org/bucket."
        )
    if not (parts.username and parts.password):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must hold the access key and secret key: https://KEY:SECRET@host/bucket."
        )
    endpoint = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    public = (public_url or f"{endpoint}/{bucket}").rstrip("/") + "/"
    options = {
        "endpoint_url": endpoint,
        "bucket_name": bucket,
        "access_key": unquote(parts.username),
        "secret_key": unquote(parts.password),
        "region_name": os.environ.get("MEDIA_STORAGE_REGION", "us-east-1"),
        "addressing_style": "path",
        # Plain public addresses: a signed one expires, and cached pages would keep it.
        "querystring_auth": False,
        "file_overwrite": False,
        "custom_domain": public.split("://", 1)[1].rstrip("/"),
        "url_protocol": public.split("://", 1)[0] + ":",
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, public


def media_origin(media_url: str) -> list[str]:
    """MEDIA_URL's origin when it is on another host (for the Content-Security-Policy), else nothing."""
    parts = urlsplit(media_url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
