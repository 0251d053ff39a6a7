"""Every form of forms/ on a phone (390×844), drawn by the pages' forms bundle inside the start page's form card:
no control clipped or covered (the bpmn.io logo included), placeholders and date formats in Chinese."""

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in

FORMS = sorted((Path(__file__).resolve().parents[2] / "forms").glob("*.json"))
LATIN = re.compile(r"[A-Za-z]{2,}")

# Draws one schema into #form with the page's own module (forms.js → the forms bundle).
DRAW = """async (schema) => {
  const { createForm } = await import('/static/web/js/forms.js');
  if (window.__drawn) window.__drawn.destroy();
  const holder = document.getElementById('form');
  holder.replaceChildren();
  window.__drawn = await createForm({ container: holder });
  await window.__drawn.importSchema(schema, {});
  return holder.querySelectorAll('.fjs-form-field').length;
}"""

# Every control of the drawn form that people fill: is it inside the viewport's width, inside its field, not cut
# by an ancestor that hides overflow, and the element under its centre (nothing lies over it)?
MEASURE = """() => {
  const problems = [], seen = [];
  const controls = document.querySelectorAll(
    '#form .fjs-form-field input:not([type=hidden]):not([type=file]):not(.fjs-select-hidden-input),'
    + ' #form .fjs-form-field textarea, #form .fjs-form-field select, #form .fjs-form-field .tc-photos-button');
  for (const control of controls) {
    if (control.closest('.flatpickr-calendar')) continue;  // the date picker's own month and year, shown when open
    control.scrollIntoView({ block: 'center' });
    const box = control.getBoundingClientRect();
    const name = control.id || control.className || control.tagName;
    const choice = ['radio', 'checkbox'].includes(control.type);  // tapped on its row with the label
    const target = choice ? (control.closest('.fjs-inline-label') || control.parentElement)
      : control.closest('.fjs-input-group, .fjs-taglist') || control;  // the bordered box around an input
    seen.push({ name, height: Math.round(target.getBoundingClientRect().height),
                placeholder: control.getAttribute('placeholder') || '' });
    if (box.width < 1 || box.height < 1) { problems.push(`${name}: not drawn`); continue; }
    if (box.left < 0 || box.right > window.innerWidth + 0.5) problems.push(`${name}: wider than the phone`);
    const field = control.closest('.fjs-form-field').getBoundingClientRect();
    if (box.top < field.top - 0.5 || box.bottom > field.bottom + 0.5) problems.push(`${name}: outside its field`);
    for (let up = control.parentElement; up && up.id !== 'form'; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowY === 'visible' && style.overflowX === 'visible') continue;
      const clip = up.getBoundingClientRect();
      if (box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5 || box.left < clip.left - 0.5
          || box.right > clip.right + 0.5) problems.push(`${name}: cut by ${up.className}`);
    }
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === control || control.contains(top) || (top.tagName === 'LABEL' && top.htmlFor === control.id)))
      problems.push(`${name}: covered by ${top ? top.className || top.tagName : 'nothing'}`);
  }
  const logo = document.querySelector('#form .fjs-powered-by');
  if (logo) {
    const l = logo.getBoundingClientRect();
    for (const control of controls) {
      const b = control.getBoundingClientRect();
      const overlaps = l.left < b.right && b.left < l.right && l.top < b.bottom && b.top < l.bottom;
      if (overlaps) problems.push('the logo covers a control');
    }
  }
  return { problems, seen, wide: document.documentElement.scrollWidth > window.innerWidth };
}"""


@pytest.fixture
def phone_page(browser_page, procedures):
    page = browser_page(390, 844)
    sign_in(page, "wangge")
    page.goto("/start/call_response")
    page.locator("#form .fjs-form").wait_for()
    return page


def test_every_form_renders_cleanly_on_a_phone(phone_page):
    page = phone_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for path in FORMS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert page.evaluate(DRAW, schema) > 0, path.name
        page.screenshot(path=str(ARTIFACTS / f"form-{path.stem}-390.png"), full_page=True)
        result = page.evaluate(MEASURE)
        assert result["seen"], f"{path.name}: no control measured"
        problems = list(result["problems"]) + (["the page scrolls sideways"] if result["wide"] else [])
        problems += [f"{c['name']}: {c['height']} px high" for c in result["seen"] if c["height"] < 44]
        problems += [f"placeholder {c['placeholder']!r}" for c in result["seen"] if LATIN.search(c["placeholder"])]
        if problems:
            failures[path.name] = problems
    assert failures == {}


def test_tags_dates_and_times_speak_chinese(phone_page):
    page = phone_page
    schema = {"type": "default", "id": "probe", "schemaVersion": 19, "components": [
        {"type": "taglist", "key": "orgs", "id": "orgs", "label": "单位", "values": [{"label": "市公安局", "value": "gongan"}]},
        {"type": "datetime", "key": "day", "id": "day", "subtype": "date", "dateLabel": "日期"},
        {"type": "datetime", "key": "at", "id": "at", "subtype": "time", "timeLabel": "时间", "use24h": True},
        {"type": "select", "key": "one", "id": "one", "label": "单位", "values": [{"label": "市公安局", "value": "gongan"}]},
    ]}
    page.evaluate(DRAW, schema)
    assert page.locator("#form .fjs-taglist-input").get_attribute("placeholder") == "搜索"
    day = page.locator("#form .fjs-form-field-datetime input.fjs-input").first
    assert day.get_attribute("placeholder") == "年-月-日"
    assert page.locator("#form .fjs-form-field-datetime input.fjs-input").nth(1).get_attribute("placeholder") == "时:分"
    assert page.locator("#form .fjs-select-display").inner_text().strip() == "请选择"
    shown, field = (page.locator(f"#form {part}").bounding_box()
                     for part in (".fjs-select-display", ".fjs-form-field-select .fjs-input-group"))
    assert shown["width"] > field["width"] / 2, "the chosen value has the field's width, not a column beside the input"
    day.click()
    calendar = page.locator("#form .flatpickr-calendar")
    calendar.wait_for()
    assert re.search(r"[一二三四五六七八九十]+月", calendar.inner_text()), "the month in Chinese"
    assert "一" in calendar.locator(".flatpickr-weekdays").inner_text(), "the weekdays in Chinese"
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").first.click()
    assert re.fullmatch(r"\d{4}-\d{2}-01", day.input_value()), day.input_value()
    page.locator("#form .fjs-taglist-input").click()
    assert "市公安局" in page.locator("#form .fjs-dropdownlist").inner_text()
