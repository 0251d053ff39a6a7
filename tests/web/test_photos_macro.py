"""_photos.html photo_grid: photos as thumbnails that open the original, other files as links with their size."""

from flask import render_template_string

GRID = '{% from "_photos.html" import photo_grid %}{{ photo_grid(files) }}'


def test_photos_open_full_size_and_files_say_their_size(app):
    files = [{"id": 7, "filename": "现场<1>.jpg", "size": 204800, "image": True},
             {"id": 8, "filename": "处罚决定书.pdf", "size": 3 * 1048576 + 1, "image": False}]
    with app.test_request_context():
        html = render_template_string(GRID, files=files)
    assert '<a class="photo" href="/api/attachments/7" target="_blank" rel="noopener">' in html
    assert '<img src="/api/attachments/7/thumbnail" loading="lazy" alt="现场&lt;1&gt;.jpg">' in html
    assert '<a class="file" href="/api/attachments/8" target="_blank" rel="noopener"><span>处罚决定书.pdf</span>' in html
    assert '<span class="size">3.0 MB</span>' in html and "/api/attachments/8/thumbnail" not in html


def test_no_files_no_grid(app):
    with app.test_request_context():
        assert render_template_string(GRID, files=[]).strip() == ""
        assert "1 KB" in render_template_string(GRID, files=[{"id": 1, "filename": "a.pdf", "size": 10, "image": False}])
