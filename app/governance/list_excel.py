"""Excel import and export of the lists (openpyxl): one row per item; a bad row rejects the whole file."""

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select

from app.errors import ValidationFailed
from app.governance.lists import (
    KINDS,
    ItemChange,
    ResponsibilityItem,
    create_item,
    list_items,
    revise_item,
    validate_fields,
)
from app.messages import label, msg

FIELDS = ("code", "kind", "title", "category", "legal_basis", "lead_org", "cooperating_orgs", "lead_duties",
          "cooperating_duties", "response_hours", "handle_days", "effective_from", "effective_to")
COLUMNS = [(field, label("list_column", field)) for field in FIELDS]  # (field, header), headers from the catalogue
KIND_BY_LABEL = {label: kind for kind, label in KINDS.items()}


@dataclass
class ImportResult:
    created: int
    revised: int
    unchanged: int


def export_items(session, kind=None):
    """An .xlsx of the current version of every active item (of one kind, or all)."""
    book = Workbook()
    sheet = book.active
    sheet.title = msg("list.sheet")
    sheet.append([label for _, label in COLUMNS])
    rows, _ = list_items(session, kind=kind, per_page=100_000)
    for item in rows:
        v = item.current
        sheet.append([item.code, KINDS[item.kind], v.title, v.category, v.legal_basis, v.lead_org,
                      "、".join(v.cooperating_orgs or []), v.lead_duties, v.cooperating_duties, v.response_hours,
                      v.handle_days, v.effective_from.isoformat(), v.effective_to.isoformat() if v.effective_to else ""])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(content):
    """(row number, {field: value}) for each data row; raise ValidationFailed for an unreadable file or header."""
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as err:
        raise ValidationFailed(msg("list.bad_file", detail=str(err)), {"file": [msg("list.bad_file", detail=str(err))]})
    sheet = book.active
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    expected = [label for _, label in COLUMNS]
    if header[:len(expected)] != expected:
        error = msg("list.import_header", expected="、".join(expected))
        raise ValidationFailed(error, {"1": [error]})
    for number, values in enumerate(rows, start=2):
        if values and any(v not in (None, "") for v in values):
            yield number, {key: values[i] if i < len(values) else None for i, (key, _) in enumerate(COLUMNS)}


def import_items(session, actor, content, reason=None, progress=None):
    """Create or revise items from a file; every row is checked first, and one bad row changes nothing."""
    parsed, errors, seen, bad_rows = [], {}, set(), set()
    for number, raw in read_rows(content):
        fields, row_errors = _convert(raw)
        if fields.get("code") in seen:
            row_errors.setdefault("code", []).append(msg("list.duplicate_row"))
        seen.add(fields.get("code"))
        if not row_errors:
            row_errors = validate_fields(session, fields)
        for field, messages in row_errors.items():
            errors[msg("list.import_cell", row=number, column=label("list_column", field))] = messages
            bad_rows.add(number)
        parsed.append(fields)
        if progress:
            progress(1)
    if errors:
        raise ValidationFailed(msg("list.import_rejected", count=len(bad_rows)), errors)
    return _apply(session, actor, parsed, reason or msg("list.import_reason"))


def _apply(session, actor, parsed, reason):
    result = ImportResult(0, 0, 0)
    for fields in parsed:
        code, kind = fields.pop("code"), fields.pop("kind")
        existing = session.scalar(select(ResponsibilityItem).where(ResponsibilityItem.code == code))
        if existing is None:
            create_item(session, actor, code, kind, fields, reason)
            result.created += 1
        elif {k: v for k, v in existing.current.as_dict().items() if k in fields} == _comparable(fields):
            result.unchanged += 1
        else:
            revise_item(session, actor, code, ItemChange(fields, reason))
            result.revised += 1
    return result


def _comparable(fields):
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}


def _convert(raw):
    errors, fields = {}, {}
    fields["code"] = str(raw["code"] or "").strip()
    if not fields["code"]:
        errors["code"] = [msg("form.required")]
    fields["kind"] = KIND_BY_LABEL.get(str(raw["kind"] or "").strip()) or str(raw["kind"] or "").strip()
    if fields["kind"] not in KINDS:
        errors["kind"] = [msg("list.bad_kind")]
    for key in ("title", "category", "legal_basis", "lead_org", "lead_duties", "cooperating_duties"):
        fields[key] = str(raw[key] or "").strip()
    fields["cooperating_orgs"] = [c.strip() for c in str(raw["cooperating_orgs"] or "").replace(",", "、").split("、")
                                  if c.strip()]
    for key in ("response_hours", "handle_days"):
        fields[key] = _integer(raw[key])
        if fields[key] is None:
            errors[key] = [msg("list.bad_number")]
    for key in ("effective_from", "effective_to"):
        fields[key], bad = _date(raw[key])
        if bad:
            errors[key] = [msg("list.bad_date")]
    fields["status"] = "active"
    return fields, errors


def _integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    return None


def _date(value):
    if value in (None, ""):
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    try:
        return date.fromisoformat(str(value).strip()), False
    except ValueError:
        return None, True
