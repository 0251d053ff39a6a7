"""assessment (计算器) and supervision escalation: formulas, runs, frozen results, exclusions, appeals, ladder steps

Revision ID: d4e5f6a7b8c1
Revises: c3d4e5f6a7b9
Create Date: 2026-12-07 09:00:00

`human_task.org_code` names the one organisation a task is addressed to, filled here from its candidates, so the
timeliness figures group tasks by organisation without joining candidates; `call_party.confirmed_at` is when the
caller confirmed the call closed after the party handled it (解决率), filled here from closed calls. The fact tables get indexes led by the
date each figure bins by (a party's response and handle deadlines, a rating's and an urge's time), so a month is
a range scan that reads the organisation and the outcome from the index.
"""
import sqlalchemy as sa
from alembic import op

from app.db import JSONValue, UTCDateTime

revision = 'd4e5f6a7b8c1'
down_revision = 'c3d4e5f6a7b9'
branch_labels = None
depends_on = None

FACT_INDEXES = {
    "ix_human_task_due_org": ("human_task", ["due_at", "org_code", "completed_at", "kpi", "status", "instance_id"]),
    "ix_call_party_response_due": ("call_party", ["response_due", "org_code", "responded_at", "call_id"]),
    "ix_call_party_handle_due": ("call_party", ["handle_due", "org_code", "handled_at", "confirmed_at", "call_id"]),
    "ix_call_party_responded": ("call_party", ["responded_at"]),  # rejections, by when they were made
    "ix_evaluation_created_ratee": ("evaluation", ["created_at", "ratee_org", "kind", "score", "accuracy", "cooperation",
                                                   "call_id", "rater_org"]),
    "ix_call_urge_at": ("call_urge", ["at", "org_code"]),
    "ix_supervision_case_opened": ("supervision_case", ["opened_at", "target_org"]),
    "ix_supervision_case_instance": ("supervision_case", ["instance_id"]),  # a 整改 task → the call its case is about
}


def upgrade():
    with op.batch_alter_table('human_task') as batch:
        batch.add_column(sa.Column('org_code', sa.String(length=64), nullable=True))
    op.execute("UPDATE human_task SET org_code = (SELECT MIN(c.org_code) FROM task_candidate c "
               "WHERE c.task_id = human_task.id AND c.org_code <> '*') "
               "WHERE (SELECT COUNT(DISTINCT c.org_code) FROM task_candidate c "
               "WHERE c.task_id = human_task.id AND c.org_code <> '*') = 1")
    with op.batch_alter_table('call_party') as batch:
        batch.add_column(sa.Column('confirmed_at', UTCDateTime(), nullable=True))
    op.execute("UPDATE call_party SET confirmed_at = (SELECT call.closed_at FROM call WHERE call.id = call_party.call_id) "
               "WHERE handled_at IS NOT NULL AND EXISTS (SELECT 1 FROM call WHERE call.id = call_party.call_id "
               "AND call.status = 'closed')")
    for name, (table, columns) in FACT_INDEXES.items():
        op.create_index(name, table, columns, unique=False)
    op.create_table(
        'assessment_formula',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('spec', JSONValue, nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('version'),
    )
    op.create_index('ix_assessment_formula_effective_from', 'assessment_formula', ['effective_from'])
    op.create_table(
        'assessment_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=32), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('formula_id', sa.Integer(), sa.ForeignKey('assessment_formula.id'), nullable=False),
        sa.Column('formula_version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('computed_by', sa.String(length=64), nullable=False),
        sa.Column('computed_at', UTCDateTime(), nullable=False),
        sa.Column('published_by', sa.String(length=64), nullable=True),
        sa.Column('published_at', UTCDateTime(), nullable=True),
        sa.Column('appeal_until', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('period', 'revision'),
    )
    op.create_index('ix_assessment_run_period', 'assessment_run', ['period'])
    op.create_index('ix_assessment_run_status', 'assessment_run', ['status'])
    op.create_index('ix_assessment_run_period_status', 'assessment_run', ['period', 'status'])
    op.create_table(
        'assessment_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), sa.ForeignKey('assessment_run.id', ondelete='CASCADE'), nullable=False),
        sa.Column('org_code', sa.String(length=64), nullable=False),
        sa.Column('group', sa.String(length=16), nullable=False),
        sa.Column('figures', JSONValue, nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('deductions', sa.Float(), nullable=False),
        sa.Column('bonuses', sa.Float(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'org_code'),
    )
    op.create_index('ix_assessment_result_run_id', 'assessment_result', ['run_id'])
    op.create_index('ix_assessment_result_org_code', 'assessment_result', ['org_code'])
    op.create_table(
        'assessment_appeal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('run_id', sa.Integer(), sa.ForeignKey('assessment_run.id'), nullable=False),
        sa.Column('org_code', sa.String(length=64), nullable=False),
        sa.Column('metric', sa.String(length=32), nullable=True),
        sa.Column('calls', JSONValue, nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('evidence', JSONValue, nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decision', sa.Text(), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instance.id'), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('result_run_id', sa.Integer(), sa.ForeignKey('assessment_run.id'), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    op.create_index('ix_assessment_appeal_run_id', 'assessment_appeal', ['run_id'])
    op.create_index('ix_assessment_appeal_org_code', 'assessment_appeal', ['org_code'])
    op.create_index('ix_assessment_appeal_status', 'assessment_appeal', ['status'])
    op.create_table(
        'assessment_exclusion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), sa.ForeignKey('call.id'), nullable=False),
        sa.Column('org_code', sa.String(length=64), nullable=False),
        sa.Column('appeal_id', sa.Integer(), sa.ForeignKey('assessment_appeal.id'), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('call_id', 'org_code'),
    )
    op.create_index('ix_assessment_exclusion_call_id', 'assessment_exclusion', ['call_id'])
    op.create_table(
        'escalation_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('supervision_case.id'), nullable=False),
        sa.Column('step', sa.String(length=16), nullable=False),
        sa.Column('target_org', sa.String(length=64), nullable=False),
        sa.Column('recipients', JSONValue, nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instance.id'), nullable=True),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_escalation_step_case_id', 'escalation_step', ['case_id'])
    op.create_index('ix_escalation_step_at', 'escalation_step', ['at', 'target_org'])
    op.create_table(
        'supervision_interview',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('supervision_case.id'), nullable=False),
        sa.Column('step_id', sa.Integer(), sa.ForeignKey('escalation_step.id'), nullable=True),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('attendees', sa.Text(), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instance.id'), nullable=True),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_supervision_interview_case_id', 'supervision_interview', ['case_id'])


def downgrade():
    for table in ('supervision_interview', 'escalation_step', 'assessment_exclusion', 'assessment_appeal',
                  'assessment_result', 'assessment_run', 'assessment_formula'):
        op.drop_table(table)
    for name, (table, _columns) in reversed(FACT_INDEXES.items()):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('call_party') as batch:
        batch.drop_column('confirmed_at')
    with op.batch_alter_table('human_task') as batch:
        batch.drop_column('org_code')
