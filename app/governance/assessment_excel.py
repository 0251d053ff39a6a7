"""The assessment as an Excel workbook (openpyxl): one sheet per organisation group, then the formula sheet."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.governance.assessment_metrics import GROUPS, METRICS
from app.governance.assessment_report import formula_lines, ordered
from app.messages import label, msg

HEADER = Font(bold=True)
RED = PatternFill("solid", fgColor="FDECEA")
GREEN = PatternFill("solid", fgColor="E8F5E9")
FORMATS = {"rate": "0.0%", "average": "0.0", "count": "0"}


def build_workbook(data, state):
    """The .xlsx (bytes) of `data` (assessment_report.content): rank, organisation, score, every metric's value,
    numerator and denominator, deductions and bonuses per group; the formula version and the definitions."""
    book = Workbook()
    book.remove(book.active)
    for group, rows in ordered(data["groups"]):
        _group_sheet(book.create_sheet(label("org_kind", group)), rows)
    _formula_sheet(book.create_sheet(msg("assessp.xlsx.formula")), data, state)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _group_sheet(sheet, rows):
    header = [msg("assessp.xlsx.rank"), msg("assessp.xlsx.org"), msg("assessp.xlsx.score")]
    for key in METRICS:
        name = label("assessment_metric", key)
        header += [msg("assessp.xlsx.value", label=name), msg("assessp.xlsx.num", label=name),
                   msg("assessp.xlsx.den", label=name)]
    header += [msg("assessp.xlsx.deductions"), msg("assessp.xlsx.bonuses"), msg("assessp.xlsx.list")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.alignment = HEADER, Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = [row["rank"], row["name"], row["score"]]
        for key in METRICS:
            figure = row["figures"].get(key, {})
            value = figure.get("num") if METRICS[key].kind == "count" else figure.get("value")
            values += [value, figure.get("num"), figure.get("den")]
        marks = [msg("assessp.xlsx.red")] if row.get("red") else []
        marks += [msg("assessp.xlsx.black")] if row.get("black") else []
        values += [row["deductions"], row["bonuses"], "、".join(marks)]
        sheet.append(values)
        line = sheet.max_row
        if row.get("red") or row.get("black"):
            sheet.cell(line, 2).fill = GREEN if row.get("red") else RED
        sheet.cell(line, 3).number_format = "0.00"
        for index, key in enumerate(METRICS):
            sheet.cell(line, 4 + 3 * index).number_format = FORMATS[METRICS[key].kind]
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 22
    for column in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12


def _formula_sheet(sheet, data, state):
    formula, summary = data["formula"], data["summary"]
    spec = formula.spec
    about = [(msg("assessp.xlsx.period"), summary["label"]), (msg("assessp.xlsx.state"), state),
             (msg("assessp.xlsx.version"), formula.version),
             (msg("assessp.xlsx.effective"), formula.effective_from.isoformat()),
             (msg("assessp.xlsx.reason"), formula.reason or ""),
             (msg("assessp.xlsx.made"), formula.created_at.date().isoformat() if formula.created_at else "")]
    for name, value in about:
        sheet.append([name, value])
        sheet.cell(sheet.max_row, 1).font = HEADER
    sheet.append([])
    header = [msg("assessp.xlsx.metric")]
    header += [msg("assessp.xlsx.weight", group=label("org_kind", group)) for group in GROUPS]
    header += [msg("assessp.xlsx.deduction"), msg("assessp.xlsx.bonus"), msg("assessp.xlsx.definition")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER
    for key in METRICS:
        weights = [spec["weights"].get(group, {}).get(key) for group in GROUPS]
        sheet.append([label("assessment_metric", key), *weights, spec.get("deductions", {}).get(key),
                      spec.get("bonuses", {}).get(key), msg(f"assessment.define.{key}")])
        sheet.cell(sheet.max_row, len(header)).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    for line in formula_lines(formula):
        sheet.append([msg("assessp.xlsx.about"), line])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 28
    for column in range(3, len(header)):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.column_dimensions[get_column_letter(len(header))].width = 60
