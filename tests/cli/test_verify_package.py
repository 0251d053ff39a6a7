"""`flask audit verify-package FILE`: an exported archive checks offline; each kind of tampering is named in Chinese."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from app.governance.record_export import call_package
from tests.governance.record_case import REJECTION, play_case, settings

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
pytestmark = pytest.mark.skipif(not FONT.is_file(), reason="fonts-wqy-microhei is not installed (apt-get install "
                                                           "fonts-wqy-microhei): the archive's PDF embeds it")


@pytest.fixture
def package(app, session, runtime, user, procedures, tmp_path):
    call, photo = play_case(app, session, runtime, user)
    blob = call_package(session, user("renda"), call.number, settings(app))
    return blob, photo


def check(runner, tmp_path, blob, *options):
    path = tmp_path / "record.zip"
    path.write_bytes(blob)
    result = runner.invoke(args=["audit", "verify-package", str(path), *options])
    return result.exit_code, result.output


def members_of(blob):
    archive = zipfile.ZipFile(io.BytesIO(blob))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def repacked(blob, change):
    """The package after `change(members)`, its manifest's sums recomputed as a forger would (its MAC cannot be)."""
    members = members_of(blob)
    change(members)
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = {n: hashlib.sha256(b).hexdigest() for n, b in members.items() if n != "manifest.json"}
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def edit_events(change):
    def _apply(members):
        events = json.loads(members["events.json"])
        change(events)
        members["events.json"] = json.dumps(events, ensure_ascii=False).encode()
    return _apply


def test_an_exported_archive_verifies_offline(runner, tmp_path, package):
    code, output = check(runner, tmp_path, package[0])
    assert code == 0, output
    assert "档案包完整" in output and "已用审计密钥核对" in output and "1 个文件" in output
    code, output = check(runner, tmp_path, package[0], "--structure-only")
    assert code == 0 and "未核对密钥哈希" in output


def test_a_changed_member_without_a_new_manifest_is_named(runner, tmp_path, package):
    blob, _ = package
    members = members_of(blob)
    members["record.pdf"] += b"%"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    code, output = check(runner, tmp_path, out.getvalue())
    assert code == 1 and "文件 record.pdf 的 SHA-256 与清单不符" in output


def test_a_replaced_photo_is_found(runner, tmp_path, package):
    blob, photo = package
    name = f"files/{photo.sha256}.jpg"

    def swap(members):
        members[name] = members[name][:-10] + b"0123456789"

    code, output = check(runner, tmp_path, repacked(blob, swap))
    assert code == 1
    assert f"文件 {name} 的内容与其名称中的 SHA-256 不符" in output and "清单 manifest.json 的签名不符" in output


def test_a_changed_event_payload_is_found(runner, tmp_path, package):
    def soften(events):
        (rejected,) = [e for e in events if e["action"] == "task.complete" and (e["payload"].get("data") or {}).get(
            "reason") == REJECTION]
        rejected["payload"]["data"]["reason"] = "已核实，不属于本单位"
        soften.where = (rejected["stream"], rejected["seq"])

    code, output = check(runner, tmp_path, repacked(package[0], edit_events(soften)))
    stream, seq = soften.where
    assert code == 1 and f"记录链 {stream} 第 {seq} 条事件的内容被修改（密钥哈希不符）" in output


def test_a_deleted_event_breaks_its_chain(runner, tmp_path, package):
    def drop(events):
        stream = next(e["stream"] for e in events if e["stream"].startswith("instance:"))
        ours = sorted((e for e in events if e["stream"] == stream), key=lambda e: e["seq"])
        gone = ours[len(ours) // 2]
        events.remove(gone)
        drop.where = (stream, gone["seq"])

    code, output = check(runner, tmp_path, repacked(package[0], edit_events(drop)))
    stream, seq = drop.where
    assert code == 1 and f"记录链 {stream} 在第 {seq} 条处断裂：缺失事件（序号不连续）" in output


def test_not_an_archive_is_told(runner, tmp_path):
    code, output = check(runner, tmp_path, b"not a zip")
    assert code == 1 and "不是有效的档案包" in output
    result = runner.invoke(args=["audit", "verify-package", str(tmp_path / "missing.zip")])
    assert result.exit_code == 1 and "文件不存在" in result.output
