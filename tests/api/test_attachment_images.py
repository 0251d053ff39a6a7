"""Photo thumbnails (Pillow): upright, without metadata, read as the file is read; what a photo tells (EXIF)."""

import io
from pathlib import Path

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

from tests.api.test_attachments import upload
from tests.procedures.test_call_response import FISHING

TAKEN = "2026:11:30 21:14:05"


def camera_jpeg(width=400, height=200, orientation=6):
    """A photo as a phone stores it: landscape pixels, EXIF Orientation 6 (turn 90° to view), GPS and time."""
    exif = Image.Exif()
    exif[Base.Orientation] = orientation
    exif[Base.Make] = "TestPhone"
    exif.get_ifd(IFD.Exif)[0x9003] = TAKEN  # DateTimeOriginal
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = "N", (32.0, 41.0, 24.6)
    gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = "E", (119.0, 0.0, 36.0)
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: the turn is visible
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def opened(response):
    assert response.status_code == 200, response.get_json()
    assert response.headers["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(response.data))


def call_with_photo(api_as, content):
    grid = api_as("wangge")
    photo = upload(grid, content, "现场.jpg").json["id"]
    started = grid.post("/api/instances", {"process_id": "call_response", "data": {**FISHING, "photos": [photo]}})
    assert started.status_code == 201, started.json
    return photo


def test_the_thumbnail_is_upright_small_and_tells_nothing(procedures, api_as, app):
    grid = api_as("wangge")
    photo = upload(grid, camera_jpeg()).json["id"]
    thumbnail = opened(grid.get(f"/api/attachments/{photo}/thumbnail"))
    assert thumbnail.size == (160, 320), "Orientation 6 applied: the landscape pixels stand upright, at most 320 px"
    assert thumbnail.getpixel((80, 10))[2] > 150 and thumbnail.getpixel((80, 310))[0] > 150, "blue on top, red below"
    assert len(thumbnail.getexif()) == 0 and "exif" not in thumbnail.info and "xmp" not in thumbnail.info
    raw = grid.get(f"/api/attachments/{photo}/thumbnail").data
    assert b"Exif" not in raw and b"TestPhone" not in raw, "no EXIF block, no camera, no position"
    original = grid.get(f"/api/attachments/{photo}")
    assert Image.open(io.BytesIO(original.data)).getexif()[Base.Make] == "TestPhone", "the evidence is untouched"
    stored = list(Path(app.extensions["tianchang.config"].UPLOAD_DIR).rglob("*.thumb320.jpg"))
    assert len(stored) == 1 and stored[0].read_bytes() == raw, "made once, kept next to the original"


def test_the_photo_tells_when_and_where_to_its_readers(procedures, api_as):
    grid = api_as("wangge")
    uploaded = upload(grid, camera_jpeg())
    assert uploaded.json["image"] is True and uploaded.json["taken_at"] == "2026-11-30 21:14"
    info = grid.get(f"/api/attachments/{uploaded.json['id']}/info").json
    assert info["latitude"] == 32.690167 and info["longitude"] == 119.01 and info["filename"] == "photo.jpg"
    pdf = upload(grid, b"%PDF-1.4\n%%EOF\n", "通知.pdf").json
    assert pdf["image"] is False and "taken_at" not in pdf and "latitude" not in pdf


def test_only_the_files_readers_see_its_thumbnail(procedures, api_as, session):
    from app.domain.people import create_user

    create_user(session, "admin", "shuili1", "水利局办事员", "password1", "shuili", ["dept_staff"], "pbkdf2:sha256:1000")
    session.commit()
    photo = call_with_photo(api_as, camera_jpeg())
    for reader in ("wangge", "nongye", "gongan", "ducha", "renda"):
        assert opened(api_as(reader).get(f"/api/attachments/{photo}/thumbnail")).size == (160, 320), reader
    for stranger in ("shuili1",):
        refused = api_as(stranger).get(f"/api/attachments/{photo}/thumbnail")
        assert refused.status_code == 403 and refused.json["message"] == "您无权执行此操作"
        assert api_as(stranger).get(f"/api/attachments/{photo}/info").status_code == 403
    private = upload(api_as("wangge"), camera_jpeg()).json["id"]
    assert api_as("nongye").get(f"/api/attachments/{private}/thumbnail").status_code == 403, "not yet in a call"


def test_files_that_are_no_photo_have_no_thumbnail_in_chinese(procedures, api_as, app):
    grid = api_as("wangge")
    pdf = upload(grid, b"%PDF-1.4\n%%EOF\n", "通知.pdf").json["id"]
    refused = grid.get(f"/api/attachments/{pdf}/thumbnail")
    assert refused.status_code == 404 and refused.json["message"] == "此附件不是图片，没有缩略图"
    broken = upload(grid, b"\xff\xd8\xff\xe0" + b"\0" * 256, "坏.jpg").json["id"]
    assert grid.get(f"/api/attachments/{broken}/thumbnail").json["message"].startswith("图片无法读取")
    assert grid.get("/api/attachments/2147483647/thumbnail").status_code == 404
    app.extensions["tianchang.config"].MAX_IMAGE_PIXELS = 10_000
    bomb = upload(grid, camera_jpeg(200, 100)).json["id"]
    too_big = grid.get(f"/api/attachments/{bomb}/thumbnail")
    assert too_big.status_code == 404 and "图片过大" in too_big.json["message"]


def test_a_transparent_png_gets_a_white_background(procedures, api_as):
    out = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(out, "PNG")
    grid = api_as("wangge")
    png = upload(grid, out.getvalue(), "透明.png").json["id"]
    thumbnail = opened(grid.get(f"/api/attachments/{png}/thumbnail"))
    assert thumbnail.size == (40, 40), "a small photo is not enlarged"
    assert min(thumbnail.getpixel((20, 20))) > 245, "white, not black"
