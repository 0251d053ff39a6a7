"""docs/assessment.md's table of figures says what the catalogue says: each definition is written once."""

from pathlib import Path

from app.governance.assessment_metrics import METRICS
from app.messages import label, msg

DOC = Path(__file__).resolve().parents[2] / "docs" / "assessment.md"


def test_the_table_lists_every_figure_with_the_catalogue_definition():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    assert list(rows) == list(METRICS)
    for key, cells in rows.items():
        assert cells[1] == label("assessment_metric", key) and cells[2] == METRICS[key].kind
        assert cells[5] == msg(f"assessment.define.{key}")
