"""Where images are kept (issue 18, point 6): the local file system by default; S3-compatible object
storage (django-storages) with MEDIA_STORAGE_URL, tested against a real SeaweedFS server that
`bash scripts/test` starts on loopback (the `s3` marker: a run of its own). The Content-Security-Policy
allows the media origin when it differs, and nothing else."""

import io
import os
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PILImage

from config.env import media_origin, media_storage
from encyclopedia.images import create_image, delete_image_files, image_sources, make_renditions
from encyclopedia.models import Image

from .image_files import CAMERA, encode, jpeg_with_metadata, photo, upload

METADATA = {"title": "Calf stretch", "alt_text": "A person leaning on a wall, one leg stretched behind."}


# Settings, in every run ---------------------------------------------------------------------


def test_media_storage_reads_endpoint_bucket_and_keys_from_one_url():
    storage, media_url = media_storage("https://AKIA%2F1:s%40cret@s3.example.org:9000/health-media", "")
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["endpoint_url"], options["bucket_name"]) == ("https://s3.example.org:9000", "health-media")
    assert (options["access_key"], options["secret_key"]) == ("AKIA/1", "s@cret")
    assert options["querystring_auth"] is False  # plain addresses: cached pages keep working
    assert media_url == "https://s3.example.org:9000/health-media/"
    _, public = media_storage("https://k:s@s3.example.org/health-media", "https://media.example.org/")
    assert public == "https://media.example.org/"


@pytest.mark.parametrize(
    "url",
    [
        "s3://k:s@host/bucket",
        "https://k:s@host/",
        "https://k:s@host/a/b",
        "https://host/bucket",
        "https://k@host/bucket",
    ],
)
def test_a_malformed_media_storage_url_stops_the_start_with_a_message(url):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL must"):
        media_storage(url, "")


def test_the_csp_names_a_media_origin_only_when_it_is_another_host():
    assert media_origin("/media/") == []
    assert media_origin("https://media.example.org/health/") == ["https://media.example.org"]


@pytest.mark.skipif(bool(os.environ.get("MEDIA_STORAGE_URL")), reason="the local-storage default")
def test_by_default_images_are_files_on_this_machine_and_the_csp_allows_only_self(client, db):
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings.MEDIA_URL == "/media/"
    img_src = next(part for part in client.get("/")["Content-Security-Policy"].split(";") if "img-src" in part)
    assert img_src.split() == ["img-src", "'self'"]


# On a real S3-compatible server -------------------------------------------------------------


def fetch(url: str) -> tuple[int, dict, bytes]:
    """An anonymous GET, as a reader's browser makes it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


@pytest.fixture(scope="session")
def bucket():
    if not os.environ.get("MEDIA_STORAGE_URL"):
        message = "MEDIA_STORAGE_URL is not set (`bash scripts/test` starts SeaweedFS and sets it)"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(f"{message}; CI must run these tests.")
        pytest.skip(message)
    client = default_storage.connection.meta.client
    deadline = time.monotonic() + 60
    while True:  # SeaweedFS takes a few seconds to elect its master and start its S3 gateway
        try:
            client.list_buckets()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    if default_storage.bucket_name not in [entry["Name"] for entry in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=default_storage.bucket_name)
    return client


s3 = pytest.mark.s3


@s3
def test_images_and_renditions_are_objects_readers_fetch_with_their_type(bucket, db):
    image = create_image(upload=upload(encode(photo(700, 350))), uploaded_by=None, **METADATA)
    sources = image_sources(image)
    media = urlsplit(settings.MEDIA_URL)
    assert urlsplit(sources["fallback_url"]).netloc == media.netloc
    urls = [
        sources["fallback_url"],
        sources["og"]["url"],
        *(s["srcset"].split(", ")[0].split()[0] for s in sources["sources"]),
    ]
    for url, content_type in zip(urls, ["image/jpeg", "image/jpeg", "image/avif", "image/webp"], strict=True):
        status, headers, body = fetch(url)
        assert status == 200 and headers["Content-Type"] == content_type, url
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert PILImage.open(io.BytesIO(body)).format == content_type.split("/")[1].upper()
    key = image.file.name
    assert bucket.head_object(Bucket=default_storage.bucket_name, Key=key)["ContentLength"] > 0


@s3
def test_objects_in_the_bucket_hold_no_metadata(bucket, db):
    image = create_image(upload=upload(jpeg_with_metadata(300, 200)), uploaded_by=None, **METADATA)
    for name in [image.file.name, *image.renditions.values_list("file", flat=True)]:
        _, _, body = fetch(default_storage.url(name))
        assert b"Exif" not in body and CAMERA.encode() not in body and b"xmpmeta" not in body, name


@s3
def test_nobody_writes_to_the_bucket_without_the_key(bucket, db):
    image = create_image(upload=upload(encode(photo())), uploaded_by=None, **METADATA)
    put = urllib.request.Request(default_storage.url(image.file.name), data=b"<script>", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(put, timeout=10)
    assert refused.value.code == 403


@s3
def test_renditions_are_made_again_from_the_original_in_the_bucket(bucket, db):
    image = create_image(upload=upload(encode(photo(500, 300))), uploaded_by=None, **METADATA)
    before = set(image.renditions.values_list("file", flat=True))
    image.focal_x = 0.9
    image.save()
    make_renditions(image)
    after = set(image.renditions.values_list("file", flat=True))
    assert before.isdisjoint(after) and all(fetch(default_storage.url(name))[0] == 200 for name in after)


@s3
def test_deleting_an_image_removes_its_objects(bucket, db, django_capture_on_commit_callbacks):
    image = create_image(upload=upload(encode(photo())), uploaded_by=None, **METADATA)
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        delete_image_files(image)
        image.delete()
    assert not any(default_storage.exists(name) for name in names)


@s3
def test_an_editor_uploads_through_the_admin_onto_object_storage(bucket, writer_client):
    response = writer_client.post(
        reverse("admin:encyclopedia_image_add"),
        {
            **METADATA,
            "kind": "illustration",
            "licence": "cc0",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "upload": upload(encode(photo())),
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert fetch(image_sources(image)["fallback_url"])[0] == 200


@s3
def test_the_csp_allows_the_media_origin_and_nothing_else(bucket, client, db):
    media = urlsplit(settings.MEDIA_URL)
    img_src = next(part for part in client.get("/")["Content-Security-Policy"].split(";") if "img-src" in part)
    assert img_src.split() == ["img-src", "'self'", f"{media.scheme}://{media.netloc}"]
