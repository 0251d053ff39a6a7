"""The assessment's exports: Excel (one sheet per group and the formula) and the PDF report."""

from io import BytesIO

from flask import current_app, request, send_file
from flask_login import current_user

from app.db import utcnow
from app.domain import access
from app.domain.people import display_names
from app.errors import NotFound
from app.extensions import db
from app.governance import assessment_runs as runs
from app.governance.assessment_excel import build_workbook
from app.governance.assessment_periods import Period
from app.governance.assessment_report import build_report, content, state_text
from app.messages import msg
from app.web.assessment_pages import default_period
from app.web.presenters import local_time
from app.web.views import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exported():
    """(period, the run's content, its state in words) of the query's period, for those who read every organisation."""
    access.require(access.may_read_assessment(current_user), "assessp.export_forbidden")
    text = request.args.get("period")
    period = Period.parse(text) if text else default_period()
    run = runs.shown_run(db.session, period.code, current_user)
    if run is None:
        raise NotFound(msg("assessp.no_run", period=period.label))
    data = content(db.session, run)
    summary = data["summary"]
    names = display_names(db.session, [summary["computed_by"], summary["published_by"]])
    state = msg("assessp.state_line", status=summary["status_label"], text=state_text(summary, names, local_time))
    return period, data, state


@bp.route("/assessment/export.xlsx")
def assessment_export():
    period, data, state = exported()
    body = build_workbook(data, state)
    return send_file(BytesIO(body), mimetype=XLSX, as_attachment=True,
                     download_name=msg("assessp.xlsx.file", period=period.code))


@bp.route("/assessment/report.pdf")
def assessment_report():
    period, data, state = exported()
    config = current_app.extensions["tianchang.config"]
    body = build_report(data, state, msg("assessp.pdf.generated", at=local_time(utcnow())), config.PDF_FONT,
                        config.PDF_FONT_INDEX)
    return send_file(BytesIO(body), mimetype="application/pdf", as_attachment=True,
                     download_name=msg("assessp.pdf.file", period=period.code))
