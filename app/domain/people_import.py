"""Organisations and users from Excel (.xlsx, openpyxl), as the lists are imported: one row per organisation or
user, checked by the same operations the admin's pages call; a file with any bad row imports nothing.

Rows are applied in order (a new organisation's parent may be a row above it). Each row's refusal is kept
under its row number, the rest are still checked, and then the whole file is refused: the caller's
transaction is rolled back by the edge, so nothing of it remains.
"""

from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select

from app.domain.org_admin import change_kind, create_org, move_org, rename_org
from app.domain.organisations import ORG_KINDS, Organisation
from app.domain.people import ROLES, User
from app.domain.people_admin import NewAccount, add_user, update_user
from app.errors import DomainError, ValidationFailed
from app.messages import LABELS, msg

ORG_COLUMNS = ("code", "name", "kind", "parent")
USER_COLUMNS = ("username", "display_name", "org", "roles", "password")
KIND_BY_NAME = {name: code for code, name in ORG_KINDS.items()}
ROLE_BY_NAME = {name: code for code, name in ROLES.items()}


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: dict = field(default_factory=dict)


def _headers(kind):
    columns = ORG_COLUMNS if kind == "org" else USER_COLUMNS
    return [LABELS["people_column"][f"{kind}.{c}"] for c in columns]


def template(kind):
    """An empty workbook with the Chinese headers and one example row (the admin overwrites it)."""
    book = Workbook()
    sheet = book.active
    sheet.title = msg(f"people.sheet.{kind}")
    sheet.append(_headers(kind))
    sheet.append(msg(f"people.example.{kind}").split("|"))
    for column in "ABCDE":
        sheet.column_dimensions[column].width = 22
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(content, kind):
    """(row number, {column: text}) of each data row; an unreadable file or a wrong header refuses the file."""
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as err:
        error = msg("people.bad_file", detail=type(err).__name__)
        raise ValidationFailed(error, {"file": [error]})
    name = msg(f"people.sheet.{kind}")
    sheet = book[name] if name in book.sheetnames else book.active
    rows = sheet.iter_rows(values_only=True)
    expected = _headers(kind)
    header = [str(c or "").strip() for c in next(rows, ())]
    if header[:len(expected)] != expected:
        error = msg("people.bad_header", expected="、".join(expected))
        raise ValidationFailed(error, {msg("people.row", row=1): [error]})
    columns = ORG_COLUMNS if kind == "org" else USER_COLUMNS
    for number, values in enumerate(rows, start=2):
        if values and any(v not in (None, "") for v in values):
            yield number, {c: _text(values[i] if i < len(values) else None) for i, c in enumerate(columns)}


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _import(session, content, kind, apply_row):
    result, seen, key = ImportResult(), set(), ORG_COLUMNS[0] if kind == "org" else USER_COLUMNS[0]
    for number, row in _rows(content, kind):
        try:
            if row[key] in seen:
                raise ValidationFailed(msg("people.duplicate_row", value=row[key]))
            seen.add(row[key])
            outcome = apply_row(row)
            setattr(result, outcome, getattr(result, outcome) + 1)
        except DomainError as err:
            messages = [m for ms in err.errors.values() for m in (ms if isinstance(ms, list) else [ms])]
            result.errors[msg("people.row", row=number)] = messages or [err.message]
    if not result.created + result.changed + result.unchanged + len(result.errors):
        raise ValidationFailed(msg("people.empty_file"), {"file": [msg("people.empty_file")]})
    if result.errors:
        raise ValidationFailed(msg("people.import_rejected", count=len(result.errors)), result.errors)
    return result


def import_orgs(session, actor, content):
    """Create new organisations and rename, re-kind or move existing ones (by code); audited as each is."""
    def apply_row(row):
        kind = KIND_BY_NAME.get(row["kind"], row["kind"])
        org = session.scalar(select(Organisation).where(Organisation.code == row["code"]))
        if org is None:
            create_org(session, actor, row["code"], row["name"], kind, row["parent"] or None)
            return "created"
        before = (org.name, org.kind, org.parent.code if org.parent else "")
        rename_org(session, actor, org.code, row["name"])
        change_kind(session, actor, org.code, kind)
        if before[2] != row["parent"]:
            move_org(session, actor, org.code, row["parent"] or None)
        return "unchanged" if before == (org.name, org.kind, row["parent"]) else "changed"

    return _import(session, content, "org", apply_row)


def import_users(session, actor, content, hash_method="scrypt"):
    """Create new users (their password temporary) and update the name, organisation and roles of existing ones."""
    def apply_row(row):
        roles = [ROLE_BY_NAME.get(r.strip(), r.strip()) for r in row["roles"].replace(",", "、").replace("，", "、")
                 .split("、") if r.strip()]
        user = session.scalar(select(User).where(User.username == row["username"]))
        if user is None:
            add_user(session, actor, NewAccount(row["username"], row["display_name"], row["password"], row["org"],
                                                roles), hash_method)
            return "created"
        before = (user.display_name, user.org.code, user.roles)
        update_user(session, actor, user.username, row["display_name"], row["org"], roles)
        return "unchanged" if before == (user.display_name, user.org.code, user.roles) else "changed"

    return _import(session, content, "user", apply_row)
