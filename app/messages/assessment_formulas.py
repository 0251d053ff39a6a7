"""Catalogue part: the formula editor (考核公式) pages."""

MESSAGES = {
    "assessment_formulas.forbidden_read": "您无权查看考核公式。",
    "assessment_formulas.forbidden_edit": "只有编办可以修改考核公式。",
    "assessment_formulas.saved": "考核公式第 {version} 版已保存，自 {date} 起生效。",
    "assessment_formulas.invalid": "公式未保存：请按提示修改标红的项目。",
    "assessment_formulas.number_required": "请填写数字（不计入填 0）",
    "assessment_formulas.not_number": "请填写数字，例如 10 或 0.5",
    "assessment_formulas.bad_date": "请填写有效的日期，例如 2026-12-01",
}

LABELS = {
}
