"""Attachments: type by content, size limit, stored once by hash, served safely."""

import io

from PIL import Image

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def tiny_jpeg():
    """A real 8×6 JPEG (its thumbnail can be made), a few hundred bytes."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


JPEG = tiny_jpeg()


def upload(api, content, name="photo.jpg"):
    return api.client.post("/api/attachments", data={"file": (io.BytesIO(content), name)}, headers=api.headers,
                           content_type="multipart/form-data")


def test_photos_upload_and_download(api_as):
    grid = api_as("wangge")
    first = upload(grid, JPEG)
    assert first.status_code == 201 and first.json["mime"] == "image/jpeg" and first.json["size"] == len(JPEG)
    again = upload(grid, JPEG, "same.jpg")
    assert again.status_code == 201 and again.json["id"] != first.json["id"]
    got = grid.get(f"/api/attachments/{first.json['id']}")
    assert got.status_code == 200 and got.data == JPEG and got.headers["X-Content-Type-Options"] == "nosniff"
    assert upload(grid, PNG, "x.png").json["mime"] == "image/png"


def test_wrong_types_and_sizes_are_refused_in_chinese(app, api_as):
    grid = api_as("wangge")
    script = upload(grid, b"<script>alert(1)</script>", "photo.jpg")
    assert script.status_code == 422 and script.json["message"] == "只能上传 JPEG、PNG、WebP 图片或 PDF 文件"
    assert upload(grid, b"", "empty.jpg").json["message"] == "文件为空"
    app.extensions["tianchang.config"].MAX_ATTACHMENT_SIZE = 100
    big = upload(grid, JPEG + b"\0" * 200)
    assert big.status_code == 422 and "文件过大" in big.json["message"]
    assert api_as("renda").client.post("/api/attachments", headers=api_as("renda").headers).status_code == 403
