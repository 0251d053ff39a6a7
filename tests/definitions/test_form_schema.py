"""form-js → JSON Schema: each field type becomes the schema written here, and data is judged in Chinese by it."""

import pytest

from app.definitions.forms import DATE_PATTERNS, EMAIL, Form, form_to_json_schema, validate_submission


def form(*components):
    return {"type": "default", "schemaVersion": 19, "id": "f", "components": list(components)}


def field(kind, key, **extra):
    return {"type": kind, "key": key, "id": f"Field_{key}", "label": key.upper(), **extra}


def schema_of(*components):
    return form_to_json_schema(form(*components))


def errors(components, data):
    return validate_submission(Form("f", form(*components)), data)


def property_of(component):
    return schema_of(component)["properties"][component["key"]]


CHOICES = [{"label": "接受", "value": "accept"}, {"label": "驳回", "value": "reject"}]


def test_a_textfield_is_a_string_with_its_id_and_label():
    assert schema_of(field("textfield", "title")) == {
        "type": "object", "additionalProperties": False,
        "properties": {"title": {"x-id": "Field_title", "x-label": "TITLE", "type": "string"}}}


def test_required_text_needs_a_character_and_is_listed_as_required():
    name = field("textarea", "reason", validate={"required": True, "maxLength": 10})
    assert schema_of(name)["required"] == ["reason"]
    assert property_of(name) == {"x-id": "Field_reason", "x-label": "REASON", "type": "string", "minLength": 1,
                                 "maxLength": 10}
    assert errors([name], {"reason": "理由"}) == {}
    assert errors([name], {}) == {"reason": ["此项为必填项"]}
    assert errors([name], {"reason": ""}) == {"reason": ["此项为必填项"]}
    assert errors([name], {"reason": "十一个字十一个字十一个"}) == {"reason": ["长度不能超过 10 个字符"]}
    assert errors([name], {"reason": 5}) == {"reason": ["类型不正确，应为文本"]}


def test_optional_text_with_a_minimum_length_is_checked_only_when_given():
    note = field("textfield", "note", validate={"minLength": 3})
    assert property_of(note)["x-minLengthIfPresent"] == 3 and "minLength" not in property_of(note)
    assert errors([note], {"note": ""}) == {} and errors([note], {}) == {}
    assert errors([note], {"note": "短"}) == {"note": ["长度不能少于 3 个字符"]}


def test_email_and_pattern_validation_allow_an_empty_optional_answer():
    email = field("textfield", "mail", validate={"validationType": "email"})
    assert property_of(email)["pattern"] == f"(^$)|({EMAIL})"
    assert errors([email], {"mail": ""}) == {} and errors([email], {"mail": "a@b.cn"}) == {}
    assert errors([email], {"mail": "not-mail"}) == {"mail": ["格式不正确"]}
    code = field("textfield", "code", validate={"required": True, "pattern": "^P-[0-9]{4}$",
                                                 "patternErrorMessage": "编码形如 P-0001"})
    assert property_of(code)["pattern"] == "^P-[0-9]{4}$"
    assert errors([code], {"code": "X1"}) == {"code": ["编码形如 P-0001"]}


def test_a_number_has_bounds_decimals_and_an_increment():
    funds = field("number", "funds", decimalDigits=1, increment="0.5", validate={"min": 0, "max": 100})
    assert property_of(funds) == {"x-id": "Field_funds", "x-label": "FUNDS", "type": ["number", "null"],
                                  "minimum": 0, "maximum": 100, "x-decimalDigits": 1, "x-increment": "0.5"}
    assert errors([funds], {"funds": 20.5}) == {} and errors([funds], {"funds": None}) == {}
    assert errors([funds], {"funds": -1}) == {"funds": ["不能小于 0"]}
    assert errors([funds], {"funds": 100.5}) == {"funds": ["不能大于 100"]}
    assert errors([funds], {"funds": 1.25}) == {"funds": ["小数位数不能超过 1 位", "必须是 0.5 的整数倍"]}
    assert errors([funds], {"funds": "20"}) == {"funds": ["类型不正确，应为数字"]}


def test_a_required_number_may_not_be_null():
    staff = field("number", "staff", validate={"required": True})
    assert property_of(staff)["type"] == "number"
    assert errors([staff], {"staff": None}) == {"staff": ["类型不正确，应为数字"]}
    assert errors([staff], {}) == {"staff": ["此项为必填项"]}


@pytest.mark.parametrize("kind", ["select", "radio"])
def test_select_and_radio_accept_only_their_values(kind):
    optional = field(kind, "decision", values=CHOICES)
    assert property_of(optional)["enum"] == ["accept", "reject", None, ""]
    assert errors([optional], {"decision": "reject"}) == {} and errors([optional], {"decision": None}) == {}
    assert errors([optional], {"decision": "maybe"}) == {"decision": ["不是允许的选项"]}
    required = field(kind, "decision", values=CHOICES, validate={"required": True})
    assert property_of(required)["enum"] == ["accept", "reject"]
    assert errors([required], {"decision": ""}) == {"decision": ["不是允许的选项"]}


def test_a_checkbox_is_a_boolean_and_a_required_one_must_be_ticked():
    amend = field("checkbox", "amend")
    assert property_of(amend)["type"] == "boolean" and "const" not in property_of(amend)
    assert errors([amend], {"amend": False}) == {}
    assert errors([amend], {"amend": "yes"}) == {"amend": ["类型不正确，应为是/否"]}
    consent = field("checkbox", "consent", validate={"required": True})
    assert property_of(consent)["const"] is True
    assert errors([consent], {"consent": False}) == {"consent": ["此项为必填项"]}


@pytest.mark.parametrize("kind", ["checklist", "taglist"])
def test_checklists_and_taglists_are_arrays_of_their_values(kind):
    towns = field(kind, "towns", values=[{"label": "铜城镇", "value": "tongcheng"}, {"label": "秦栏镇", "value": "qinlan"}],
                  validate={"required": True})
    assert property_of(towns) == {"x-id": "Field_towns", "x-label": "TOWNS", "type": "array",
                                  "items": {"enum": ["tongcheng", "qinlan"]}, "minItems": 1}
    assert errors([towns], {"towns": ["qinlan", "tongcheng"]}) == {}
    assert errors([towns], {"towns": []}) == {"towns": ["此项为必填项"]}
    assert errors([towns], {"towns": ["nowhere"]}) == {"towns": ["不是允许的选项"]}, "reported on the list's field"
    assert errors([towns], {"towns": "tongcheng"}) == {"towns": ["类型不正确，应为列表"]}


def test_a_taglist_without_values_takes_any_items():
    tags = field("taglist", "photos")
    assert property_of(tags)["type"] == "array" and "items" not in property_of(tags)
    assert errors([tags], {"photos": ["1", "2"]}) == {}


@pytest.mark.parametrize(("subtype", "good", "bad"), [
    ("date", "2026-04-01", "2026/04/01"),
    ("time", "09:30", "9点半"),
    ("datetime", "2026-04-01T09:30:00+08:00", "2026-04-01 09:30"),
])
def test_datetime_subtypes_have_their_patterns(subtype, good, bad):
    when = field("datetime", "when", subtype=subtype)
    assert property_of(when)["pattern"] == DATE_PATTERNS[subtype] and property_of(when)["type"] == ["string", "null"]
    assert errors([when], {"when": good}) == {} and errors([when], {"when": None}) == {}
    assert errors([when], {"when": bad}) == {"when": ["格式不正确"]}


def test_a_datetime_without_subtype_is_a_date_and_required_one_is_not_null():
    due = field("datetime", "due", validate={"required": True})
    assert property_of(due) == {"x-id": "Field_due", "x-label": "DUE", "type": "string",
                                "pattern": DATE_PATTERNS["date"]}
    assert errors([due], {"due": None}) == {"due": ["类型不正确，应为文本"]}


def test_a_filepicker_holds_one_id_or_a_list():
    one = field("filepicker", "scan")
    many = field("filepicker", "scans", multiple=True)
    assert property_of(one)["type"] == ["string", "array", "null"] and property_of(many)["type"] == "array"
    assert errors([one], {"scan": "12"}) == {} and errors([many], {"scans": ["12", "13"]}) == {}
    assert errors([many], {"scans": "12"}) == {"scans": ["类型不正确，应为列表"]}


def test_unknown_keys_are_refused():
    assert schema_of(field("textfield", "title"))["additionalProperties"] is False
    assert errors([field("textfield", "title")], {"title": "x", "admin": True}) == {"admin": ["表单中没有此字段"]}
    assert validate_submission(Form("f", form(field("textfield", "title"))), ["title"]) == {"_": ["提交的数据必须是对象"]}


def test_reserved_and_private_keys_are_refused_even_when_a_form_has_them():
    keyed = [field("textfield", "typename"), field("textfield", "subject")]
    assert validate_submission(Form("f", form(*keyed)), {"typename": "x", "_secret": 1, "now": 1},
                               reserved={"now"}) == {
        "typename": ["此字段名为系统保留"], "_secret": ["此字段名为系统保留", "表单中没有此字段"],
        "now": ["此字段名为系统保留", "表单中没有此字段"]}


def test_layout_components_and_unkeyed_fields_are_ignored():
    layout = [{"type": t, "id": f"x{i}", "text": "说明"} for i, t in enumerate(
        ["text", "html", "image", "button", "spacer", "separator", "iframe", "table", "documentPreview"])]
    assert schema_of(*layout, {"type": "textfield", "id": "nokey"}, field("textfield", "only")) == {
        "type": "object", "additionalProperties": False,
        "properties": {"only": {"x-id": "Field_only", "x-label": "ONLY", "type": "string"}}}


def test_a_group_without_path_is_flat_and_with_a_path_is_nested():
    inner = [field("textfield", "name", validate={"required": True}), field("number", "age")]
    flat = schema_of({"type": "group", "id": "g", "components": inner})
    assert set(flat["properties"]) == {"name", "age"} and flat["required"] == ["name"]
    nested = schema_of({"type": "group", "id": "g", "path": "person", "components": inner})
    person = nested["properties"]["person"]
    assert "required" not in nested and person["required"] == ["name"] and person["additionalProperties"] is False
    group = [{"type": "group", "id": "g", "path": "person", "components": inner}]
    assert errors(group, {"person": {"name": "张三", "age": 40}}) == {}
    assert errors(group, {"person": {"age": 40}}) == {"person.name": ["此项为必填项"]}
    assert errors(group, {"person": {"name": "张三", "extra": 1}}) == {"person.extra": ["表单中没有此字段"]}


def test_a_dotted_key_builds_nested_objects():
    built = schema_of(field("textfield", "address.city"))
    assert built["properties"]["address"] == {
        "type": "object", "additionalProperties": False,
        "properties": {"city": {"x-id": "Field_address.city", "x-label": "ADDRESS.CITY", "type": "string"}}}


def test_a_dynamic_list_is_an_array_of_row_objects():
    rows = {"type": "dynamiclist", "id": "rows", "path": "members",
            "components": [field("textfield", "who", validate={"required": True}), field("number", "share")]}
    members = schema_of(rows)["properties"]["members"]
    assert members["type"] == "array" and members["x-id"] == "rows"
    assert members["items"]["required"] == ["who"] and members["items"]["additionalProperties"] is False
    assert errors([rows], {"members": [{"who": "甲", "share": 1}, {"who": "乙"}]}) == {}
    assert errors([rows], {"members": [{"share": 1}]}) == {"members.who": ["此项为必填项"]}
    assert errors([rows], {"members": [{"who": "甲", "share": "x"}]}) == {"members.share": ["类型不正确，应为数字"]}


def test_a_conditional_required_field_is_not_required():
    hidden = field("textfield", "why", validate={"required": True}, conditional={"hide": "=decision = 'accept'"})
    assert "required" not in schema_of(hidden) and "minLength" not in property_of(hidden)
    assert errors([hidden], {}) == {}


def test_the_call_form_of_forms_accepts_a_real_call_and_refuses_a_wrong_urgency():
    import json
    from pathlib import Path

    call_form = json.loads((Path(__file__).resolve().parents[2] / "forms" / "call_form.json").read_text("utf-8"))
    fishing = {"item_code": "P-0001", "location": "高邮湖铜城段", "description": "夜间有人电鱼", "urgency": "normal",
               "extra_departments": [], "photos": []}
    assert validate_submission(Form("call_form", call_form), fishing) == {}
    assert validate_submission(Form("call_form", call_form), dict(fishing, urgency="whenever")) == {
        "urgency": ["不是允许的选项"]}
