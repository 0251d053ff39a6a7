"""A closed call's record exported: the PDF reads in Chinese with the photo, the archive verifies offline."""

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.audit_package import verify_package
from app.errors import Forbidden, InvalidState
from app.governance.record_export import call_package, call_pdf
from tests.governance.record_case import CAMERA, REJECTION, RESULT, play_case, settings

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_font = pytest.mark.skipif(not FONT.is_file(), reason="fonts-wqy-microhei is not installed (apt-get install "
                                                             "fonts-wqy-microhei): the PDF embeds WenQuanYi Micro Hei")


@pytest.fixture
def closed(app, session, runtime, user, procedures):
    return play_case(app, session, runtime, user)


def export(app, session, user, kind, number, who="renda"):
    make = call_pdf if kind == "pdf" else call_package
    return make(session, user(who), number, settings(app))


@needs_font
def test_the_pdf_tells_the_case_in_chinese_with_the_photo_and_the_hashes(app, session, user, closed):
    call, photo = closed
    blob = export(app, session, user, "pdf", call.number)
    reader = PdfReader(io.BytesIO(blob))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for expected in (f"呼叫单 {call.number} 记录", "高邮湖铜城段", REJECTION, RESULT, "市公安局", "编办", "满意",
                     photo.sha256, "密钥哈希"):
        assert expected in text, expected
    assert any(page.images for page in reader.pages), "the grid worker's photo is embedded"
    assert CAMERA.encode() not in blob, "the PDF prints a derivative without the photo's metadata (its position)"


@needs_font
def test_the_archive_verifies_offline_with_the_key(app, session, user, closed):
    call, photo = closed
    blob = export(app, session, user, "zip", call.number)
    names = set(zipfile.ZipFile(io.BytesIO(blob)).namelist())
    assert {"record.pdf", "events.json", "chain.json", "manifest.json", f"files/{photo.sha256}.jpg"} <= names
    report = verify_package(blob, b"test-audit-key")
    assert report.ok, report.problems
    assert report.signed and report.files == 1 and report.events > 20
    original = zipfile.ZipFile(io.BytesIO(blob)).read(f"files/{photo.sha256}.jpg")
    assert CAMERA.encode() in original, "the archive keeps the original, the evidence its hash proves"
    assert not verify_package(blob, b"another-key").ok


def test_only_a_closed_call_exports_and_only_for_readers_of_its_whole_data(app, session, runtime, user, procedures):
    from app.domain.people import create_user

    call, _ = play_case(app, session, runtime, user, close=False)
    with pytest.raises(InvalidState, match="尚未办结"):
        export(app, session, user, "zip", call.number)
    with pytest.raises(Forbidden):
        export(app, session, user, "pdf", call.number, who="gongan")  # a party reads the story, not others' ratings
    create_user(session, "admin", "zhujian1", "住建一号", "password1", "zhujian", sorted(user("nongye").roles),
                "pbkdf2:sha256:1000")
    with pytest.raises(Forbidden):
        export(app, session, user, "pdf", call.number, who="zhujian1")  # an organisation outside the call


def test_a_missing_font_is_refused_in_chinese(app, session, user, closed):
    call, _ = closed
    with pytest.raises(InvalidState, match="找不到中文字体文件 /nonexistent/font.ttc"):
        call_pdf(session, user("renda"), call.number, settings(app, "/nonexistent/font.ttc"))
