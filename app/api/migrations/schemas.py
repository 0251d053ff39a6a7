"""Load and dump schemas of version migrations: a dry run's request and verdicts, a batch and its report."""

from marshmallow import Schema, fields, validate

from app.api.spec import CODE_MAX, TEXT_MAX, at_most
from app.messages import LABELS, msg
from app.workflow import version_migration as vm

ID_LIST_MAX = 500  # one page's selection: a batch holds its instances' row locks until the one commit


def _described(key):
    return {"description": msg(f"api.migrations.field.{key}")}


class DryRunQuerySchema(Schema):
    process_id = fields.String(required=True, validate=at_most(CODE_MAX), metadata=_described("process_id"))
    from_versions = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=None, allow_none=True,
                                metadata=_described("from_versions"))
    to_version = fields.Integer(required=True, validate=validate.Range(min=1), metadata=_described("to_version"))


class RunSchema(Schema):
    process_id = fields.String(required=True, validate=at_most(CODE_MAX), metadata=_described("process_id"))
    to_version = fields.Integer(required=True, validate=validate.Range(min=1), metadata=_described("to_version"))
    ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), required=True,
                      validate=validate.Length(min=1, max=ID_LIST_MAX, error=msg("migration.no_ids")),
                      metadata=_described("ids"))
    reason = fields.String(required=True, validate=at_most(TEXT_MAX), metadata=_described("reason"))


class RevertSchema(Schema):
    reason = fields.String(required=True, validate=at_most(TEXT_MAX), metadata=_described("reason"))


class CandidateSchema(Schema):
    id = fields.Integer()
    business_key = fields.String(allow_none=True)
    version = fields.Integer()
    status = fields.String()
    status_label = fields.Function(lambda c: LABELS["instance_status"].get(c.status, c.status))
    steps = fields.List(fields.String(), metadata=_described("steps"))
    can_move = fields.Boolean(metadata=_described("can_move"))
    reasons = fields.List(fields.String(), metadata=_described("reasons"))


class MoveSchema(Schema):
    id = fields.Integer(metadata=_described("move_id"))
    instance_id = fields.Integer()
    business_key = fields.Function(lambda m: m.instance.business_key)
    from_version = fields.Function(lambda m: m.from_deployment.number)
    to_version = fields.Function(lambda m: m.to_deployment.number)
    result = fields.Function(vm.move_state, metadata=_described("result"))
    result_label = fields.Function(lambda m: LABELS["migration_result"][vm.move_state(m)])
    text = fields.Function(vm.move_text, metadata=_described("text"))
    may_revert = fields.Function(vm.may_revert)
    reverted_at = fields.DateTime(allow_none=True)
    reverted_by = fields.String(allow_none=True)
    revert_reason = fields.String(allow_none=True)


class BatchSchema(Schema):
    id = fields.Integer()
    process_id = fields.String()
    to_version = fields.Function(lambda b: b.to_deployment.number)
    by = fields.String()
    at = fields.DateTime()
    reason = fields.String()
    moved = fields.Function(lambda b: sum(m.result == "moved" for m in b.moves))
    refused = fields.Function(lambda b: sum(m.result == "refused" for m in b.moves))


class ReportSchema(BatchSchema):
    moves = fields.List(fields.Nested(MoveSchema))
