"""Photos of attachments: thumbnails made with Pillow, and what a photo's EXIF tells (when, where).

The stored original is evidence and is never rewritten: its SHA-256 is in the audit chain and the archive
package hashes it. Pages show derivatives only: a thumbnail with the orientation applied and no metadata at
all (no EXIF, so no GPS position, camera or owner), kept next to the original and named by its digest, so
equal files share one thumbnail and a thumbnail never goes stale. The shooting time and position are read
from the original on demand (a header read, no decoding) and shown only to whoever may read the file.
"""

import io
import os
import uuid
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD, Base

from app.domain.attachments import attachment_path
from app.errors import NotFound
from app.messages import msg

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
DATE_TIME_ORIGINAL = 0x9003  # ExifTags.Base.DateTimeOriginal, kept in the Exif sub-IFD
QUALITY = 82


def is_image(attachment):
    """Whether a thumbnail can be made of this attachment's type (PDFs and other files have none)."""
    return attachment.mime in FORMATS


def thumbnail_path(upload_dir, attachment, size):
    """Where the thumbnail of this size lives: next to the original, named by its digest."""
    return Path(upload_dir) / attachment.sha256[:2] / f"{attachment.sha256}.thumb{size}.jpg"


def ensure_thumbnail(upload_dir, attachment, size, max_pixels):
    """The path of the attachment's thumbnail (JPEG, at most `size` px a side), made once when missing.

    Raises NotFound with the reason in Chinese for a file that is not an image, cannot be read, or is
    larger than `max_pixels`.
    """
    if not is_image(attachment):
        raise NotFound(msg("photos.not_image"))
    path = thumbnail_path(upload_dir, attachment, size)
    if not path.exists():
        content = make_thumbnail(attachment_path(upload_dir, attachment).read_bytes(), attachment.mime, size,
                                 max_pixels)
        temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")  # two requests may make it at once
        temporary.write_bytes(content)
        os.chmod(temporary, 0o640)
        temporary.replace(path)
    return path


def make_thumbnail(content, mime, size, max_pixels):
    """JPEG bytes of the photo turned upright (EXIF Orientation), fitted into size × size, without metadata."""
    with _opened(content, mime, max_pixels) as source:
        source.draft("RGB", (size * 2, size * 2))  # JPEG only: decode at a fraction of the size, far faster
        try:
            upright = ImageOps.exif_transpose(source)
            upright.thumbnail((size, size), Image.Resampling.LANCZOS)
            flat = _on_white(upright)
        except (OSError, ValueError, SyntaxError) as err:  # truncated or corrupt pixel data
            raise NotFound(msg("photos.unreadable")) from err
    out = io.BytesIO()
    # Pillow writes EXIF, XMP or an ICC profile only when they are passed to save(): none are.
    flat.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def photo_facts(upload_dir, attachment, max_pixels):
    """{"taken_at": "YYYY-MM-DD HH:MM", "latitude": float, "longitude": float}, as far as the photo tells.

    Read from the original's EXIF (the camera's clock, without a time zone; the position only when the
    phone recorded it). Empty for a file that is not an image or says nothing.
    """
    if not is_image(attachment):
        return {}
    try:
        with _opened(attachment_path(upload_dir, attachment).read_bytes(), attachment.mime, max_pixels) as image:
            exif = image.getexif()
    except (NotFound, OSError):
        return {}
    facts = {}
    taken = exif.get_ifd(IFD.Exif).get(DATE_TIME_ORIGINAL) or exif.get(Base.DateTime)
    if isinstance(taken, str):
        try:
            facts["taken_at"] = datetime.strptime(taken.strip("\0 "), "%Y:%m:%d %H:%M:%S").strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
    gps = exif.get_ifd(IFD.GPSInfo)
    latitude = _degrees(gps.get(GPS.GPSLatitude), gps.get(GPS.GPSLatitudeRef), "S")
    longitude = _degrees(gps.get(GPS.GPSLongitude), gps.get(GPS.GPSLongitudeRef), "W")
    if latitude is not None and longitude is not None and abs(latitude) <= 90 and abs(longitude) <= 180:
        facts["latitude"], facts["longitude"] = round(latitude, 6), round(longitude, 6)
    return facts


def _opened(content, mime, max_pixels):
    """The image, opened (header read, nothing decoded) only as the format its bytes were stored as."""
    try:
        image = Image.open(io.BytesIO(content), formats=[FORMATS[mime]])
    except Image.DecompressionBombError as err:
        raise NotFound(msg("photos.too_big", million=max_pixels // 1_000_000)) from err
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise NotFound(msg("photos.unreadable")) from err
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise NotFound(msg("photos.too_big", million=max_pixels // 1_000_000))
    return image


def _on_white(image):
    """RGB for JPEG: a transparent background (PNG, WebP) becomes white instead of black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _degrees(parts, reference, negative):
    """Decimal degrees from EXIF (degrees, minutes, seconds) rationals; None when absent or malformed."""
    try:
        degrees, minutes, seconds = (float(p) for p in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(reference or "").upper().startswith(negative) else value
