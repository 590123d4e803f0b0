"""Time uploading a 12-megapixel JPEG through the admin, all renditions included, and print the figures
(never a test; issue 18 asks for under 5 s on this machine).

    .venv/bin/python bench/image_upload.py [--runs 3] [--speed 8]

Uses a throwaway SQLite database and media folder. The photograph is 4000 × 3000 pixels of
camera-like content (smooth shading, edges and sensor noise, so that the encoders work as hard as on
a real photo), saved as a quality-90 JPEG with EXIF. Each run posts it to the media library's add
form as an Editor would; the time is the whole request: checks, decoding, the stored original, and
AVIF, WebP and JPEG at three widths plus the Open Graph and thumbnail crops. Then prints where the
time goes, step by step, for one run outside the request.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
work = tempfile.mkdtemp(prefix="image-upload-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import ExifTags, ImageFilter  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

from encyclopedia import images  # noqa: E402
from encyclopedia.models import Image  # noqa: E402


def twelve_megapixel_jpeg() -> bytes:
    width, height = 4000, 3000
    shading = PILImage.linear_gradient("L").resize((width, height))
    detail = PILImage.effect_mandelbrot((width, height), (-2.2, -1.3, 1.0, 1.1), 60).filter(ImageFilter.GaussianBlur(2))
    channels = [shading, detail, shading.rotate(180)]
    # Sensor noise in every channel: a camera's JPEG of this size is several megabytes, not a smooth drawing's one.
    photo = PILImage.merge(
        "RGB", [PILImage.blend(c, PILImage.effect_noise((width, height), 60), 0.25) for c in channels]
    )
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Bench camera"
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--speed", type=int, default=settings.IMAGE_AVIF_SPEED, help="libavif speed, 0–10")
    options = parser.parse_args()
    settings.IMAGE_AVIF_SPEED = options.speed
    settings.MEDIA_ROOT = f"{work}/media"
    call_command("migrate", verbosity=0)
    editor = User.objects.create_user("editor", password="bench-password-123", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(editor)

    data = twelve_megapixel_jpeg()
    print(
        f"12-megapixel JPEG (4000 × 3000), {len(data) / 1e6:.1f} MB; AVIF speed {options.speed}; {os.cpu_count()} cores"
    )
    timings = []
    for run in range(options.runs):
        form = {
            "title": f"Bench {run}", "kind": "clinical_photograph", "alt_text": "A bench photograph.",
            "licence": "cc0", "focal_x": "0.5", "focal_y": "0.5",
            "upload": SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"),
        }  # fmt: skip
        started = time.perf_counter()
        response = client.post(reverse("admin:encyclopedia_image_add"), form)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content[:2000]
    image = Image.objects.latest()
    renditions = list(image.renditions.all())
    print(
        f"upload through the admin + all {len(renditions)} renditions: "
        f"median {statistics.median(timings):.2f} s (runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )
    sizes = {}
    for rendition in renditions:
        sizes.setdefault(rendition.format, 0)
        sizes[rendition.format] += rendition.file.size
    print(
        "bytes stored per format: " + ", ".join(f"{name} {size / 1000:.0f} KB" for name, size in sorted(sizes.items()))
    )
    print(f"original stored as {image.file.name.rsplit('.', 1)[1]}, {image.file.size / 1e6:.2f} MB")

    # Where the time goes (outside the request, one run).
    steps = {}
    started = time.perf_counter()
    pixels = images.check_upload(SimpleUploadedFile("photo.jpg", data)).pixels
    steps["checks, decoding, orientation, metadata removal"] = time.perf_counter() - started
    started = time.perf_counter()
    images._encode(pixels, "jpeg")
    steps["the stored original (JPEG)"] = time.perf_counter() - started
    started = time.perf_counter()
    made = images._renditions_of(pixels, 0.5, 0.5)
    steps[f"{len(made)} renditions (resizing and encoding)"] = time.perf_counter() - started
    for step, seconds in steps.items():
        print(f"  {step}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
