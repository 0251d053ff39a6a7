"""The fishing case of the seed (coordinated rejection), played through the real procedures with a photo, closed."""

import io
from datetime import datetime, timezone

from freezegun import freeze_time
from PIL import Image

from app.domain.attachments import store_attachment
from app.governance.calls import get_call
from tests.procedures.helpers import Driver

MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Tianchang
REJECTION = "非法捕捞由渔政部门查处，属地巡查由镇街负责"
RESULT = "查处非法捕捞案件 1 起，罚款 3000 元，没收电鱼器 2 套"


CAMERA = "TianchangTestCam"  # the camera's name in the photo's EXIF, with a GPS position


def photo_bytes():
    """A 640×480 JPEG as a phone sends it: EXIF with the camera and where it was taken."""
    picture = Image.new("RGB", (640, 480), (40, 110, 160))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x8825] = {1: "N", 2: (32.0, 41.0, 24.6), 3: "E", 4: (119.0, 0.0, 36.0)}  # GPSInfo
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def settings(app, font="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
    from zoneinfo import ZoneInfo

    from app.governance.record_export import ExportSettings

    config = app.extensions["tianchang.config"]
    return ExportSettings(ZoneInfo(config.TIMEZONE), config.UPLOAD_DIR, font, 0, config.PDF_PHOTO_SIZE,
                          config.MAX_IMAGE_PIXELS)


def play_case(app, session, runtime, user, close=True):
    """The case played as the scenario does, the grid worker's photo attached; returns (call, attachment)."""
    config = app.extensions["tianchang.config"]
    with freeze_time(MONDAY) as clock:
        photo = store_attachment(session, user("wangge"), "湖面电鱼.jpg", photo_bytes(), config.UPLOAD_DIR,
                                 config.MAX_ATTACHMENT_SIZE)
        session.commit()
        drive = Driver(session, runtime, user)
        instance = drive.start("wangge", "call_response", {
            "item_code": "P-0001", "location": "高邮湖铜城段（湖滨村附近水域）", "urgency": "normal",
            "description": "夜间有人在湖面使用电鱼器捕鱼，约三人一船", "extra_departments": [], "photos": [photo.id]})
        drive.complete("respond", {"decision": "accept"}, org="nongye")
        drive.complete("respond", {"decision": "reject", "reason": REJECTION}, org="gongan")
        drive.complete("decide", {"choice": "forward", "dispute_note": "电鱼涉嫌犯罪，需公安机关配合"})
        drive.complete("negotiate", {"agreed": "no", "responsible": "department", "summary": "双方对配合职责认识不一"})
        drive.complete("coordinate", {"responsible": "department", "basis_kind": "list",
                                      "basis_note": "配合事项清单 P-0001：市农业农村局主办，市公安局配合查处",
                                      "amend_list": True, "amendment_note": "写明公安机关对涉嫌犯罪线索的配合职责"})
        drive.complete("rectify", {"measures": "派出所与渔政联合夜巡", "result": "查获电鱼器 2 套"}, org="gongan")
        drive.complete("verify", {"verify_decision": "close", "verify_comment": "整改到位"})
        if close:
            clock.tick(3600)
            drive.complete("handle", {"action": "done", "result": RESULT}, org="nongye")
            drive.complete("handle", {"action": "done", "result": "配合查处，涉案人员已移交"}, org="gongan")
            drive.complete("confirm", {"grade": "满意", "comment": "处置迅速"})
            for org in ("nongye", "gongan"):
                drive.complete("rate_call", {"accuracy": 5, "cooperation": 5}, org=org)
    session.expire_all()
    return get_call(session, instance.business_key), photo
