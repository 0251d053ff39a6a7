"""Parse deployed versions on demand and keep their specs in the engine's cache."""

from sqlalchemy import select

from app.definitions.forms import Form
from app.definitions.models import DeployedFile, DeployedForm
from app.engine.parser import DiagramLimits, parse_bundle


def spec_key(deployment_id, process_id):
    return f"d{deployment_id}:{process_id}"


def ensure_specs(session, engine, deployment_id, max_flow_nodes):
    """Register every executable process of a deployment with the engine unless already cached.

    A deployed bundle passed the size limits of its day: only the flow-node limit (which guards the parser's
    recursion) is applied again, and deploy policies added since do not refuse it (parse_bundle `deploying`).
    """
    rows = session.execute(select(DeployedFile.name, DeployedFile.content).where(
        DeployedFile.deployment_id == deployment_id, DeployedFile.kind.in_(("bpmn", "dmn")))).all()
    bundle = parse_bundle({name: content for name, content in rows}, DiagramLimits(max_flow_nodes, None, None),
                          deploying=False)
    for pid in bundle.process_files:
        spec, subprocess_specs = bundle.spec(pid)
        engine.register(spec_key(deployment_id, pid), spec, subprocess_specs)


def ensure_spec(session, engine, deployment_id, process_id, max_flow_nodes):
    key = spec_key(deployment_id, process_id)
    if not engine.knows(key):
        ensure_specs(session, engine, deployment_id, max_flow_nodes)
    return key


def load_form(session, deployment_id, form_id):
    row = session.scalar(select(DeployedForm).where(
        DeployedForm.deployment_id == deployment_id, DeployedForm.form_id == form_id))
    return None if row is None else Form(row.form_id, row.schema)


def deployment_forms(session, deployment_id):
    """{form id: file name} of a deployment's forms (a Camunda form key may name a form by its file)."""
    return dict(session.execute(select(DeployedForm.form_id, DeployedForm.file_name).where(
        DeployedForm.deployment_id == deployment_id)).all())
