"""Small image files made on the spot for the media-library tests, good and hostile."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

# Written into the test photo's metadata: none of it may reach a stored file.
CAMERA = "SecretCam 3000"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description about="patient-name-Jane-Roe"/></x:xmpmeta>'


def photo(width: int = 120, height: int = 80) -> PILImage.Image:
    """A photograph-like image: smooth colours, far more than 256 of them."""
    image = PILImage.linear_gradient("L").resize((width, height))
    return PILImage.merge("RGB", (image, image.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT), image.rotate(90)))


def encode(image: PILImage.Image, image_format: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def jpeg_with_metadata(width: int = 120, height: int = 80, orientation: int = 1) -> bytes:
    """A camera JPEG: EXIF with the camera, GPS position and orientation, XMP and an ICC profile."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 0.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(photo(width, height), "JPEG", exif=exif, xmp=XMP, icc_profile=icc, quality=90)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, bit_depth: int = 8, colour_type: int = 2, rows: bytes = b"") -> bytes:
    """A PNG whose header says width × height; its pixel data is `rows`, compressed (possibly far too little)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )  # fmt: skip


def decompression_bomb() -> bytes:
    """A complete, valid 8,000 × 8,000 black-and-white PNG (64 megapixels) of about 10 KB."""
    side = 8000
    return png_claiming(side, side, bit_depth=1, colour_type=0, rows=b"\x00" * (side * (1 + side // 8)))
