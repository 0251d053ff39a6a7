"""How the assessment reads (a figure, a score, a change of rank, a run's state) and its PDF report for the congress.

The pages, the Excel workbook and the report all say a figure the same way: "响应及时率 92.0%（46 / 50）".
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.governance import assessment_runs as runs
from app.governance.assessment_metrics import GROUPS, METRICS
from app.governance.assessment_models import AssessmentFormula
from app.governance.record_pdf import require_font
from app.messages import label, msg


def value_text(key, figure):
    """A figure's value as people read it: a rate in percent, an average in points, a count as the count."""
    kind = METRICS[key].kind
    if kind == "count":
        return msg("assessp.value.count", value=figure.get("num") or 0)
    value = figure.get("value")
    if value is None:
        return msg("assessp.no_data")
    return msg("assessp.value.rate", value=value * 100) if kind == "rate" else msg("assessp.value.average", value=value)


def fraction_text(figure):
    """"46 / 50" (numerator over denominator), '' for a count that is out of nothing."""
    if figure.get("den") is None:
        return ""
    return msg("assessp.fraction", num=figure.get("num") or 0, den=figure["den"])


def figure_text(key, figure):
    """"响应及时率 92.0%（46 / 50）"."""
    fraction = fraction_text(figure)
    name, value = label("assessment_metric", key), value_text(key, figure)
    return msg("assessp.figure", label=name, value=value, fraction=fraction) if fraction else f"{name} {value}"


def score_text(score):
    return msg("assessp.no_data") if score is None else msg("assessp.score", value=score)


def points_text(points):
    return msg("assessp.points", value=points or 0)


def change(rank, previous):
    """(mark, words, direction) of a rank against the previous period's: ↑2 / ↓1 / 持平 / 新; ('', '', '') unranked."""
    if rank is None:
        return "", "", ""
    if previous is None:
        return msg("assessp.change.new"), msg("assessp.change.new_words"), "new"
    if previous > rank:
        n = previous - rank
        return msg("assessp.change.up", n=n), msg("assessp.change.up_words", n=n), "up"
    if previous < rank:
        n = rank - previous
        return msg("assessp.change.down", n=n), msg("assessp.change.down_words", n=n), "down"
    return msg("assessp.change.same"), msg("assessp.change.same_words"), "same"


def rank_text(rank, ranked, group):
    if rank is None:
        return msg("assessp.unranked")
    return msg("assessp.rank_of", rank=rank, total=ranked, group=label("org_kind", group))


def state_text(summary, names, when):
    """The run's state in a sentence: who computed or published it and when (`when` turns a moment into text)."""
    status = summary["status"]
    if status == "computed":
        who, at = summary["computed_by"], summary["computed_at"]
    else:
        who, at = summary["published_by"], summary["published_at"]
    return msg(f"assessp.state.{status}", who=names.get(who, who), at=when(at))


def formula_columns(spec, group):
    """The metrics a group's score weighs, in the catalogue's order."""
    weights = spec["weights"].get(group, {})
    return [key for key in METRICS if weights.get(key)]


def content(session, run):
    """What the workbook and the report hold: the run's summary, its grouped results and its formula version."""
    return {"summary": runs.run_summary(run), "groups": runs.results(session, run),
            "formula": session.get(AssessmentFormula, run.formula_id)}


def ordered(groups):
    """[(group, rows)] in the catalogue's order of groups (departments, then towns and streets)."""
    return [(group, groups.get(group, [])) for group in GROUPS]


def list_names(rows, key):
    return [row["name"] for row in rows if row.get(key)]


# The PDF --------------------------------------------------------------------------------------------------------

def _styles(font):
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {"title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, spaceAfter=4),
            "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4),
            "body": base, "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
            "draft": ParagraphStyle("draft", parent=base, textColor=colors.HexColor("#b00020"), fontSize=11, leading=16),
            "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#555555"))}


def _p(text, style):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _grid(rows, style, widths):
    table = Table([[_p(cell, style) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    return table


def ranking_rows(rows, spec, group):
    """The rankings table of one group as text: header, then one row per organisation."""
    keys = formula_columns(spec, group)
    header = [msg("assessp.xlsx.rank"), msg("assessp.xlsx.org"), msg("assessp.xlsx.score")]
    header += [label("assessment_metric", key) for key in keys]
    header += [msg("assessp.xlsx.deductions"), msg("assessp.xlsx.bonuses"), msg("assessp.xlsx.list")]
    body = []
    for row in rows:
        marks = [msg("assessp.xlsx.red")] if row.get("red") else []
        marks += [msg("assessp.xlsx.black")] if row.get("black") else []
        cells = [f"{value_text(key, row['figures'].get(key, {}))}\n{fraction_text(row['figures'].get(key, {}))}"
                 for key in keys]
        body.append([row["rank"] or "—", row["name"], score_text(row["score"]), *cells,
                     points_text(row["deductions"]), points_text(row["bonuses"]), "、".join(marks)])
    return [header, *body]


def formula_lines(formula):
    """The formula version in sentences: its weights per group, deductions, bonuses, caps and list size."""
    spec = formula.spec
    lines = [msg("assessp.formula_line")]
    for group in GROUPS:
        items = "、".join(msg("assessp.pdf.weight_item", label=label("assessment_metric", key), weight=weight)
                         for key, weight in spec["weights"].get(group, {}).items())
        lines.append(msg("assessp.pdf.weights", group=label("org_kind", group), items=items))
    for part in ("deductions", "bonuses"):
        items = "、".join(msg("assessp.pdf.point_item", label=label("assessment_metric", key), points=points)
                         for key, points in spec.get(part, {}).items()) or msg("assessp.pdf.none")
        lines.append(msg(f"assessp.pdf.{part}", items=items))
    caps = spec.get("caps", {})
    lines.append(msg("assessp.xlsx.caps", deductions=caps.get("deductions", 0), bonuses=caps.get("bonuses", 0)))
    lines.append(msg("assessp.xlsx.list_size", n=spec.get("list_size", 0)))
    if formula.reason:
        lines.append(msg("assessp.pdf.reason", reason=formula.reason))
    return lines


def _page(canvas, doc):
    canvas.saveState()
    canvas.setFont(doc.font_name, 7.5)
    canvas.drawString(15 * mm, 8 * mm, doc.title)
    canvas.drawRightString(doc.pagesize[0] - 15 * mm, 8 * mm, msg("assessp.pdf.page", page=doc.page))
    canvas.restoreState()


def build_report(data, state, generated, font_path, font_index=0):
    """The congress's report (PDF bytes) of `data` (content()): title, state, each group's table, the lists, the
    formula and every metric's definition; an unpublished run is marked as such on its first lines."""
    font = require_font(font_path, font_index)
    styles = _styles(font)
    summary, formula = data["summary"], data["formula"]
    title = msg("assessp.pdf.title", period=summary["label"])
    out = io.BytesIO()
    size = landscape(A4)
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=15 * mm, title=title, author=msg("assessp.pdf.author"), subject=title)
    doc.font_name = font
    width = size[0] - 30 * mm
    story = [_p(title, styles["title"]), _p(state, styles["body"]), _p(generated, styles["small"])]
    if summary["status"] != "published":
        story.append(_p(msg("assessp.pdf.draft"), styles["draft"]))
    for group, rows in ordered(data["groups"]):
        table = ranking_rows([row for row in rows if row["rank"] is not None], formula.spec, group)
        fixed = [12 * mm, 38 * mm, 18 * mm]
        rest = (width - sum(fixed) - 3 * 14 * mm) / max(1, len(table[0]) - 6)
        widths = fixed + [rest] * (len(table[0]) - 6) + [14 * mm] * 3
        story += [_p(msg("assessp.pdf.rankings", group=label("org_kind", group)), styles["h2"]),
                  _grid(table, styles["cell"], widths)]
        if unranked := [row["name"] for row in rows if row["rank"] is None]:
            story.append(_p(msg("assessp.pdf.unranked", names="、".join(unranked)), styles["small"]))
    story.append(_p(msg("assessp.pdf.lists"), styles["h2"]))
    size_n = formula.spec.get("list_size", 0)
    for group, rows in ordered(data["groups"]):
        story.append(_p(label("org_kind", group), styles["body"]))
        for key in ("red", "black"):
            names = "、".join(list_names(rows, key)) or msg("assessp.pdf.none")
            story.append(_p(msg(f"assessp.pdf.{key}", n=size_n, names=names), styles["body"]))
    story.append(_p(msg("assessp.pdf.formula", version=formula.version,
                        effective=formula.effective_from.isoformat()), styles["h2"]))
    story += [_p(line, styles["body"]) for line in formula_lines(formula)]
    story.append(_p(msg("assessp.pdf.definitions"), styles["h2"]))
    story += [_p(msg("assessp.pdf.definition", label=label("assessment_metric", key),
                     definition=msg(f"assessment.define.{key}")), styles["body"]) for key in METRICS]
    story.append(Spacer(1, 4))
    doc.build(story, onFirstPage=_page, onLaterPages=_page)
    return out.getvalue()
