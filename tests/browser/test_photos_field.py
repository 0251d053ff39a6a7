"""The photos field on a phone: the grid worker takes (or chooses) photos on 发起呼叫, sees their thumbnails, removes
one, sends the call; the call keeps the ids, the department's task shows them read-only from the server's thumbnails."""

from tests.api.test_attachment_images import camera_jpeg
from tests.browser.conftest import ARTIFACTS, sign_in

REQUIRED = {"type": "default", "id": "probe", "schemaVersion": 19, "components": [
    {"type": "photos", "key": "evidence", "id": "evidence", "label": "整改照片", "validate": {"required": True},
     "properties": {"maxFiles": "2"}}]}


def natural_width(image):
    """The width of the image as the browser decoded it, once it has loaded (0 when it did not)."""
    return image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")


def photos_taken_and_one_removed(grid, tmp_path):
    """On 发起呼叫: one photo from the camera, one from the album, both shown; the second removed. Returns the ids."""
    field = grid.locator(".tc-photos")
    field.wait_for()
    camera = field.locator("input[type=file][capture=environment]")
    assert camera.get_attribute("accept") == "image/*", "拍照 opens the phone's camera"
    assert field.get_by_text("拍照", exact=True).is_visible() and field.get_by_text("从相册选择", exact=True).is_visible()
    first, second = tmp_path / "现场1.jpg", tmp_path / "现场2.jpg"
    first.write_bytes(camera_jpeg())
    second.write_bytes(camera_jpeg(300, 200, orientation=1))
    camera.set_input_files(str(first))
    field.locator("input[type=file]:not([capture])").set_input_files([str(second)])
    thumbnails = field.locator(".tc-photo img")
    thumbnails.nth(1).wait_for()
    grid.locator(".tc-photos:not([data-uploading])").wait_for()
    assert thumbnails.first.get_attribute("alt") == "现场1.jpg"
    assert thumbnails.first.get_attribute("loading") == "lazy"
    assert natural_width(thumbnails.first) == 160, "the server's upright thumbnail"
    ids = grid.evaluate("window.__form._getState().data.photos")
    assert len(ids) == 2 and all(isinstance(i, int) for i in ids)
    assert "拍摄于 2026-11-30 21:14" in field.inner_text(), "the time the photo tells"
    field.get_by_role("button", name="删除 现场2.jpg").click()
    assert grid.evaluate("window.__form._getState().data.photos") == ids[:1]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    grid.screenshot(path=str(ARTIFACTS / "photos-field-390.png"), full_page=True)
    return ids


def test_the_grid_worker_calls_with_photos_and_the_department_sees_them(browser_page, procedures, tmp_path):
    grid = browser_page(390, 844)
    sign_in(grid, "wangge")
    grid.goto("/start/call_response")
    ids = photos_taken_and_one_removed(grid, tmp_path)
    grid.fill("#item-search", "电鱼")
    grid.get_by_role("button", name="P-0001").click()
    grid.get_by_label("地点").fill("高邮湖铜城段")
    grid.get_by_label("问题描述").fill("夜间有人电鱼")
    grid.get_by_text("一般", exact=True).click()
    grid.click("#submit")
    grid.wait_for_url("**/calls/HJ*")
    number = grid.url.rsplit("/", 1)[1]
    call = grid.request.get(f"/api/calls/{number}").json()
    instance = grid.request.get(f"/api/instances/{call['instance_id']}").json()
    assert instance["data"]["photos"] == ids[:1], "the call keeps the attachment ids"

    department = browser_page(390, 844)
    sign_in(department, "nongye")
    shown = department.request.get(f"/api/attachments/{ids[0]}/thumbnail")
    assert shown.status == 200 and shown.headers["content-type"] == "image/jpeg"
    assert department.request.get(f"/api/attachments/{ids[0]}").status == 200, "the original opens full size"
    department.goto("/")
    department.get_by_role("link", name="签收响应").first.click()
    department.locator('[data-testid="start-form-toggle"]').click()
    view = department.locator('[data-testid="start-form"] .tc-photos')
    view.locator(".tc-photo img").wait_for()
    assert natural_width(view.locator(".tc-photo img")) == 160
    assert view.locator("input[type=file]").count() == 0 and view.locator(".tc-photo-remove").count() == 0, "read-only"
    link = view.locator(".tc-photo a")
    assert link.get_attribute("href") == f"/api/attachments/{ids[0]}" and link.get_attribute("target") == "_blank"


def test_a_required_photos_field_is_refused_empty_and_stops_at_its_maximum(browser_page, procedures, tmp_path):
    page = browser_page(390, 844)
    sign_in(page, "wangge")
    page.goto("/start/call_response")
    page.locator("#form .fjs-form").wait_for()
    page.evaluate("""async (schema) => {
      const { createForm } = await import('/static/web/js/forms.js');
      const holder = document.getElementById('form');
      holder.replaceChildren();
      window.__probe = await createForm({ container: holder });
      await window.__probe.importSchema(schema, {});
    }""", REQUIRED)
    errors = page.evaluate("window.__probe.submit().errors")
    assert errors == {"evidence": ["此项为必填项"]}
    assert page.locator(".tc-photos .fjs-form-field-error").inner_text().strip() == "此项为必填项"
    files = []
    for n in range(3):
        files.append(tmp_path / f"{n}.jpg")
        files[-1].write_bytes(camera_jpeg(120 + n, 80))
    page.locator(".tc-photos input[type=file]:not([capture])").set_input_files([str(f) for f in files])
    page.locator(".tc-photo img").nth(1).wait_for()
    page.locator(".tc-photos:not([data-uploading])").wait_for()
    assert page.locator(".tc-photo").count() == 2
    assert "最多只能添加 2 个文件" in page.locator(".tc-photos").inner_text()
    assert page.locator(".tc-photos input[type=file]:not([capture])").is_disabled()
    assert page.evaluate("window.__probe.submit().errors") == {}


def test_designers_place_a_photos_field_and_the_preview_draws_it(browser_page, procedures):
    page = browser_page()
    sign_in(page, "sheji")
    page.goto("/design/forms/rectify_form")
    page.locator("#fe-canvas .fjs-form-field").first.wait_for()
    page.locator('#fe-palette .fjs-palette-field[data-field-type="photos"]', has_text="照片").click()
    drawn = page.locator("#fe-canvas .fjs-form-field", has_text="现场照片")
    drawn.wait_for()
    added = page.evaluate("window.__designer.editor.saveSchema().components.filter(c => c.type === 'photos')")
    assert len(added) == 1 and added[0]["label"] == "现场照片" and added[0]["key"]
    page.evaluate("""() => { const editor = window.__designer.editor;
      const field = editor.get('formFieldRegistry').getAll().find((f) => f.type === 'photos');
      editor.get('selection').set(field); }""")
    header = page.locator("#fe-properties .bio-properties-panel-group-header", has_text="常规").first
    page.locator('#fe-properties [data-entry-id="label"]').or_(header).first.wait_for()
    page.wait_for_timeout(300)
    if not page.locator('#fe-properties [data-entry-id="label"]').is_visible():
        header.click()
    for entry in ("label", "key", "accept", "required"):
        page.locator(f'#fe-properties [data-entry-id="{entry}"]').wait_for(state="attached")
    preview = page.get_by_test_id("form-preview")
    preview.locator(".tc-photos").get_by_text("拍照", exact=True).wait_for()
    assert preview.locator(".tc-photos").get_by_text("从相册选择", exact=True).is_visible()
